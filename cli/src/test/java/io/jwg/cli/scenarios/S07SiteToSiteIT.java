// SPDX-License-Identifier: MIT
package io.jwg.cli.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.testing.CommandResult;
import io.jwg.core.testing.NamespaceThread;
import io.jwg.core.testing.Netns;
import io.jwg.core.testing.Requirements;
import io.jwg.core.testing.Veth;
import io.jwg.core.testing.WgDump;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Scenario 7: two LANs joined by a jwg and a wireguard-go gateway, from examples/07-site-to-site. */
@Tag(Requirements.TAG)
@ExtendWith(ScenarioReport.class)
class S07SiteToSiteIT {
    private static final String HOST_A = "10.71.1.10";
    private static final String HOST_B = "10.72.1.10";

    @Test
    @DisplayName("07 site to site: LAN hosts reach each other via gateways")
    void hostsOnTwoLansReachEachOtherThroughTheGatewaysTunnel() throws Exception {
        Requirements.assumeWireguardGo();
        try (Node gwA = new Node("gateway-a", Impl.JWG);
                Node gwB = new Node("gateway-b", Impl.WIREGUARD_GO);
                Netns hostA = Netns.create("sc");
                Netns hostB = Netns.create("sc")) {
            Veth.connect(gwA.netns(), gwB.netns()).ipv4("192.0.2.1/24", "192.0.2.2/24");
            lan(gwA.netns(), "10.71.1.1/24", hostA, HOST_A + "/24");
            lan(gwB.netns(), "10.72.1.1/24", hostB, HOST_B + "/24");
            Map<String, String> values = Map.of(
                    "gateway-a.private", gwA.keys("wg").privateKey(), "gateway-a.public", gwA.keys("wg").publicKey(),
                    "gateway-b.private", gwB.keys("wg").privateKey(), "gateway-b.public", gwB.keys("wg").publicKey());
            String ifA = Node.ifname("s2s");
            String ifB = Node.ifname("s2s");
            InParallel.run(List.<Runnable>of(
                    () -> gwA.up(ifA, Examples.render("07-site-to-site/gateway-a.conf", values)),
                    () -> gwB.up(ifB, Examples.render("07-site-to-site/gateway-b.conf", values))));

            // Ping both ways; the replies crossed two routers (both gateways): TTL 64 - 2.
            CommandResult aToB = hostA.exec("ping", "-n", "-c", "1", "-W", "20", HOST_B);
            assertTrue(aToB.ok() && aToB.stdout().contains("ttl=62 "), "host A pings host B\n" + aToB.describe());
            CommandResult bToA = hostB.exec("ping", "-n", "-c", "1", "-W", "10", HOST_A);
            assertTrue(bToA.ok() && bToA.stdout().contains("ttl=62 "), "host B pings host A\n" + bToA.describe());

            // TCP both ways; each server sees the client's own LAN address (routed, not NATed).
            try (NamespaceThread inA = new NamespaceThread(hostA); NamespaceThread inB = new NamespaceThread(hostB)) {
                assertEquals(HOST_A, connectOnce(inA, inB, HOST_B), "host B's server saw host A's address");
                assertEquals(HOST_B, connectOnce(inB, inA, HOST_A), "host A's server saw host B's address");
            }

            WgDump a = gwA.dump(ifA);
            WgDump b = gwB.dump(ifB);
            assertTrue(a.peer(gwB.keys("wg").publicKey()).orElseThrow().allowedIps().contains("10.72.1.0/24"),
                    "gateway A routes LAN B to gateway B: " + a);
            assertTrue(b.peer(gwA.keys("wg").publicKey()).orElseThrow().allowedIps().contains("10.71.1.0/24"),
                    "gateway B routes LAN A to gateway A: " + b);
            assertTrue(a.peers().get(0).hasHandshake() && b.peers().get(0).hasHandshake(),
                    "the gateways have a session");
            assertTrue(gwA.run("ip", "route", "show", "10.72.1.0/24").stdout().contains("dev " + ifA),
                    "wg-quick routed LAN B into the tunnel on gateway A");
        }
    }

    /**
     * A LAN cable from {@code gateway} ({@code gatewayCidr}) to {@code host} ({@code hostCidr}), and
     * the host's default route via the gateway.
     */
    private static void lan(Netns gateway, String gatewayCidr, Netns host, String hostCidr) {
        // Veth.ipv4 takes only underlay (documentation) addresses; a LAN gets its 10.x by hand.
        Veth cable = Veth.connect(gateway, host);
        gateway.execOk("ip", "addr", "add", gatewayCidr, "dev", cable.a().ifname());
        host.execOk("ip", "addr", "add", hostCidr, "dev", cable.b().ifname());
        host.execOk("ip", "route", "add", "default", "via", gatewayCidr.substring(0, gatewayCidr.indexOf('/')));
    }

    /**
     * A server in {@code serverSide} on {@code serverAddress}:8080, a client in {@code clientSide}
     * connecting to it and exchanging a line; returns the client address the server saw.
     */
    private static String connectOnce(NamespaceThread clientSide, NamespaceThread serverSide, String serverAddress)
            throws Exception {
        ServerSocket server = serverSide.call(() -> new ServerSocket(8080, 5, InetAddress.getByName(serverAddress)));
        try (server) {
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(10_000);
                    byte[] hello = s.getInputStream().readNBytes(5);
                    s.getOutputStream().write(hello);
                    return s.getInetAddress().getHostAddress();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            String echoed = clientSide.call(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(serverAddress, 8080), 10_000);
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                    return new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII);
                }
            });
            assertEquals("hello", echoed, "the TCP exchange to " + serverAddress + " completed");
            return seen.get(15, TimeUnit.SECONDS);
        }
    }
}
