// SPDX-License-Identifier: MIT
package io.jwg.tun;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the one's-complement sum of 16-bit big-endian words, and the
 * IPv4/IPv6 pseudo-headers that TCP and UDP add to it (RFC 793 section 3.1, RFC 8200 section 8.1).
 * The offload paths need it where the kernel left the work to us: completing a partial checksum,
 * and checksumming each TCP segment cut from a TSO packet.
 *
 * <p>Sums are kept as {@code long} accumulators of 16-bit words and folded at the end. Buffers are
 * summed in their own byte order, four bytes at a time: the one's-complement sum is the same in
 * either byte order up to a final byte swap (RFC 1071 section 2(B)), so a little-endian buffer
 * costs one swap, not a reordering per word. Stateless; nothing is allocated. Public for
 * {@code memory.Ping}, which builds and checks ICMP packets with it.
 */
public final class Checksums {
    static final int PROTO_TCP = 6;
    static final int PROTO_UDP = 17;

    private Checksums() {
    }

    /**
     * The sum of {@code buf[off, off+len)} as big-endian 16-bit words (an odd last byte padded
     * with zero), folded to 16 bits, not complemented.
     */
    public static int sum(ByteBuffer buf, int off, int len) {
        long acc = 0;
        int i = off;
        int end4 = off + (len & ~3);
        // Four bytes at a time into a 64-bit accumulator: 2^31 words could not overflow it.
        for (; i < end4; i += 4) {
            acc += buf.getInt(i) & 0xffffffffL;
        }
        if (i + 2 <= off + len) {
            acc += buf.getShort(i) & 0xffff;
            i += 2;
        }
        boolean big = buf.order() == ByteOrder.BIG_ENDIAN;
        if (i < off + len) {
            int last = buf.get(i) & 0xff;
            acc += big ? last << 8 : last;
        }
        int folded = fold(acc);
        return big ? folded : Short.reverseBytes((short) folded) & 0xffff;
    }

    /** Folds a sum of 16-bit words to 16 bits with end-around carries. */
    public static int fold(long acc) {
        acc = (acc & 0xffffffffL) + (acc >>> 32);
        acc = (acc & 0xffffffffL) + (acc >>> 32);
        acc = (acc & 0xffff) + (acc >>> 16);
        acc = (acc & 0xffff) + (acc >>> 16);
        acc = (acc & 0xffff) + (acc >>> 16);
        return (int) acc;
    }

    /**
     * The folded sum of the pseudo-header of the IP packet at {@code ip}: source and destination
     * addresses, the protocol and the transport length {@code l4Length}.
     */
    public static int pseudoHeader(ByteBuffer buf, int ip, int protocol, int l4Length) {
        int version = (buf.get(ip) & 0xff) >>> 4;
        int addrs;
        if (version == 4) {
            addrs = sum(buf, ip + IpFields.IPV4_SRC, 8);
        } else {
            addrs = sum(buf, ip + IpFields.IPV6_SRC, 32);
        }
        return fold((long) addrs + protocol + (l4Length & 0xffff) + (l4Length >>> 16));
    }

    /** The checksum to store: the complement of the folded sum. */
    public static int complement(int folded) {
        return ~folded & 0xffff;
    }

    /** The IPv4 header checksum of the header at {@code ip} (its own field counted as zero). */
    static int ipv4Header(ByteBuffer buf, int ip) {
        int ihl = (buf.get(ip) & 0x0f) * 4;
        int stored = IpFields.u16(buf, ip + 10);
        IpFields.putU16(buf, ip + 10, 0);
        int sum = sum(buf, ip, ihl);
        IpFields.putU16(buf, ip + 10, stored);
        return complement(sum);
    }

    /** True if the IPv4 header at {@code ip} carries a correct checksum. */
    static boolean ipv4HeaderValid(ByteBuffer buf, int ip) {
        int ihl = (buf.get(ip) & 0x0f) * 4;
        return sum(buf, ip, ihl) == 0xffff;
    }

    /**
     * True if the TCP or UDP segment at {@code l4} (to {@code end}) of the IP packet at {@code ip}
     * has a correct checksum: pseudo-header plus segment sums to all ones.
     */
    static boolean transportValid(ByteBuffer buf, int ip, int l4, int end, int protocol) {
        int len = end - l4;
        return fold((long) pseudoHeader(buf, ip, protocol, len) + sum(buf, l4, len)) == 0xffff;
    }
}
