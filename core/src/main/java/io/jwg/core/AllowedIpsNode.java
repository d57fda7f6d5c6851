// SPDX-License-Identifier: MIT
package io.jwg.core;

import java.nio.ByteBuffer;

/**
 * One node of {@link AllowedIps}' path-compressed trie, and the 128-bit address arithmetic it
 * needs. An address is two longs, most significant first; IPv4 sits in the top 32 bits of
 * {@code hi}.
 *
 * <p>The prefix is final so a reader can never see it change; peer and children are volatile so
 * that a writer's single store publishes a fully built node (see {@link AllowedIps} on
 * thread-safety).
 */
final class AllowedIpsNode<P> {
    final long hi;
    final long lo;
    final long maskHi;
    final long maskLo;
    final int cidr;
    volatile P peer;
    volatile AllowedIpsNode<P> zero;
    volatile AllowedIpsNode<P> one;

    AllowedIpsNode(long hi, long lo, int cidr, P peer) {
        this.hi = hi;
        this.lo = lo;
        this.cidr = cidr;
        this.maskHi = maskHi(cidr);
        this.maskLo = maskLo(cidr);
        this.peer = peer;
    }

    /** Whether the address lies inside this node's prefix. */
    boolean covers(long h, long l) {
        return (((h ^ hi) & maskHi) | ((l ^ lo) & maskLo)) == 0;
    }

    AllowedIpsNode<P> child(int b) {
        return b == 0 ? zero : one;
    }

    void setChild(int b, AllowedIpsNode<P> n) {
        if (b == 0) {
            zero = n;
        } else {
            one = n;
        }
    }

    AllowedIps.Prefix toPrefix(boolean v6) {
        byte[] addr = new byte[v6 ? 16 : 4];
        ByteBuffer.allocate(16).putLong(hi).putLong(lo).get(0, addr);
        return AllowedIps.Prefix.of(addr, cidr);
    }

    /** The network-order address bytes (4 or 16) as the high word. */
    static long high(byte[] a) {
        return a.length == 4 ? (long) ByteBuffer.wrap(a).getInt() << 32 : ByteBuffer.wrap(a).getLong(0);
    }

    /** The network-order address bytes (4 or 16) as the low word. */
    static long low(byte[] a) {
        return a.length == 4 ? 0L : ByteBuffer.wrap(a).getLong(8);
    }

    static long maskHi(int cidr) {
        // Java shifts count modulo 64, so the whole-word cases are spelled out.
        return cidr >= 64 ? -1L : cidr == 0 ? 0L : -1L << (64 - cidr);
    }

    static long maskLo(int cidr) {
        return cidr <= 64 ? 0L : cidr == 128 ? -1L : -1L << (128 - cidr);
    }

    /** Bit {@code i} of the 128-bit address, counting from the most significant. */
    static int bit(long hi, long lo, int i) {
        return (int) (i < 64 ? hi >>> (63 - i) : lo >>> (127 - i)) & 1;
    }

    /** How many leading bits two addresses share (128 if equal). */
    static int commonBits(long hi1, long lo1, long hi2, long lo2) {
        long x = hi1 ^ hi2;
        return x != 0 ? Long.numberOfLeadingZeros(x) : 64 + Long.numberOfLeadingZeros(lo1 ^ lo2);
    }
}
