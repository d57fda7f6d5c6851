// SPDX-License-Identifier: MIT
package io.jwg.cli.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.testing.Netns;
import io.jwg.core.testing.Requirements;
import io.jwg.core.testing.Veth;
import io.jwg.core.testing.WgDump;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 6: a relay with a public address and two spokes behind one masquerading NAT router
 * (examples/06-relay-nat). The relay knows no endpoint for the spokes; their persistent
 * keepalives open the NAT and tell the relay where they are, and spoke-to-spoke traffic goes
 * through the relay.
 */
@Tag(Requirements.TAG)
@ExtendWith(ScenarioReport.class)
class S06RelayNatIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    @DisplayName("06 relay for peers behind NAT")
    void spokesBehindNatReachEachOtherThroughTheRelayWhichLearnedTheNatAddress() throws Exception {
        Requirements.assumeWireguardGo();
        try (Node relay = new Node("relay", Impl.JWG); Netns nat = Netns.create("sc");
                Node a = new Node("spokeA", Impl.JWG); Node b = new Node("spokeB", Impl.JWG)) {
            // Public side: the relay 192.0.2.1, the NAT router's outside address 192.0.2.2.
            Veth wan = Veth.connect(relay.netns(), nat).ipv4("192.0.2.1/28", "192.0.2.2/28");
            // Private side: a bridge 198.51.100.1/28 on the router with the two spokes on it.
            nat.execOk("ip", "link", "add", "lan0", "type", "bridge");
            nat.execOk("ip", "addr", "add", "198.51.100.1/28", "dev", "lan0");
            nat.execOk("ip", "link", "set", "lan0", "up");
            int host = 2;
            for (Node spoke : new Node[] {a, b}) {
                Veth lan = Veth.connect(nat, spoke.netns());
                nat.execOk("ip", "link", "set", lan.a().ifname(), "master", "lan0");
                spoke.run("ip", "addr", "add", "198.51.100." + host++ + "/28", "dev", lan.b().ifname());
                spoke.run("ip", "route", "add", "default", "via", "198.51.100.1");
            }
            nat.execOk("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
            Path rules = Files.createTempFile("nat-router", ".nft");
            try {
                Files.writeString(rules, Examples.render("06-relay-nat/nat-router.nft",
                        Map.of("wan", wan.b().ifname(), "lan", "lan0")));
                nat.execOk("nft", "-f", rules.toString());
            } finally {
                Files.deleteIfExists(rules);
            }
            // The NAT is real: the relay cannot address a spoke's private underlay address.
            assertFalse(relay.exec("ping", "-c", "1", "-W", "1", "198.51.100.2").ok(), "the spokes' LAN is private");

            Map<String, String> keys = Map.of(
                    "relay.private", relay.keys("wg").privateKey(), "relay.public", relay.keys("wg").publicKey(),
                    "spokeA.private", a.keys("wg").privateKey(), "spokeA.public", a.keys("wg").publicKey(),
                    "spokeB.private", b.keys("wg").privateKey(), "spokeB.public", b.keys("wg").publicKey());
            String relayIf = Node.ifname("rl");
            relay.up(relayIf, Examples.render("06-relay-nat/relay.conf", keys));
            a.up(Node.ifname("sp"), Examples.render("06-relay-nat/spokeA.conf", keys));
            String bIf = Node.ifname("sp");
            b.up(bIf, Examples.render("06-relay-nat/spokeB.conf", keys));

            // No traffic yet: the spokes' keepalives alone tell the relay where they are.
            String pubA = a.keys("wg").publicKey();
            String pubB = b.keys("wg").publicKey();
            Poll.assertUntil(WAIT, "the relay learns both spokes' endpoints from their keepalives",
                    () -> relay.dump(relayIf).peers().stream().allMatch(p -> p.endpoint() != null),
                    () -> relay.dump(relayIf));

            assertTrue(a.reaches("10.60.0.3", WAIT), "spoke A pings spoke B through the relay");
            assertTrue(b.reaches("10.60.0.2", WAIT), "spoke B pings spoke A through the relay");
            assertTrue(relay.reaches("10.60.0.2", WAIT), "the relay reaches spoke A through the NAT");
            assertTrue(relay.reaches("10.60.0.3", WAIT), "the relay reaches spoke B through the NAT");

            // The relay sees both spokes at the NAT's public address, on two different ports.
            WgDump d = relay.dump(relayIf);
            WgDump.Peer pa = d.peer(pubA).orElseThrow();
            WgDump.Peer pb = d.peer(pubB).orElseThrow();
            assertTrue(pa.endpoint().startsWith("192.0.2.2:"), "spoke A's endpoint is the NAT: " + pa);
            assertTrue(pb.endpoint().startsWith("192.0.2.2:"), "spoke B's endpoint is the NAT: " + pb);
            assertNotEquals(pa.endpoint(), pb.endpoint(), "the NAT keeps the two spokes apart by port");
            assertTrue(pa.hasHandshake() && pb.hasHandshake(), d.toString());
            assertTrue(pa.rxBytes() > 0 && pa.txBytes() > 0 && pb.rxBytes() > 0 && pb.txBytes() > 0, d.toString());

            // Each spoke knows only the relay: B's packets from A came through it.
            WgDump db = b.dump(bIf);
            assertEquals(1, db.peers().size());
            assertEquals("192.0.2.1:51820", db.peers().get(0).endpoint());
            assertNull(d.peers().stream().filter(p -> p.endpoint().startsWith("198.51.100.")).findAny().orElse(null),
                    "no private address ever reached the relay");
        }
    }
}
