// SPDX-License-Identifier: MIT
package io.jwg.core;

import java.nio.ByteBuffer;

/** Header peeks into an IPv4 or IPv6 packet in a buffer: what the device needs for routing. */
final class IpPacket {
    static final int IPV4_HEADER = 20;
    static final int IPV6_HEADER = 40;
    static final int IPV4_SRC = 12;
    static final int IPV4_DST = 16;
    static final int IPV6_SRC = 8;
    static final int IPV6_DST = 24;

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
            int total = u16(b, off + 2);
            return total >= IPV4_HEADER && total <= len ? total : -1;
        }
        if (v == 6 && len >= IPV6_HEADER) {
            int total = IPV6_HEADER + u16(b, off + 4);
            return total <= len ? total : -1;
        }
        return -1;
    }

    /** A big-endian (network order) 16-bit field, whatever the buffer's own byte order. */
    private static int u16(ByteBuffer b, int i) {
        return (b.get(i) & 0xff) << 8 | (b.get(i + 1) & 0xff);
    }
}
