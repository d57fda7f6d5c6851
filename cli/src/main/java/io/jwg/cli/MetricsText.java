// SPDX-License-Identifier: MIT
package io.jwg.cli;

import io.jwg.core.AllowedIps;
import io.jwg.core.DeviceState;
import io.jwg.core.DeviceStats;
import io.jwg.core.PeerState;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * A device's statistics in the Prometheus text exposition format 0.0.4. The peer metrics have
 * the names and labels of prometheus_wireguard_exporter (MindFlavor), so that dashboards and
 * alerts written for it work unchanged:
 *
 * <pre>
 * wireguard_sent_bytes_total{interface,public_key,allowed_ips}          counter, as wg show transfer
 * wireguard_received_bytes_total{interface,public_key,allowed_ips}      counter
 * wireguard_latest_handshake_seconds{interface,public_key,allowed_ips}  gauge, UNIX time, 0 = never
 * wireguard_peers_total{interface}                                      gauge
 * </pre>
 *
 * {@code allowed_ips} is the list as {@code wg show IF dump} prints it (comma-separated, or
 * {@code (none)}). jwg adds what only it knows, the packets it dropped and why
 * ({@code jwg_dropped_packets_total{interface,reason}}), cookie replies sent under load and
 * internal errors.
 */
final class MetricsText {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private record Drop(String reason, Function<DeviceStats, LongAdder> counter) {}

    private static final List<Drop> DROPS = List.of(
            new Drop("invalid_message", s -> s.invalidMessages),
            new Drop("unknown_index", s -> s.unknownIndex),
            new Drop("decryption_failed", s -> s.decryptionFailed),
            new Drop("replayed", s -> s.replayed),
            new Drop("disallowed_source", s -> s.disallowedSource),
            new Drop("no_route", s -> s.noRoute),
            new Drop("handshake_rejected", s -> s.handshakeRejected),
            new Drop("handshake_dropped", s -> s.handshakeDropped),
            new Drop("send_error", s -> s.sendErrors),
            new Drop("tun_write_error", s -> s.tunWriteErrors));

    private MetricsText() {}

    /** The metrics of the device serving interface {@code iface}. */
    static String render(String iface, DeviceState state, DeviceStats stats) {
        StringBuilder b = new StringBuilder(512 + state.peers().size() * 3 * 160);
        String ifLabel = "interface=\"" + escape(iface) + "\"";
        String[] peerLabels = new String[state.peers().size()];
        for (int i = 0; i < peerLabels.length; i++) {
            PeerState p = state.peers().get(i);
            peerLabels[i] = ifLabel + ",public_key=\"" + p.publicKey().toBase64() + "\",allowed_ips=\""
                    + escape(allowedIps(p.allowedIps())) + "\"";
        }

        header(b, "wireguard_sent_bytes_total", "counter", "Bytes sent to the peer");
        for (int i = 0; i < peerLabels.length; i++) {
            sample(b, "wireguard_sent_bytes_total", peerLabels[i], state.peers().get(i).txBytes());
        }
        header(b, "wireguard_received_bytes_total", "counter", "Bytes received from the peer");
        for (int i = 0; i < peerLabels.length; i++) {
            sample(b, "wireguard_received_bytes_total", peerLabels[i], state.peers().get(i).rxBytes());
        }
        header(b, "wireguard_latest_handshake_seconds", "gauge",
                "UNIX time of the latest handshake with the peer, 0 if none");
        for (int i = 0; i < peerLabels.length; i++) {
            var hs = state.peers().get(i).lastHandshake();
            sample(b, "wireguard_latest_handshake_seconds", peerLabels[i], hs == null ? 0 : hs.getEpochSecond());
        }
        header(b, "wireguard_peers_total", "gauge", "Total number of peers");
        sample(b, "wireguard_peers_total", ifLabel, state.peers().size());

        header(b, "jwg_dropped_packets_total", "counter", "Packets jwg dropped, by reason");
        for (Drop d : DROPS) {
            sample(b, "jwg_dropped_packets_total", ifLabel + ",reason=\"" + d.reason + "\"", d.counter.apply(stats).sum());
        }
        header(b, "jwg_cookie_replies_sent_total", "counter", "Cookie replies sent because of load");
        sample(b, "jwg_cookie_replies_sent_total", ifLabel, stats.cookieRepliesSent.sum());
        header(b, "jwg_internal_errors_total", "counter", "Unexpected failures in jwg's data path (bugs; logged)");
        sample(b, "jwg_internal_errors_total", ifLabel, stats.internalErrors.sum());
        return b.toString();
    }

    /** As {@code wg show IF dump}: comma-separated, or {@code (none)}. */
    static String allowedIps(List<AllowedIps.Prefix> prefixes) {
        if (prefixes.isEmpty()) {
            return "(none)";
        }
        StringBuilder b = new StringBuilder();
        for (AllowedIps.Prefix p : prefixes) {
            b.append(b.isEmpty() ? "" : ",").append(p);
        }
        return b.toString();
    }

    /** A label value with backslash, double quote and line feed escaped, as the format requires. */
    static String escape(String value) {
        StringBuilder b = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String r = c == '\\' ? "\\\\" : c == '"' ? "\\\"" : c == '\n' ? "\\n" : null;
            if (r != null && b == null) {
                b = new StringBuilder(value.length() + 8).append(value, 0, i);
            }
            if (b != null) {
                if (r != null) {
                    b.append(r);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? value : b.toString();
    }

    private static void header(StringBuilder b, String name, String type, String help) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder b, String name, String labels, long value) {
        b.append(name).append('{').append(labels).append("} ").append(value).append('\n');
    }
}
