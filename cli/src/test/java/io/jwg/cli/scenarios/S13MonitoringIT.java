// SPDX-License-Identifier: MIT
package io.jwg.cli.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.testing.CommandResult;
import io.jwg.core.testing.NamespaceThread;
import io.jwg.core.testing.Requirements;
import io.jwg.core.testing.Veth;
import io.jwg.core.testing.WgKeys;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 13: monitoring, from examples/13-monitoring. {@code wg show IF transfer} and
 * {@code latest-handshakes} on the jwg host tell the truth about the traffic pushed through the
 * tunnel, and jwg's own Prometheus endpoint ({@code JWG_METRICS=10.13.0.1:9586}, bound before
 * wg-quick adds that address) serves the same numbers to the monitoring host through the tunnel,
 * and is not reachable on the underlay.
 */
@Tag(Requirements.TAG)
@ExtendWith(ScenarioReport.class)
class S13MonitoringIT {
    private static final int PINGS = 20;
    private static final int PAYLOAD = 1000;
    private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)\\{([^}]*)\\} ([0-9]+)$", Pattern.MULTILINE);

    @Test
    @DisplayName("13 monitoring: wg show transfer/handshakes + jwg Prometheus metrics")
    void transferAndHandshakesAreTrueAndTheMetricsEndpointServesThemThroughTheTunnel() throws Exception {
        Requirements.assumeWireguardGo();
        try (Node n1 = new Node("node1", Impl.JWG); Node n2 = new Node("node2", Impl.WIREGUARD_GO)) {
            Veth.connect(n1.netns(), n2.netns()).ipv4("192.0.2.1/24", "192.0.2.2/24");
            WgKeys node3 = WgKeys.generate();
            Map<String, String> values = Map.of(
                    "node1.private", n1.keys("wg").privateKey(), "node1.public", n1.keys("wg").publicKey(),
                    "node2.private", n2.keys("wg").privateKey(), "node2.public", n2.keys("wg").publicKey(),
                    "node3.public", node3.publicKey());
            String if1 = Node.ifname("mon");
            String if2 = Node.ifname("mon");
            n2.up(if2, Examples.render("13-monitoring/node2.conf", values));
            long upAt = Instant.now().getEpochSecond();
            n1.up(if1, Examples.render("13-monitoring/node1.conf", values), Map.of("JWG_METRICS", "10.13.0.1:9586"));
            assertTrue(n2.reaches("10.13.0.1", Duration.ofSeconds(12)), "node2 pings node1 through the tunnel");

            // Traffic of a known size: 20 pings of 1000 bytes each way.
            String node2Key = n2.keys("wg").publicKey();
            String node1Key = n1.keys("wg").publicKey();
            long[] before1 = transfer(n1, if1, node2Key);
            long[] before2 = transfer(n2, if2, node1Key);
            CommandResult ping = n2.run("ping", "-n", "-q", "-c", String.valueOf(PINGS), "-i", "0.05", "-W", "3",
                    "-s", String.valueOf(PAYLOAD), "10.13.0.1");
            assertTrue(ping.stdout().contains(PINGS + " received"), ping.describe());
            long[] after1 = transfer(n1, if1, node2Key);
            long[] after2 = transfer(n2, if2, node1Key);
            long pushed = (long) PINGS * PAYLOAD;
            assertTrue(after1[0] - before1[0] >= pushed, "jwg received at least the echo requests: "
                    + (after1[0] - before1[0]) + " bytes");
            assertTrue(after1[1] - before1[1] >= pushed, "jwg sent at least the echo replies: "
                    + (after1[1] - before1[1]) + " bytes");
            assertTrue(after2[0] - before2[0] >= pushed && after2[1] - before2[1] >= pushed,
                    "wireguard-go counted as much: rx " + (after2[0] - before2[0]) + ", tx " + (after2[1] - before2[1]));
            // Both ends count whole datagrams: what one sent, the other received (nothing else
            // crossed the link while the pings ran, and no packet was lost).
            assertEquals(after1[1] - before1[1], after2[0] - before2[0], "jwg's tx = wireguard-go's rx");
            assertEquals(after2[1] - before2[1], after1[0] - before1[0], "wireguard-go's tx = jwg's rx");

            long now = Instant.now().getEpochSecond();
            long handshake = latestHandshake(n1, if1, node2Key);
            assertTrue(handshake >= upAt - 1 && handshake <= now + 1,
                    "latest handshake " + handshake + " is between the start " + upAt + " and now " + now);
            assertEquals(0, latestHandshake(n1, if1, node3.publicKey()), "node3 never connected");

            // The metrics, scraped by the monitoring host through the tunnel.
            try (NamespaceThread in2 = new NamespaceThread(n2.netns())) {
                long[] dumpBefore = transfer(n1, if1, node2Key);
                String response = in2.call(() -> get(new InetSocketAddress("10.13.0.1", 9586), "/metrics"));
                long[] dumpAfter = transfer(n1, if1, node2Key);
                assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
                assertTrue(response.toLowerCase(java.util.Locale.ROOT) // header names are case-insensitive
                        .contains("\r\ncontent-type: text/plain; version=0.0.4; charset=utf-8\r\n"), response);
                Map<String, Long> m = samples(response.substring(response.indexOf("\r\n\r\n") + 4));

                String peer2 = "interface=\"" + if1 + "\",public_key=\"" + node2Key + "\",allowed_ips=\"10.13.0.2/32\"";
                String peer3 = "interface=\"" + if1 + "\",public_key=\"" + node3.publicKey()
                        + "\",allowed_ips=\"10.13.0.3/32\"";
                // The scrape itself crosses the tunnel: the values lie between the dumps around it.
                long sent = m.get("wireguard_sent_bytes_total{" + peer2 + "}");
                long received = m.get("wireguard_received_bytes_total{" + peer2 + "}");
                assertTrue(dumpBefore[1] <= sent && sent <= dumpAfter[1],
                        "sent " + sent + " within wg show's " + dumpBefore[1] + ".." + dumpAfter[1]);
                assertTrue(dumpBefore[0] <= received && received <= dumpAfter[0],
                        "received " + received + " within wg show's " + dumpBefore[0] + ".." + dumpAfter[0]);
                assertTrue(sent >= after1[1] && received >= after1[0], "at least the pings");
                assertEquals(latestHandshake(n1, if1, node2Key),
                        m.get("wireguard_latest_handshake_seconds{" + peer2 + "}"));
                assertEquals(0L, m.get("wireguard_latest_handshake_seconds{" + peer3 + "}"));
                assertEquals(0L, m.get("wireguard_sent_bytes_total{" + peer3 + "}"));
                assertEquals(0L, m.get("wireguard_received_bytes_total{" + peer3 + "}"));
                assertEquals(2L, m.get("wireguard_peers_total{interface=\"" + if1 + "\"}"));
                assertEquals(0L, m.get("jwg_internal_errors_total{interface=\"" + if1 + "\"}"));

                assertTrue(in2.call(() -> get(new InetSocketAddress("10.13.0.1", 9586), "/"))
                        .startsWith("HTTP/1.1 404 "), "only /metrics is served");
                // Bound to the tunnel address only: nothing answers on the underlay.
                assertThrows(IOException.class,
                        () -> in2.call(() -> get(new InetSocketAddress("192.0.2.1", 9586), "/metrics")));
            }
        }
    }

    /** {rx, tx} of {@code peer} from {@code wg show IF transfer}. */
    private static long[] transfer(Node n, String ifname, String peer) {
        for (String line : n.run("wg", "show", ifname, "transfer").stdout().split("\n")) {
            String[] f = line.split("\t");
            if (f[0].equals(peer)) {
                return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])};
            }
        }
        throw new AssertionError("no transfer line for " + peer + " on " + n);
    }

    /** {@code wg show IF latest-handshakes} for {@code peer}: UNIX seconds, 0 if none. */
    private static long latestHandshake(Node n, String ifname, String peer) {
        for (String line : n.run("wg", "show", ifname, "latest-handshakes").stdout().split("\n")) {
            String[] f = line.split("\t");
            if (f[0].equals(peer)) {
                return Long.parseLong(f[1]);
            }
        }
        throw new AssertionError("no latest-handshakes line for " + peer + " on " + n);
    }

    /** Every sample line, keyed by {@code name{labels}}. */
    private static Map<String, Long> samples(String body) {
        Map<String, Long> out = new HashMap<>();
        Matcher m = SAMPLE.matcher(body);
        while (m.find()) {
            out.put(m.group(1) + "{" + m.group(2) + "}", Long.parseLong(m.group(3)));
        }
        return out;
    }

    /** A plain HTTP/1.1 GET, as a Prometheus scrape; the whole response. */
    private static String get(InetSocketAddress to, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(to, 3000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + to.getHostString() + ":" + to.getPort()
                    + "\r\nAccept: text/plain\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
