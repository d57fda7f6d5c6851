// SPDX-License-Identifier: MIT
package io.jwg.core;

import io.jwg.core.transport.Endpoint;
import io.jwg.noise.PresharedKey;
import io.jwg.noise.PublicKey;
import java.time.Instant;
import java.util.List;

/**
 * A snapshot of one peer: its configuration and statistics, as {@code wg show} reports them.
 *
 * @param endpoint null when unknown
 * @param lastHandshake null when no handshake has completed
 * @param rxBytes bytes of WireGuard datagrams received from the peer
 * @param txBytes bytes of WireGuard datagrams sent to the peer
 */
public record PeerState(PublicKey publicKey, PresharedKey presharedKey, Endpoint endpoint,
        int persistentKeepalive, Instant lastHandshake, long rxBytes, long txBytes,
        List<AllowedIps.Prefix> allowedIps) {}
