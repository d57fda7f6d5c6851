// SPDX-License-Identifier: MIT
package io.jwg.tun;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@code struct virtio_net_hdr} (include/uapi/linux/virtio_net.h), the 10 bytes that precede every
 * packet on a TUN descriptor opened with {@code IFF_VNET_HDR}. It is how the kernel hands us a TCP
 * packet of up to 64 KiB still to be cut into MTU-sized segments (TSO: {@code gso_type}
 * TCPV4/TCPV6, {@code gso_size} the segment payload), or one whose checksum it left for us to
 * finish ({@code NEEDS_CSUM}: the sum of everything from {@code csum_start} goes into the 16 bits
 * at {@code csum_start + csum_offset}); and how we hand it coalesced segments (GRO) in one write.
 * A legacy (pre-virtio-1.0) TUN header is in the machine's byte order.
 */
final class VirtioNetHdr {
    static final int SIZE = 10;
    static final int FLAGS = 0;
    static final int GSO_TYPE = 1;
    static final int HDR_LEN = 2;
    static final int GSO_SIZE = 4;
    static final int CSUM_START = 6;
    static final int CSUM_OFFSET = 8;

    static final int F_NEEDS_CSUM = 1;
    static final int GSO_NONE = 0;
    static final int GSO_TCPV4 = 1;
    static final int GSO_UDP = 3;
    static final int GSO_TCPV6 = 4;
    static final int GSO_ECN = 0x80;

    /** Offsets of the checksum field inside a TCP and a UDP header, for {@code csum_offset}. */
    static final int TCP_CSUM_OFFSET = 16;

    private static final boolean LITTLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private VirtioNetHdr() {
    }

    static int u16(ByteBuffer b, int i) {
        int lo = b.get(LITTLE ? i : i + 1) & 0xff;
        int hi = b.get(LITTLE ? i + 1 : i) & 0xff;
        return hi << 8 | lo;
    }

    static void putU16(ByteBuffer b, int i, int v) {
        b.put(LITTLE ? i : i + 1, (byte) v).put(LITTLE ? i + 1 : i, (byte) (v >>> 8));
    }

    /** Writes a header at {@code at}. */
    static void put(ByteBuffer b, int at, int flags, int gsoType, int hdrLen, int gsoSize,
                    int csumStart, int csumOffset) {
        b.put(at + FLAGS, (byte) flags).put(at + GSO_TYPE, (byte) gsoType);
        putU16(b, at + HDR_LEN, hdrLen);
        putU16(b, at + GSO_SIZE, gsoSize);
        putU16(b, at + CSUM_START, csumStart);
        putU16(b, at + CSUM_OFFSET, csumOffset);
    }
}
