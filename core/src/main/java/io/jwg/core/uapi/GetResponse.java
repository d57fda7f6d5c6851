// SPDX-License-Identifier: MIT
package io.jwg.core.uapi;

import io.jwg.core.AllowedIps;
import io.jwg.core.DeviceState;
import io.jwg.core.PeerState;
import io.jwg.core.transport.Endpoint;
import io.jwg.noise.PresharedKey;
import java.time.Instant;

/**
 * The reply to {@code get=1} (wireguard.com/xplatform), in wireguard-go's order and formats,
 * which {@code wg show}, {@code wg showconf} and wg-quick parse:
 *
 * <pre>
 * private_key=HEX            only when set
 * listen_port=N              only when bound (non-zero)
 * fwmark=N                   only when non-zero, unsigned decimal
 * public_key=HEX             per peer, then always:
 * preshared_key=HEX          64 zeros when none
 * protocol_version=1
 * endpoint=IP:PORT           only when known; IPv6 as [addr]:port, RFC 5952, zone dropped
 * last_handshake_time_sec=S  Unix time of the latest handshake, 0 when none
 * last_handshake_time_nsec=N
 * tx_bytes=N
 * rx_bytes=N
 * persistent_keepalive_interval=S
 * allowed_ip=PREFIX          zero or more
 * errno=0
 * (empty line)
 * </pre>
 *
 * Peers come in the device's order (the order they were added), not in wireguard-go's random
 * one. The device public key is never sent: clients derive it. Stateless.
 */
final class GetResponse {
    private GetResponse() {}

    static String of(DeviceState state) {
        StringBuilder b = new StringBuilder(128 + 512 * state.peers().size());
        if (state.privateKey() != null && !state.privateKey().isZero()) {
            b.append("private_key=").append(state.privateKey().toHex()).append('\n');
        }
        if (state.listenPort() != 0) {
            b.append("listen_port=").append(state.listenPort()).append('\n');
        }
        if (state.fwmark() != 0) {
            b.append("fwmark=").append(Integer.toUnsignedString(state.fwmark())).append('\n');
        }
        for (PeerState p : state.peers()) {
            peer(b, p);
        }
        return b.append("errno=0\n\n").toString();
    }

    private static void peer(StringBuilder b, PeerState p) {
        PresharedKey psk = p.presharedKey() == null ? PresharedKey.NONE : p.presharedKey();
        b.append("public_key=").append(p.publicKey().toHex()).append('\n');
        b.append("preshared_key=").append(psk.toHex()).append('\n');
        b.append("protocol_version=1\n");
        if (p.endpoint() != null) {
            b.append("endpoint=").append(endpoint(p.endpoint())).append('\n');
        }
        Instant hs = p.lastHandshake();
        b.append("last_handshake_time_sec=").append(hs == null ? 0 : hs.getEpochSecond()).append('\n');
        b.append("last_handshake_time_nsec=").append(hs == null ? 0 : hs.getNano()).append('\n');
        b.append("tx_bytes=").append(p.txBytes()).append('\n');
        b.append("rx_bytes=").append(p.rxBytes()).append('\n');
        b.append("persistent_keepalive_interval=").append(p.persistentKeepalive()).append('\n');
        for (AllowedIps.Prefix prefix : p.allowedIps()) {
            b.append("allowed_ip=").append(IpText.format(prefix.bytes())).append('/').append(prefix.cidr())
                    .append('\n');
        }
    }

    /**
     * wireguard-go's text for an endpoint. Not {@link Endpoint#toString()}, which keeps an IPv6
     * zone that wireguard-go leaves out.
     */
    static String endpoint(Endpoint e) {
        String host = IpText.format(e.addressBytes());
        return e.isIpv6() ? "[" + host + "]:" + e.port() : host + ":" + e.port();
    }
}
