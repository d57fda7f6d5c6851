// SPDX-License-Identifier: MIT
package io.jwg.cli.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.testing.NamespaceThread;
import io.jwg.core.testing.Netns;
import io.jwg.core.testing.Pcap;
import io.jwg.core.testing.Requirements;
import io.jwg.core.testing.Veth;
import io.jwg.core.testing.WgDump;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 8: a full tunnel with {@code AllowedIPs = 0.0.0.0/0, ::/0} through wg-quick
 * (examples/08-full-tunnel). The client reaches an "internet" host that only the server can
 * route to, and that host sees the server's address; the client's own WireGuard datagrams still
 * leave through its local router (wg-quick's fwmark policy routing, which jwg must honour); with
 * the tunnel down the internet host is unreachable.
 */
@Tag(Requirements.TAG)
@ExtendWith(ScenarioReport.class)
class S08FullTunnelIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final InetSocketAddress SERVER = new InetSocketAddress("192.0.2.1", 51820);
    private static final InetSocketAddress INTERNET = new InetSocketAddress("198.51.100.200", 7777);

    @Test
    @DisplayName("08 full tunnel (0.0.0.0/0, ::/0) through wg-quick")
    void everythingGoesThroughTheServerExceptWireguardsOwnDatagrams() throws Exception {
        Requirements.assumeWireguardGo();
        try (Node client = new Node("client", Impl.JWG); Netns router = Netns.create("sc");
                Node server = new Node("server", Impl.JWG); Netns internet = Netns.create("sc")) {
            // client 192.0.2.18 -- .17 router .2 -- 192.0.2.1 server 198.51.100.193 -- .200 internet
            Veth home = Veth.connect(client.netns(), router).ipv4("192.0.2.18/28", "192.0.2.17/28");
            Veth.connect(router, server.netns()).ipv4("192.0.2.2/28", "192.0.2.1/28");
            Veth.connect(server.netns(), internet).ipv4("198.51.100.193/28", "198.51.100.200/28");
            client.run("ip", "route", "add", "default", "via", "192.0.2.17");
            router.execOk("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
            server.run("ip", "route", "add", "192.0.2.16/28", "via", "192.0.2.2");
            // Without the tunnel the client has no way to the internet host: its router knows no route.
            assertTrue(client.reaches("192.0.2.1", WAIT), "the client reaches the server's endpoint");
            assertFalse(pingOnce(client, "198.51.100.200"), "no route to the internet host but the tunnel");

            Map<String, String> keys = Map.of(
                    "client.private", client.keys("wg").privateKey(), "client.public", client.keys("wg").publicKey(),
                    "server.private", server.keys("wg").privateKey(), "server.public", server.keys("wg").publicKey());
            String serverIf = Node.ifname("fs");
            String clientIf = Node.ifname("fc");
            server.up(serverIf, Examples.render("08-full-tunnel/server.conf", keys));
            client.up(clientIf, Examples.render("08-full-tunnel/client.conf", keys));
            WgDump dump = client.dump(clientIf);
            assertEquals(51820, dump.fwmark(), "wg-quick gave the interface its fwmark: " + dump);
            for (String family : new String[] {"-4", "-6"}) {
                String rules = client.run("ip", family, "rule").stdout();
                assertTrue(rules.contains("not from all fwmark 0xca6c lookup 51820")
                        && rules.contains("from all lookup main suppress_prefixlength 0"), rules);
            }

            try (PacketCapture underlay = PacketCapture.start(client.netns(), home.a().ifname());
                    PacketCapture tunnel = PacketCapture.start(client.netns(), clientIf);
                    NamespaceThread inClient = new NamespaceThread(client.netns());
                    NamespaceThread inInternet = new NamespaceThread(internet)) {
                assertTrue(client.reaches("198.51.100.200", WAIT), "the client pings the internet host");

                // A UDP exchange: the internet host reports the source address it saw.
                DatagramSocket service = inInternet.call(() -> new DatagramSocket(INTERNET));
                DatagramSocket socket = inClient.call(() -> new DatagramSocket(0));
                try (service; socket) {
                    service.setSoTimeout(10_000);
                    socket.setSoTimeout(10_000);
                    CompletableFuture<InetAddress> seen = CompletableFuture.supplyAsync(() -> echoOnce(service));
                    byte[] hello = "hello internet".getBytes(StandardCharsets.US_ASCII);
                    socket.send(new DatagramPacket(hello, hello.length, INTERNET));
                    byte[] buf = new byte[64];
                    DatagramPacket answer = new DatagramPacket(buf, buf.length);
                    socket.receive(answer);
                    assertEquals("hello internet", new String(buf, 0, answer.getLength(), StandardCharsets.US_ASCII));
                    assertEquals(InetAddress.getByName("198.51.100.193"), seen.get(10, TimeUnit.SECONDS),
                            "the internet host sees the server's address, not the client's");
                }

                // The datagram went into the tunnel, and the underlay carried only WireGuard to the server.
                assertTrue(Poll.until(Duration.ofSeconds(5), () -> tunnel.udp().stream()
                        .anyMatch(d -> d.destination().equals(INTERNET))), "into the tunnel: " + tunnel.packets());
                List<PacketCapture.Packet> out = underlay.packets().stream()
                        .filter(p -> p.outgoing() && p.version() == 4).toList();
                List<Pcap.UdpDatagram> toServer = out.stream().flatMap(p -> p.udp().stream())
                        .filter(d -> d.destination().equals(SERVER)).toList();
                assertFalse(toServer.isEmpty(), "WireGuard's datagrams to the server leave on the underlay: " + out);
                assertEquals(List.of(), out.stream().filter(p -> !p.udp().map(d -> d.destination().equals(SERVER))
                        .orElse(false)).toList(), "nothing else leaves on the underlay in the clear");
                assertTrue(toServer.stream().allMatch(d -> d.source().getAddress().getHostAddress().equals("192.0.2.18")));
            }
            WgDump s = server.dump(serverIf);
            assertTrue(s.peers().get(0).endpoint().startsWith("192.0.2.18:"), s.toString());

            // Tunnel down: wg-quick removes its rules, and the internet host is out of reach again.
            assertTrue(client.down(clientIf).ok());
            assertFalse(pingOnce(client, "198.51.100.200"), "the internet host is only reachable through the tunnel");
            assertTrue(client.reaches("192.0.2.1", WAIT), "while the local network still works");
        }
    }

    private static boolean pingOnce(Node node, String address) {
        return node.exec("ping", "-n", "-c", "1", "-W", "2", address).ok();
    }

    private static InetAddress echoOnce(DatagramSocket service) {
        try {
            byte[] buf = new byte[64];
            DatagramPacket got = new DatagramPacket(buf, buf.length);
            service.receive(got);
            service.send(new DatagramPacket(buf, got.getLength(), got.getSocketAddress()));
            return got.getAddress();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
