// SPDX-License-Identifier: MIT
package io.jwg.cli.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.testing.NamespaceThread;
import io.jwg.core.testing.Requirements;
import io.jwg.core.testing.Veth;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Scenario 1: a two-node backplane from examples/01-two-node-backplane. */
@Tag(Requirements.TAG)
@ExtendWith(ScenarioReport.class)
class S01TwoNodeBackplaneIT {

    @Test
    @DisplayName("01 two-node backplane: tunnel-only TCP service")
    void aServiceBoundToTheTunnelIsReachableThroughItAndNotThroughTheUnderlay() throws Exception {
        Requirements.assumeWireguardGo();
        try (Node n1 = new Node("node1", Impl.JWG); Node n2 = new Node("node2", Impl.JWG)) {
            Veth.connect(n1.netns(), n2.netns()).ipv4("192.0.2.1/24", "192.0.2.2/24");
            Map<String, String> values = Map.of(
                    "node1.private", n1.keys("wg").privateKey(), "node1.public", n1.keys("wg").publicKey(),
                    "node2.private", n2.keys("wg").privateKey(), "node2.public", n2.keys("wg").publicKey());
            n2.up(Node.ifname("bb"), Examples.render("01-two-node-backplane/node2.conf", values));
            n1.up(Node.ifname("bb"), Examples.render("01-two-node-backplane/node1.conf", values));
            assertTrue(n1.reaches("10.10.0.2", Duration.ofSeconds(12)), "node1 pings node2 through the tunnel");

            try (NamespaceThread in1 = new NamespaceThread(n1.netns());
                    NamespaceThread in2 = new NamespaceThread(n2.netns())) {
                ServerSocket service = in2.call(() -> new ServerSocket(8080, 5,
                        java.net.InetAddress.getByName("10.10.0.2")));
                try (service) {
                    CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> serveOnce(service));
                    String answer = in1.call(() -> request(new InetSocketAddress("10.10.0.2", 8080)));
                    assertEquals("hello from node2", answer);
                    assertEquals("hello from node1", served.get());
                    // The same port on node2's underlay address: nothing listens there.
                    assertThrows(IOException.class,
                            () -> in1.call(() -> request(new InetSocketAddress("192.0.2.2", 8080))));
                }
            }
        }
    }

    private static String serveOnce(ServerSocket service) {
        try (Socket s = service.accept()) {
            String got = new String(s.getInputStream().readNBytes(16), StandardCharsets.US_ASCII);
            OutputStream out = s.getOutputStream();
            out.write("hello from node2".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return got;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String request(InetSocketAddress to) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(to, 3000);
            s.setSoTimeout(5000);
            s.getOutputStream().write("hello from node1".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            return new String(in.readNBytes(16), StandardCharsets.US_ASCII);
        }
    }
}
