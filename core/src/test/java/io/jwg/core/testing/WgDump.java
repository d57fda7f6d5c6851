// SPDX-License-Identifier: MIT
package io.jwg.core.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The state of one WireGuard interface as {@code wg show INTERFACE dump} prints it (wg(8)): a
 * first line for the interface, then one line per peer, fields separated by tabs, {@code (none)}
 * for absent values and {@code off} for a disabled keepalive or fwmark.
 *
 * @param privateKey the interface's base64 private key, or null
 * @param publicKey the interface's base64 public key, or null
 * @param listenPort the UDP port the interface listens on
 * @param fwmark the firewall mark, 0 when off
 * @param peers the peers, in the order {@code wg} printed them
 */
public record WgDump(String privateKey, String publicKey, int listenPort, long fwmark, List<Peer> peers) {

    /**
     * One peer line.
     *
     * @param publicKey base64 public key
     * @param presharedKey base64 preshared key, or null
     * @param endpoint last known {@code ip:port}, or null
     * @param allowedIps allowed IPs as CIDRs
     * @param latestHandshakeEpochSeconds UNIX time of the last completed handshake, 0 if none
     * @param rxBytes bytes received from the peer
     * @param txBytes bytes sent to the peer
     * @param persistentKeepalive keepalive interval in seconds, 0 when off
     */
    public record Peer(String publicKey, String presharedKey, String endpoint, List<String> allowedIps,
            long latestHandshakeEpochSeconds, long rxBytes, long txBytes, int persistentKeepalive) {

        public Peer {
            allowedIps = List.copyOf(allowedIps);
        }

        /** True once a handshake with this peer has completed. */
        public boolean hasHandshake() {
            return latestHandshakeEpochSeconds != 0;
        }

        /** When the last handshake completed, if ever. */
        public Optional<Instant> latestHandshake() {
            return hasHandshake() ? Optional.of(Instant.ofEpochSecond(latestHandshakeEpochSeconds)) : Optional.empty();
        }

        @Override
        public String toString() {
            return "Peer[publicKey=" + publicKey + ", endpoint=" + endpoint + ", allowedIps=" + allowedIps
                    + ", latestHandshake=" + latestHandshakeEpochSeconds + ", rx=" + rxBytes + ", tx=" + txBytes
                    + ", persistentKeepalive=" + persistentKeepalive + "]";
        }
    }

    public WgDump {
        peers = List.copyOf(peers);
    }

    /** The peer with {@code publicKey}, if configured. */
    public Optional<Peer> peer(String publicKey) {
        return peers.stream().filter(p -> p.publicKey.equals(publicKey)).findFirst();
    }

    /**
     * Parses the output of {@code wg show INTERFACE dump} (not {@code wg show all dump}, whose
     * lines start with an extra interface-name column).
     *
     * @throws IllegalArgumentException when a line does not have the expected fields
     */
    public static WgDump parse(String text) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("empty wg dump");
        }
        String[] head = fields(lines.get(0), 4);
        List<Peer> peers = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = fields(line, 8);
            List<String> allowed = f[3].equals("(none)") ? List.of() : Arrays.asList(f[3].split(","));
            peers.add(new Peer(f[0], none(f[1]), none(f[2]), allowed, Long.parseLong(f[4]),
                    Long.parseLong(f[5]), Long.parseLong(f[6]), f[7].equals("off") ? 0 : Integer.parseInt(f[7])));
        }
        return new WgDump(none(head[0]), none(head[1]), Integer.parseInt(head[2]),
                head[3].equals("off") ? 0 : Long.decode(head[3]), peers);
    }

    @Override
    public String toString() {
        return "WgDump[publicKey=" + publicKey + ", listenPort=" + listenPort + ", fwmark=" + fwmark
                + ", peers=" + peers + "]";
    }

    private static String[] fields(String line, int expected) {
        String[] f = line.split("\t", -1);
        if (f.length != expected) {
            throw new IllegalArgumentException("expected " + expected + " tab-separated fields: " + line);
        }
        return f;
    }

    private static String none(String field) {
        return field.equals("(none)") ? null : field;
    }
}
