// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import static jdk.incubator.vector.VectorOperators.AND;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.OR;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Poly1305 (RFC 8439 sections 2.5 and 2.8) four blocks at a time on the Vector API, for
 * {@link VectorChaCha20Poly1305}. Same results as {@link Poly1305}; about twice its speed on AVX2.
 *
 * <p>Lane j accumulates blocks j, j + 4, j + 8, ... by Horner's rule with r^4 (26-bit limbs, so the
 * 32x32-bit {@code vpmuludq} does the products: C2 uses it when both operands are visibly below
 * 2^32, hence the {@code AND 0xffffffff} before each multiplication). At the end the four lanes are
 * folded with r by the scalar Horner rule: {@code ((h_0 r + h_1) r + h_2) r + h_3) r}. The message
 * is preceded by zero blocks without the 2^128 bit so that its block count is a multiple of four;
 * they leave the accumulator at zero. Blocks reach the lanes through {@code withLane}: a
 * MemorySegment view would load them faster but allocates per call in this method (measured 32
 * bytes), and the whole point of the data path is to allocate nothing.
 *
 * <p>Stateless, thread-safe, allocation-free.
 */
final class Poly1305Vector {

    private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_256;
    private static final long LIMB = Poly1305.LIMB;
    private static final long LOW32 = 0xffffffffL;

    private static final VarHandle BUFFER_LONG =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle ARRAY_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Poly1305Vector() {}

    /** As {@link Poly1305#mac}. */
    static void mac(byte[] key, ByteBuffer msg, int off, int len, ByteBuffer tag, int tagOff) {
        compute(true, (long) ARRAY_LONG.get(key, 0), (long) ARRAY_LONG.get(key, 8), (long) ARRAY_LONG.get(key, 16),
                (long) ARRAY_LONG.get(key, 24), null, msg, off, len, tag, tagOff, false);
    }

    /** As {@link Poly1305#aeadTag}. */
    static boolean aeadTag(long r0, long r1, long s0, long s1, byte[] ad, ByteBuffer ct, int ctOff,
            int ctLen, ByteBuffer tagBuf, int tagOff, boolean verify) {
        return compute(false, r0, r1, s0, s1, ad, ct, ctOff, ctLen, tagBuf, tagOff, verify);
    }

