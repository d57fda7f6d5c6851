// SPDX-License-Identifier: MIT
package io.jwg.core;

import static io.jwg.tun.IpFields.u16;

import io.jwg.tun.IpFields;
import java.nio.ByteBuffer;

/**
 * Header peeks into an IPv4 or IPv6 packet in a buffer: what the device needs for routing. The
 * field offsets are the tun module's ({@link IpFields}), which its offloads share.
 */
final class IpPacket {
    static final int IPV4_HEADER = IpFields.IPV4_MIN_HEADER;
    static final int IPV6_HEADER = IpFields.IPV6_HEADER;
    static final int IPV4_SRC = IpFields.IPV4_SRC;
    static final int IPV4_DST = IpFields.IPV4_DST;
    static final int IPV6_SRC = IpFields.IPV6_SRC;
    static final int IPV6_DST = IpFields.IPV6_DST;

    private IpPacket() {}

    /** The IP version nibble, or 0 for an empty packet. */
    static int version(ByteBuffer b, int off, int len) {
        return len == 0 ? 0 : (b.get(off) & 0xff) >>> 4;
    }

    /**
     * The length the IP header claims for a packet of at most {@code len} bytes, or -1 when the
     * packet is malformed or claims more than {@code len} (trailing bytes are transport padding).
     */
    static int claimedLength(ByteBuffer b, int off, int len) {
        int v = version(b, off, len);
        if (v == 4 && len >= IPV4_HEADER) {
            int total = u16(b, off + IpFields.IPV4_TOTAL_LENGTH);
            return total >= IPV4_HEADER && total <= len ? total : -1;
        }
        if (v == 6 && len >= IPV6_HEADER) {
            int total = IPV6_HEADER + u16(b, off + IpFields.IPV6_PAYLOAD_LENGTH);
            return total <= len ? total : -1;
        }
        return -1;
    }
}
