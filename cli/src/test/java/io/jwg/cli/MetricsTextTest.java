// SPDX-License-Identifier: MIT
package io.jwg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.AllowedIps;
import io.jwg.core.Device;
import io.jwg.core.DeviceOptions;
import io.jwg.core.DeviceState;
import io.jwg.core.PeerState;
import io.jwg.core.transport.Endpoint;
import io.jwg.core.transport.MemoryNetwork;
import io.jwg.noise.PublicKey;
import io.jwg.tun.memory.MemoryTun;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Prometheus text: prometheus_wireguard_exporter's names and labels, the format's escaping. */
class MetricsTextTest {
    private static final String KEY_A = "2S7mA0vEMethCNQrJpJKE81/JmhgtB+tHHLYQhgM6kk=";
    private static final String KEY_B = "qnoxQoQI8KKMupLnSSureORV0wMmH7JryZNsmGVISzU=";

    @Test
    void peersAreRenderedWithTheExportersNamesLabelsAndValues() throws Exception {
        PeerState a = new PeerState(PublicKey.fromBase64(KEY_A), null,
                Endpoint.of(InetAddress.getByName("192.0.2.2"), 51820), 0, Instant.ofEpochSecond(1_562_834_127L, 999),
                71_420_072L, 3_208_804L,
                List.of(AllowedIps.Prefix.parse("10.70.0.2/32"), AllowedIps.Prefix.parse("fd00::/64")));
        PeerState b = new PeerState(PublicKey.fromBase64(KEY_B), null, null, 0, null, 0, 0, List.of());
        DeviceState state = new DeviceState(null, null, 51820, 0, List.of(a, b));
        try (Device dev = device()) {
            String text = MetricsText.render("wg0", state, dev.stats());
            String labelsA = "{interface=\"wg0\",public_key=\"" + KEY_A + "\",allowed_ips=\"10.70.0.2/32,fd00::/64\"}";
            String labelsB = "{interface=\"wg0\",public_key=\"" + KEY_B + "\",allowed_ips=\"(none)\"}";
            String expectedPeers = """
                    # HELP wireguard_sent_bytes_total Bytes sent to the peer
                    # TYPE wireguard_sent_bytes_total counter
                    wireguard_sent_bytes_total%1$s 3208804
                    wireguard_sent_bytes_total%2$s 0
                    # HELP wireguard_received_bytes_total Bytes received from the peer
                    # TYPE wireguard_received_bytes_total counter
                    wireguard_received_bytes_total%1$s 71420072
                    wireguard_received_bytes_total%2$s 0
                    # HELP wireguard_latest_handshake_seconds UNIX time of the latest handshake with the peer, 0 if none
                    # TYPE wireguard_latest_handshake_seconds gauge
                    wireguard_latest_handshake_seconds%1$s 1562834127
                    wireguard_latest_handshake_seconds%2$s 0
                    # HELP wireguard_peers_total Total number of peers
                    # TYPE wireguard_peers_total gauge
                    wireguard_peers_total{interface="wg0"} 2
                    """.formatted(labelsA, labelsB);
            assertTrue(text.startsWith(expectedPeers), text);
            assertTrue(text.contains("# TYPE jwg_dropped_packets_total counter\n"), text);
            assertTrue(text.contains("jwg_dropped_packets_total{interface=\"wg0\",reason=\"decryption_failed\"} 0\n"), text);
            assertTrue(text.contains("jwg_internal_errors_total{interface=\"wg0\"} 0\n"), text);
            assertTrue(text.endsWith("\n"));
            assertWellFormed(text);
        }
    }

    @Test
    void dropCountersFollowTheDevicesStats() {
        try (Device dev = device()) {
            dev.stats().replayed.add(7);
            dev.stats().cookieRepliesSent.increment();
            String text = MetricsText.render("wg1", dev.state(), dev.stats());
            assertTrue(text.contains("jwg_dropped_packets_total{interface=\"wg1\",reason=\"replayed\"} 7\n"), text);
            assertTrue(text.contains("jwg_cookie_replies_sent_total{interface=\"wg1\"} 1\n"), text);
            assertTrue(text.contains("wireguard_peers_total{interface=\"wg1\"} 0\n"), text);
            assertWellFormed(text);
        }
    }

    @Test
    void labelValuesAreEscaped() {
        assertEquals("plain", MetricsText.escape("plain"));
        assertEquals("a\\\\b\\\"c\\nd", MetricsText.escape("a\\b\"c\nd"));
    }

    /** Every line a comment or {@code name{labels} integer}; every sample's family declared first. */
    private static void assertWellFormed(String text) {
        java.util.Set<String> declared = new java.util.HashSet<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                declared.add(line.split(" ")[2]);
            } else if (!line.startsWith("# HELP ")) {
                assertTrue(line.matches("[a-z_]+\\{[a-z_]+=\"[^\"]*\"(,[a-z_]+=\"[^\"]*\")*\\} [0-9]+"), line);
                assertTrue(declared.contains(line.substring(0, line.indexOf('{'))), line);
            }
        }
    }

    private static Device device() {
        try {
            return Device.create(new MemoryTun("wg0", 1420),
                    new MemoryNetwork().newBind(InetAddress.getByName("192.0.2.1")), DeviceOptions.defaults());
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
