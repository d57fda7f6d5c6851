// SPDX-License-Identifier: MIT
package io.jwg.tun;

import java.nio.ByteBuffer;

/**
 * Offsets of the IPv4 (RFC 791), IPv6 (RFC 8200) and TCP (RFC 9293) header fields that routing and
 * the offload paths read and rewrite, and big-endian accessors that work whatever order a caller's
 * buffer is set to. Offsets are from the start of the respective header. Public for the device's
 * routing (core's {@code IpPacket}); the rest is this package's.
 */
public final class IpFields {
    public static final int IPV4_SRC = 12;
    public static final int IPV4_DST = 16;
    public static final int IPV6_SRC = 8;
    public static final int IPV6_DST = 24;
    public static final int IPV4_TOTAL_LENGTH = 2;
    static final int IPV4_ID = 4;
    static final int IPV4_FLAGS_FRAGMENT = 6;
    static final int IPV4_TTL = 8;
    static final int IPV4_PROTOCOL = 9;
    static final int IPV4_CHECKSUM = 10;
    public static final int IPV4_MIN_HEADER = 20;
    static final int IPV4_DONT_FRAGMENT = 0x4000;
    static final int IPV4_MORE_FRAGMENTS = 0x2000;
    static final int IPV4_OFFSET_MASK = 0x1fff;

    static final int IPV6_FLOW = 0;
    public static final int IPV6_PAYLOAD_LENGTH = 4;
    static final int IPV6_NEXT_HEADER = 6;
    static final int IPV6_HOP_LIMIT = 7;
    public static final int IPV6_HEADER = 40;

    static final int TCP_SEQ = 4;
    static final int TCP_ACK = 8;
    static final int TCP_DATA_OFFSET = 12;
    static final int TCP_FLAGS = 13;
    static final int TCP_CHECKSUM = 16;
    static final int TCP_MIN_HEADER = 20;
    static final int TCP_FIN = 0x01;
    static final int TCP_SYN = 0x02;
    static final int TCP_RST = 0x04;
    static final int TCP_PSH = 0x08;
    static final int TCP_ACK_FLAG = 0x10;
    static final int TCP_URG = 0x20;
    static final int TCP_ECE = 0x40;
    static final int TCP_CWR = 0x80;

    static final int UDP_CHECKSUM = 6;

    private IpFields() {
    }

    static int u8(ByteBuffer b, int i) {
        return b.get(i) & 0xff;
    }

    /** A big-endian (network order) 16-bit field, whatever the buffer's own byte order. */
    public static int u16(ByteBuffer b, int i) {
        return (b.get(i) & 0xff) << 8 | (b.get(i + 1) & 0xff);
    }

    static int i32(ByteBuffer b, int i) {
        return (b.get(i) & 0xff) << 24 | (b.get(i + 1) & 0xff) << 16 | (b.get(i + 2) & 0xff) << 8
                | (b.get(i + 3) & 0xff);
    }

    static void putU16(ByteBuffer b, int i, int v) {
        b.put(i, (byte) (v >>> 8)).put(i + 1, (byte) v);
    }

    static void putI32(ByteBuffer b, int i, int v) {
        b.put(i, (byte) (v >>> 24)).put(i + 1, (byte) (v >>> 16)).put(i + 2, (byte) (v >>> 8))
                .put(i + 3, (byte) v);
    }

    /** The TCP header length in bytes, from its data-offset field. */
    static int tcpHeaderLength(ByteBuffer b, int tcp) {
        return (u8(b, tcp + TCP_DATA_OFFSET) >>> 4) * 4;
    }
}