    private static boolean compute(boolean raw, long k0, long k1, long s0, long s1, byte[] ad,
            ByteBuffer msg, int off, int len, ByteBuffer tagBuf, int tagOff, boolean verify) {
        k0 &= Poly1305.R0_CLAMP;
        k1 &= Poly1305.R1_CLAMP;
        final long r0 = k0 & LIMB, r1 = (k0 >>> 26) & LIMB, r2 = ((k0 >>> 52) | (k1 << 12)) & LIMB;
        final long r3 = (k1 >>> 14) & LIMB, r4 = k1 >>> 40;

        // r^4 = (r^2)^2, squaring in radix 2^26 (the doubled cross terms are folded in)
        long a0 = r0, a1 = r1, a2 = r2, a3 = r3, a4 = r4;
        for (int i = 0; i < 2; i++) {
            long d0 = a0 * a0 + 10 * (a1 * a4 + a2 * a3);
            long d1 = 2 * a0 * a1 + 5 * (a3 * a3 + 2 * a2 * a4);
            long d2 = 2 * a0 * a2 + a1 * a1 + 10 * a3 * a4;
            long d3 = 2 * (a0 * a3 + a1 * a2) + 5 * a4 * a4;
            long d4 = 2 * (a0 * a4 + a1 * a3) + a2 * a2;
            d1 += d0 >>> 26;
            d2 += d1 >>> 26;
            d3 += d2 >>> 26;
            d4 += d3 >>> 26;
            a0 = (d0 & LIMB) + 5 * (d4 >>> 26);
            a1 = (d1 & LIMB) + (a0 >>> 26);
            a0 &= LIMB;
            a2 = d2 & LIMB;
            a3 = d3 & LIMB;
            a4 = d4 & LIMB;
        }
        final LongVector w0 = LongVector.broadcast(LONGS, a0).lanewise(AND, LOW32);
        final LongVector w1 = LongVector.broadcast(LONGS, a1).lanewise(AND, LOW32);
        final LongVector w2 = LongVector.broadcast(LONGS, a2).lanewise(AND, LOW32);
        final LongVector w3 = LongVector.broadcast(LONGS, a3).lanewise(AND, LOW32);
        final LongVector w4 = LongVector.broadcast(LONGS, a4).lanewise(AND, LOW32);
        final LongVector v1 = LongVector.broadcast(LONGS, 5 * a1).lanewise(AND, LOW32);
        final LongVector v2 = LongVector.broadcast(LONGS, 5 * a2).lanewise(AND, LOW32);
        final LongVector v3 = LongVector.broadcast(LONGS, 5 * a3).lanewise(AND, LOW32);
        final LongVector v4 = LongVector.broadcast(LONGS, 5 * a4).lanewise(AND, LOW32);

        final int adLen = ad == null ? 0 : ad.length;
        final int adBlocks = (adLen + 15) >>> 4;
        final int fullEnd = adBlocks + (len >>> 4); // virtual index after the last full message block
        final int blocks = raw ? (len + 15) >>> 4 : adBlocks + ((len + 15) >>> 4) + 1;
        final LongVector zero = LongVector.zero(LONGS);
        final LongVector bit128 = LongVector.broadcast(LONGS, 1L << 24);
        LongVector h0 = zero, h1 = zero, h2 = zero, h3 = zero, h4 = zero;
        for (int v = -(-blocks & 3); v < blocks; v += 4) {
            LongVector lo, hi, top;
            if (v >= adBlocks && v + 4 <= fullEnd) {
                int o = off + ((v - adBlocks) << 4);
                lo = zero.withLane(0, (long) BUFFER_LONG.get(msg, o))
                        .withLane(1, (long) BUFFER_LONG.get(msg, o + 16))
                        .withLane(2, (long) BUFFER_LONG.get(msg, o + 32))
                        .withLane(3, (long) BUFFER_LONG.get(msg, o + 48));
                hi = zero.withLane(0, (long) BUFFER_LONG.get(msg, o + 8))
                        .withLane(1, (long) BUFFER_LONG.get(msg, o + 24))
                        .withLane(2, (long) BUFFER_LONG.get(msg, o + 40))
                        .withLane(3, (long) BUFFER_LONG.get(msg, o + 56));
                top = bit128;
            } else {
                lo = zero;
                hi = zero;
                top = zero;
                for (int j = 0; j < 4; j++) {
                    int b = v + j;
                    long wLo = 0, wHi = 0, bit = 1;
                    if (b < 0) {
                        bit = 0; // leading padding block
                    } else if (b < adBlocks) {
                        wLo = Poly1305.word(ad, null, 0, b << 4, adLen, false);
                        wHi = Poly1305.word(ad, null, 0, (b << 4) + 8, adLen, false);
                    } else if (raw || b < blocks - 1) {
                        int o = (b - adBlocks) << 4;
                        wLo = Poly1305.word(null, msg, off, o, len, raw);
                        wHi = Poly1305.word(null, msg, off, o + 8, len, raw);
                        bit = raw && o + 16 > len ? 0 : 1;
                    } else {
                        wLo = adLen;
                        wHi = len;
                    }
                    lo = lo.withLane(j, wLo);
                    hi = hi.withLane(j, wHi);
                    top = top.withLane(j, bit << 24);
                }
            }
            // h = h * r^4 + m, lane by lane
            h0 = h0.lanewise(AND, LOW32);
            h1 = h1.lanewise(AND, LOW32);
            h2 = h2.lanewise(AND, LOW32);
            h3 = h3.lanewise(AND, LOW32);
            h4 = h4.lanewise(AND, LOW32);
            LongVector d0 = h0.mul(w0).add(h1.mul(v4)).add(h2.mul(v3)).add(h3.mul(v2)).add(h4.mul(v1));
            LongVector d1 = h0.mul(w1).add(h1.mul(w0)).add(h2.mul(v4)).add(h3.mul(v3)).add(h4.mul(v2));
            LongVector d2 = h0.mul(w2).add(h1.mul(w1)).add(h2.mul(w0)).add(h3.mul(v4)).add(h4.mul(v3));
            LongVector d3 = h0.mul(w3).add(h1.mul(w2)).add(h2.mul(w1)).add(h3.mul(w0)).add(h4.mul(v4));
            LongVector d4 = h0.mul(w4).add(h1.mul(w3)).add(h2.mul(w2)).add(h3.mul(w1)).add(h4.mul(w0));
            d0 = d0.add(lo.lanewise(AND, LIMB));
            d1 = d1.add(lo.lanewise(LSHR, 26).lanewise(AND, LIMB));
            d2 = d2.add(lo.lanewise(LSHR, 52).lanewise(OR, hi.lanewise(LSHL, 12)).lanewise(AND, LIMB));
            d3 = d3.add(hi.lanewise(LSHR, 14).lanewise(AND, LIMB));
            d4 = d4.add(hi.lanewise(LSHR, 40).lanewise(OR, top));
            // carries in two interleaved chains (0->1->2->3 and 3->4->0->1) to shorten the latency
            LongVector c0 = d0.lanewise(LSHR, 26), c3 = d3.lanewise(LSHR, 26);
            d0 = d0.lanewise(AND, LIMB);
            d3 = d3.lanewise(AND, LIMB);
            d1 = d1.add(c0);
            d4 = d4.add(c3);
            LongVector c1 = d1.lanewise(LSHR, 26), c4 = d4.lanewise(LSHR, 26);
            d1 = d1.lanewise(AND, LIMB);
            d4 = d4.lanewise(AND, LIMB);
            d2 = d2.add(c1);
            d0 = d0.add(c4.add(c4.lanewise(LSHL, 2)));
            LongVector c2 = d2.lanewise(LSHR, 26);
            c0 = d0.lanewise(LSHR, 26);
            d2 = d2.lanewise(AND, LIMB);
            d0 = d0.lanewise(AND, LIMB);
            d3 = d3.add(c2);
            d1 = d1.add(c0);
            c3 = d3.lanewise(LSHR, 26);
            h3 = d3.lanewise(AND, LIMB);
            h4 = d4.add(c3);
            h0 = d0;
            h1 = d1;
            h2 = d2;
        }

        // Fold the lanes: x = ((((0 + h_0) r + h_1) r + h_2) r + h_3) r
        final long u1 = 5 * r1, u2 = 5 * r2, u3 = 5 * r3, u4 = 5 * r4;
        long x0 = 0, x1 = 0, x2 = 0, x3 = 0, x4 = 0;
        for (int j = 0; j < 4; j++) {
            x0 += h0.lane(j);
            x1 += h1.lane(j);
            x2 += h2.lane(j);
            x3 += h3.lane(j);
            x4 += h4.lane(j);
            long d0 = x0 * r0 + x1 * u4 + x2 * u3 + x3 * u2 + x4 * u1;
            long d1 = x0 * r1 + x1 * r0 + x2 * u4 + x3 * u3 + x4 * u2;
            long d2 = x0 * r2 + x1 * r1 + x2 * r0 + x3 * u4 + x4 * u3;
            long d3 = x0 * r3 + x1 * r2 + x2 * r1 + x3 * r0 + x4 * u4;
            long d4 = x0 * r4 + x1 * r3 + x2 * r2 + x3 * r1 + x4 * r0;
            d1 += d0 >>> 26;
            d2 += d1 >>> 26;
            d3 += d2 >>> 26;
            d4 += d3 >>> 26;
            x0 = (d0 & LIMB) + 5 * (d4 >>> 26);
            x1 = (d1 & LIMB) + (x0 >>> 26);
            x0 &= LIMB;
            x2 = d2 & LIMB;
            x3 = d3 & LIMB;
            x4 = d4 & LIMB;
        }
        return Poly1305.finish(x0, x1, x2, x3, x4, s0, s1, tagBuf, tagOff, verify);
    }
}
