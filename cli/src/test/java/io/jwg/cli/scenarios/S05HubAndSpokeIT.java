// SPDX-License-Identifier: MIT
package io.jwg.cli.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.testing.CommandResult;
import io.jwg.core.testing.Requirements;
import io.jwg.core.testing.WgDump;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Scenario 5: a jwg hub routing between three spokes, from examples/05-hub-and-spoke. */
@Tag(Requirements.TAG)
@ExtendWith(ScenarioReport.class)
class S05HubAndSpokeIT {
    private static final int SPOKES = 3;
    private static final int PAYLOAD = 1000;
    private static final int BURST = 5;

    @Test
    @DisplayName("05 hub and spoke: spokes reach each other only via the hub")
    void spokesReachEachOtherThroughTheForwardingHubAndHaveNoTunnelsOfTheirOwn() throws Exception {
        Requirements.assumeWireguardGo();
        List<Node> spokes = new ArrayList<>();
        Node hub = null;
        UnderlayLan lan = new UnderlayLan();
        try {
            hub = new Node("hub", Impl.JWG);
            lan.attach(hub, "192.0.2.1/24");
            Map<String, String> values = new HashMap<>();
            values.put("hub.private", hub.keys("wg").privateKey());
            values.put("hub.public", hub.keys("wg").publicKey());
            for (int i = 1; i <= SPOKES; i++) {
                Node s = new Node("spoke" + i, i == SPOKES ? Impl.WIREGUARD_GO : Impl.JWG);
                spokes.add(s);
                lan.attach(s, "192.0.2." + (10 + i) + "/24");
                values.put("spoke" + i + ".private", s.keys("wg").privateKey());
                values.put("spoke" + i + ".public", s.keys("wg").publicKey());
            }
            hub.netns().execOk("sysctl", "-q", "-w", "net.ipv4.ip_forward=0");
            String hubIf = Node.ifname("hub");
            hub.up(hubIf, Examples.render("05-hub-and-spoke/hub.conf", values));
            assertEquals("1", hub.run("sysctl", "-n", "net.ipv4.ip_forward").stdout().strip(),
                    "the hub's PostUp turned forwarding on");
            List<String> spokeIfs = new ArrayList<>();
            List<Runnable> ups = new ArrayList<>();
            for (int i = 1; i <= SPOKES; i++) {
                Node s = spokes.get(i - 1);
                String ifname = Node.ifname("spk");
                String config = Examples.render("05-hub-and-spoke/spoke" + i + ".conf", values);
                spokeIfs.add(ifname);
                ups.add(() -> s.up(ifname, config));
            }
            InParallel.run(ups);

            // Each spoke's keepalive, sent when its interface comes up, tells the hub where it is.
            Node h = hub;
            Poll.until(() -> h.dump(hubIf).peers().stream().allMatch(WgDump.Peer::hasHandshake),
                    Duration.ofSeconds(30), "the hub has a handshake with every spoke: " + hubIf);
            WgDump hubView = hub.dump(hubIf);
            for (int i = 1; i <= SPOKES; i++) {
                WgDump.Peer p = hubView.peer(spokes.get(i - 1).keys("wg").publicKey()).orElseThrow();
                assertTrue(p.endpoint() != null && p.endpoint().startsWith("192.0.2." + (10 + i) + ":"),
                        "the hub learnt spoke" + i + "'s endpoint: " + p);
            }

            // Every spoke reaches every other spoke, one routed hop away (TTL 64 - 1).
            List<Callable<String>> pings = new ArrayList<>();
            for (int i = 1; i <= SPOKES; i++) {
                for (int j = 1; j <= SPOKES; j++) {
                    if (i != j) {
                        Node from = spokes.get(i - 1);
                        String to = spokeAddress(j);
                        pings.add(() -> {
                            CommandResult r = from.exec("ping", "-n", "-c", "1", "-W", "15", to);
                            return r.ok() && r.stdout().contains("ttl=63 ") ? null
                                    : from + " -> " + to + ": " + r.describe();
                        });
                    }
                }
                Node from = spokes.get(i - 1);
                pings.add(() -> from.reaches("10.50.0.1", Duration.ofSeconds(15)) ? null
                        : from + " does not reach the hub");
            }
            assertEquals(List.of(), InParallel.call(pings).stream().filter(f -> f != null).toList(),
                    "spokes reach the hub and each other");

            // spoke1 -> spoke2 passes through the hub: its counters with both grow by the traffic.
            String spoke1 = spokes.get(0).keys("wg").publicKey();
            String spoke2 = spokes.get(1).keys("wg").publicKey();
            WgDump before = hub.dump(hubIf);
            spokes.get(0).run("ping", "-n", "-q", "-c", Integer.toString(BURST), "-i", "0.2", "-W", "5",
                    "-s", Integer.toString(PAYLOAD), spokeAddress(2));
            WgDump after = hub.dump(hubIf);
            long fromSpoke1 = after.peer(spoke1).orElseThrow().rxBytes() - before.peer(spoke1).orElseThrow().rxBytes();
            long toSpoke2 = after.peer(spoke2).orElseThrow().txBytes() - before.peer(spoke2).orElseThrow().txBytes();
            assertTrue(fromSpoke1 >= BURST * PAYLOAD, "the hub received spoke1's pings (" + fromSpoke1 + " bytes)");
            assertTrue(toSpoke2 >= BURST * PAYLOAD, "the hub sent them on to spoke2 (" + toSpoke2 + " bytes)");

            // No spoke has a tunnel of its own to another spoke: its one peer is the hub.
            for (int i = 1; i <= SPOKES; i++) {
                WgDump d = spokes.get(i - 1).dump(spokeIfs.get(i - 1));
                assertEquals(1, d.peers().size(), "spoke" + i + " has one peer: " + d);
                WgDump.Peer only = d.peers().get(0);
                assertEquals(hub.keys("wg").publicKey(), only.publicKey(), "spoke" + i + "'s peer is the hub");
                assertEquals(List.of("10.50.0.0/24"), only.allowedIps());
                assertEquals("192.0.2.1:51820", only.endpoint());
            }

            // And the hub is the only way: with its forwarding off, the spokes are cut off.
            hub.run("sysctl", "-q", "-w", "net.ipv4.ip_forward=0");
            CommandResult cut = spokes.get(0).exec("ping", "-n", "-c", "2", "-i", "0.5", "-W", "2", spokeAddress(2));
            assertFalse(cut.ok(), "without forwarding on the hub, spoke1 does not reach spoke2\n" + cut.describe());
            assertTrue(spokes.get(0).reaches("10.50.0.1", Duration.ofSeconds(5)), "while the hub itself still answers");
        } finally {
            for (Node s : spokes.reversed()) {
                s.close();
            }
            if (hub != null) {
                hub.close();
            }
            lan.close();
        }
    }

    private static String spokeAddress(int i) {
        return "10.50.0." + (10 + i);
    }
}
