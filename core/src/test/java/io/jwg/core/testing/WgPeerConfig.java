// SPDX-License-Identifier: MIT
package io.jwg.core.testing;

import java.util.List;

/**
 * The settings of one peer as {@code wg set INTERFACE peer ...} takes them (wg(8)).
 *
 * @param publicKey the peer's base64 public key
 * @param allowedIps CIDRs routed to and accepted from the peer (cryptokey routing)
 * @param endpoint {@code ip:port} or {@code [ip6]:port} to send to first, or null to wait for the
 *     peer to make contact
 * @param presharedKey base64 preshared key, or null for none
 * @param persistentKeepalive seconds between keepalives, 0 for off
 */
public record WgPeerConfig(String publicKey, List<String> allowedIps, String endpoint, String presharedKey,
        int persistentKeepalive) {

    public WgPeerConfig {
        allowedIps = List.copyOf(allowedIps);
        if (persistentKeepalive < 0 || persistentKeepalive > 65535) {
            throw new IllegalArgumentException("persistent keepalive out of range: " + persistentKeepalive);
        }
    }

    /** A peer with only its key and allowed IPs; add the rest with the {@code with...} methods. */
    public static WgPeerConfig of(String publicKey, String... allowedIps) {
        return new WgPeerConfig(publicKey, List.of(allowedIps), null, null, 0);
    }

    public WgPeerConfig withEndpoint(String ipPort) {
        return new WgPeerConfig(publicKey, allowedIps, ipPort, presharedKey, persistentKeepalive);
    }

    public WgPeerConfig withPresharedKey(String base64) {
        return new WgPeerConfig(publicKey, allowedIps, endpoint, base64, persistentKeepalive);
    }

    public WgPeerConfig withPersistentKeepalive(int seconds) {
        return new WgPeerConfig(publicKey, allowedIps, endpoint, presharedKey, seconds);
    }

    @Override
    public String toString() {
        return "WgPeerConfig[publicKey=" + publicKey + ", allowedIps=" + allowedIps + ", endpoint=" + endpoint
                + ", presharedKey=" + (presharedKey == null ? "none" : "(hidden)")
                + ", persistentKeepalive=" + persistentKeepalive + "]";
    }
}
