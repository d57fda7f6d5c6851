// SPDX-License-Identifier: MIT
package io.jwg.cli.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.testing.Netns;
import io.jwg.core.testing.Requirements;
import io.jwg.core.testing.Veth;
import io.jwg.core.testing.WgDump;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 9: split routes (examples/09-split-routes). The client's own LAN and the remote LAN
 * behind the server are both 10.91.0.0/24; {@code AllowedIPs = 10.91.0.0/25, 10.91.0.128/25}
 * beat the connected /24, so hosts in both halves of the remote LAN answer through the tunnel,
 * while the local hosts with the very same addresses see no packet.
 */
@Tag(Requirements.TAG)
@ExtendWith(ScenarioReport.class)
class S09SplitRoutesIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern PACKETS = Pattern.compile("packets (\\d+)");

    @Test
    @DisplayName("09 split routes: /25s beat an overlapping local /24")
    void bothHalvesOfTheRemoteSubnetAreReachedThroughTheTunnelNotOnTheLocalLan() throws Exception {
        Requirements.assumeWireguardGo();
        try (Node client = new Node("client", Impl.JWG); Netns localHost = Netns.create("sc");
                Node server = new Node("server", Impl.JWG); Netns remoteLow = Netns.create("sc");
                Netns remoteHigh = Netns.create("sc")) {
            Veth.connect(client.netns(), server.netns()).ipv4("192.0.2.2/28", "192.0.2.1/28");
            // The client's own LAN: one host holding 10.91.0.10 and 10.91.0.200.
            Veth lan = Veth.connect(client.netns(), localHost);
            client.run("ip", "addr", "add", "10.91.0.1/24", "dev", lan.a().ifname());
            localHost.execOk("ip", "addr", "add", "10.91.0.10/24", "dev", lan.b().ifname());
            localHost.execOk("ip", "addr", "add", "10.91.0.200/24", "dev", lan.b().ifname());
            // The remote LAN behind the server, the same /24: 10.91.0.10 and 10.91.0.200 on a bridge.
            server.run("ip", "link", "add", "lan0", "type", "bridge");
            server.run("ip", "addr", "add", "10.91.0.1/24", "dev", "lan0");
            server.run("ip", "link", "set", "lan0", "up");
            for (Object[] h : new Object[][] {{remoteLow, "10.91.0.10/24"}, {remoteHigh, "10.91.0.200/24"}}) {
                Netns host = (Netns) h[0];
                Veth v = Veth.connect(server.netns(), host);
                server.run("ip", "link", "set", v.a().ifname(), "master", "lan0");
                host.execOk("ip", "addr", "add", (String) h[1], "dev", v.b().ifname());
                host.execOk("ip", "route", "add", "default", "via", "10.91.0.1");
            }
            for (Netns host : new Netns[] {localHost, remoteLow, remoteHigh}) {
                countIncoming(host);
            }
            // Control: before the tunnel, 10.91.0.10 is the local host, and its counter sees it.
            assertTrue(client.reaches("10.91.0.10", WAIT), "the local LAN host answers directly");
            assertTrue(packets(localHost) > 0, "the local host's counter counts");
            localHost.execOk("nft", "reset", "counter", "inet", "seen", "in");

            Map<String, String> keys = Map.of(
                    "client.private", client.keys("wg").privateKey(), "client.public", client.keys("wg").publicKey(),
                    "server.private", server.keys("wg").privateKey(), "server.public", server.keys("wg").publicKey());
            String clientIf = Node.ifname("sc");
            server.up(Node.ifname("ss"), Examples.render("09-split-routes/server.conf", keys));
            client.up(clientIf, Examples.render("09-split-routes/client.conf", keys));
            String routes = client.run("ip", "route").stdout();
            assertTrue(routes.contains("10.91.0.0/25 dev " + clientIf) && routes.contains("10.91.0.128/25 dev " + clientIf),
                    routes);
            assertEquals("dev " + clientIf, routeDevice(client, "10.91.0.10"));
            assertEquals("dev " + clientIf, routeDevice(client, "10.91.0.200"));

            assertTrue(client.reaches("10.91.0.10", WAIT), "the remote host in the lower half answers");
            assertTrue(client.reaches("10.91.0.200", WAIT), "the remote host in the upper half answers");
            assertTrue(packets(remoteLow) > 0, "the remote 10.91.0.10 got the packets");
            assertTrue(packets(remoteHigh) > 0, "the remote 10.91.0.200 got the packets");
            assertEquals(0, packets(localHost), "the local host with the same addresses saw nothing");
            WgDump.Peer p = client.dump(clientIf).peers().get(0);
            assertTrue(p.rxBytes() > 0 && p.txBytes() > 0, "the tunnel carried it: " + p);

            // Tunnel down: the connected /24 is the only route again, and the local host answers.
            client.down(clientIf);
            assertTrue(client.reaches("10.91.0.200", WAIT), "without the tunnel 10.91.0.200 is local again");
            assertTrue(packets(localHost) > 0);
        }
    }

    /** The device of the route to {@code address} as {@code ip route get} reports it. */
    private static String routeDevice(Node node, String address) {
        Matcher m = Pattern.compile("dev \\S+").matcher(node.run("ip", "route", "get", address).stdout());
        return m.find() ? m.group() : null;
    }

    /** A named nftables counter of every IPv4 packet the host receives. */
    private static void countIncoming(Netns host) {
        host.execOk("nft", "add", "table", "inet", "seen");
        host.execOk("nft", "add", "counter", "inet", "seen", "in");
        host.execOk("nft", "add", "chain", "inet", "seen", "input", "{ type filter hook input priority 0; }");
        host.execOk("nft", "add", "rule", "inet", "seen", "input", "meta", "nfproto", "ipv4", "counter", "name", "in");
    }

    private static long packets(Netns host) {
        Matcher m = PACKETS.matcher(host.execOk("nft", "list", "counter", "inet", "seen", "in").stdout());
        assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }
}
