// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Poly1305 (RFC 8439 section 2.5) and the tag of the ChaCha20-Poly1305 AEAD construction
 * (section 2.8): {@code AD || pad16 || ciphertext || pad16 || le64(|AD|) || le64(|ciphertext|)}.
 *
 * <p>The accumulator is five 26-bit limbs in {@code long}s: a block costs 25 plain 64-bit
 * multiplications whose sums never overflow, and carries are shifts and masks. Nothing depends on
 * the data but the values, so the timing does not either. Measured against two 64-bit limbs
 * ({@link Math#unsignedMultiplyHigh}, four 128-bit products a block): those need carry detection
 * on every 64-bit addition, which C2 compiled to branches that mispredict on fresh data (and leak
 * timing); made branch-free they ran 15% slower than this radix. {@link Poly1305Vector} runs four
 * blocks per step on AVX2 for the vector engine.
 *
 * <p>Stateless and allocation-free: every call keeps its accumulator in locals, so it is
 * thread-safe by construction.
 */
final class Poly1305 {

    /** The clamping of RFC 8439 section 2.5 on the two little-endian halves of r. */
    static final long R0_CLAMP = 0x0ffffffc0fffffffL;
    static final long R1_CLAMP = 0x0ffffffc0ffffffcL;
    /** One 26-bit limb. */
    static final long LIMB = 0x3ffffff;

    private static final VarHandle BUFFER_LONG =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle ARRAY_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Poly1305() {}

    /**
     * The one-time authenticator of RFC 8439 section 2.5 over {@code len} bytes of {@code msg} at
     * {@code off}, with the 32-byte key {@code r || s}; the tag goes to {@code tag} at {@code tagOff}.
     */
    static void mac(byte[] key, ByteBuffer msg, int off, int len, ByteBuffer tag, int tagOff) {
        compute(true, (long) ARRAY_LONG.get(key, 0), (long) ARRAY_LONG.get(key, 8), (long) ARRAY_LONG.get(key, 16),
                (long) ARRAY_LONG.get(key, 24), null, msg, off, len, tag, tagOff, false);
    }

    /**
     * Writes (or, when {@code verify}, checks in constant time) the AEAD tag over {@code ad} and
     * {@code ctLen} bytes of ciphertext in {@code ct} at {@code ctOff}. The tag lives in
     * {@code tagBuf} at {@code tagOff}; {@code r0..s1} are the one-time key from ChaCha20 block 0.
     *
     * @return when verifying, whether the tag matches; otherwise {@code true}
     */
    static boolean aeadTag(long r0, long r1, long s0, long s1, byte[] ad, ByteBuffer ct, int ctOff,
            int ctLen, ByteBuffer tagBuf, int tagOff, boolean verify) {
        return compute(false, r0, r1, s0, s1, ad, ct, ctOff, ctLen, tagBuf, tagOff, verify);
    }

    /**
     * Absorbs the AD blocks, the message blocks and (AEAD) the lengths block. Full message blocks
     * take the tight inner loop; the rest (AD, the padded last block, lengths) is assembled
     * byte-wise, which is rare and cheap.
     */
    private static boolean compute(boolean raw, long k0, long k1, long s0, long s1, byte[] ad,
            ByteBuffer msg, int off, int len, ByteBuffer tagBuf, int tagOff, boolean verify) {
        k0 &= R0_CLAMP;
        k1 &= R1_CLAMP;
        final long r0 = k0 & LIMB, r1 = (k0 >>> 26) & LIMB, r2 = ((k0 >>> 52) | (k1 << 12)) & LIMB;
        final long r3 = (k1 >>> 14) & LIMB, r4 = k1 >>> 40;
        // 2^130 = 5 mod p: limb products that land at 2^130 and above come back times 5
        final long v1 = 5 * r1, v2 = 5 * r2, v3 = 5 * r3, v4 = 5 * r4;
        final int adLen = ad == null ? 0 : ad.length;
        final int adBlocks = (adLen + 15) >>> 4;
        final int full = len & ~15;
        final boolean partial = full < len;
        final int blocks = adBlocks + (partial ? 1 : 0) + (raw ? 0 : 1);
        long h0 = 0, h1 = 0, h2 = 0, h3 = 0, h4 = 0;
        for (int i = 0; i <= blocks; i++) {
            if (i == adBlocks) {
                for (int o = off, end = off + full; o < end; o += 16) {
                    long lo = (long) BUFFER_LONG.get(msg, o);
                    long hi = (long) BUFFER_LONG.get(msg, o + 8);
                    // h += m + 2^128, then h *= r (partially reduced)
                    h0 += lo & LIMB;
                    h1 += (lo >>> 26) & LIMB;
                    h2 += ((lo >>> 52) | (hi << 12)) & LIMB;
                    h3 += (hi >>> 14) & LIMB;
                    h4 += (hi >>> 40) | (1L << 24);
                    long d0 = h0 * r0 + h1 * v4 + h2 * v3 + h3 * v2 + h4 * v1;
                    long d1 = h0 * r1 + h1 * r0 + h2 * v4 + h3 * v3 + h4 * v2;
                    long d2 = h0 * r2 + h1 * r1 + h2 * r0 + h3 * v4 + h4 * v3;
                    long d3 = h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * v4;
                    long d4 = h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0;
                    d1 += d0 >>> 26;
                    d2 += d1 >>> 26;
                    d3 += d2 >>> 26;
                    d4 += d3 >>> 26;
                    h0 = (d0 & LIMB) + 5 * (d4 >>> 26);
                    h1 = (d1 & LIMB) + (h0 >>> 26);
                    h0 &= LIMB;
                    h2 = d2 & LIMB;
                    h3 = d3 & LIMB;
                    h4 = d4 & LIMB;
                }
            }
            if (i == blocks) {
                break;
            }
            long lo, hi, hibit = 1;
            if (i < adBlocks) {
                lo = word(ad, null, 0, i << 4, adLen, false);
                hi = word(ad, null, 0, (i << 4) + 8, adLen, false);
            } else if (partial && i == adBlocks) {
                // RFC 8439 2.5 ends a short block with a 0x01 byte instead of the 2^128 bit;
                // the AEAD zero-pads it and keeps the bit.
                lo = word(null, msg, off, full, len, raw);
                hi = word(null, msg, off, full + 8, len, raw);
                hibit = raw ? 0 : 1;
            } else {
                lo = adLen;
                hi = len;
            }
            h0 += lo & LIMB;
            h1 += (lo >>> 26) & LIMB;
            h2 += ((lo >>> 52) | (hi << 12)) & LIMB;
            h3 += (hi >>> 14) & LIMB;
            h4 += (hi >>> 40) | (hibit << 24);
            long d0 = h0 * r0 + h1 * v4 + h2 * v3 + h3 * v2 + h4 * v1;
            long d1 = h0 * r1 + h1 * r0 + h2 * v4 + h3 * v3 + h4 * v2;
            long d2 = h0 * r2 + h1 * r1 + h2 * r0 + h3 * v4 + h4 * v3;
            long d3 = h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * v4;
            long d4 = h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0;
            d1 += d0 >>> 26;
            d2 += d1 >>> 26;
            d3 += d2 >>> 26;
            d4 += d3 >>> 26;
            h0 = (d0 & LIMB) + 5 * (d4 >>> 26);
            h1 = (d1 & LIMB) + (h0 >>> 26);
            h0 &= LIMB;
            h2 = d2 & LIMB;
            h3 = d3 & LIMB;
            h4 = d4 & LIMB;
        }
        return finish(h0, h1, h2, h3, h4, s0, s1, tagBuf, tagOff, verify);
    }

    /**
     * Fully reduces {@code h} (26-bit limbs, each below 2^27) mod 2^130 - 5, adds {@code s} mod
     * 2^128, then writes the tag or compares it with the stored one, all without data-dependent
     * branches.
     */
    static boolean finish(long h0, long h1, long h2, long h3, long h4, long s0, long s1,
            ByteBuffer tagBuf, int tagOff, boolean verify) {
        // one carry pass with the 2^130 wrap, then one without: limbs 0-3 below 2^26 and
        // h < 2^130 + 15 < 2p, so one conditional subtraction of p finishes the reduction
        h1 += h0 >>> 26;
        h0 &= LIMB;
        h2 += h1 >>> 26;
        h1 &= LIMB;
        h3 += h2 >>> 26;
        h2 &= LIMB;
        h4 += h3 >>> 26;
        h3 &= LIMB;
        h0 += 5 * (h4 >>> 26);
        h4 &= LIMB;
        h1 += h0 >>> 26;
        h0 &= LIMB;
        h2 += h1 >>> 26;
        h1 &= LIMB;
        h3 += h2 >>> 26;
        h2 &= LIMB;
        h4 += h3 >>> 26;
        h3 &= LIMB;
        // g = h + 5 - 2^130 = h - p, non-negative exactly when h >= p
        long g0 = h0 + 5;
        long g1 = h1 + (g0 >>> 26);
        long g2 = h2 + (g1 >>> 26);
        long g3 = h3 + (g2 >>> 26);
        long g4 = h4 + (g3 >>> 26) - (1L << 26);
        long useG = (g4 >>> 63) - 1; // all ones when g4 >= 0
        h0 = (h0 & ~useG) | (g0 & LIMB & useG);
        h1 = (h1 & ~useG) | (g1 & LIMB & useG);
        h2 = (h2 & ~useG) | (g2 & LIMB & useG);
        h3 = (h3 & ~useG) | (g3 & LIMB & useG);
        h4 = (h4 & ~useG) | (g4 & LIMB & useG);
        long lo = h0 | (h1 << 26) | (h2 << 52);
        long hi = (h2 >>> 12) | (h3 << 14) | (h4 << 40);
        long f0 = lo + s0;
        long f1 = hi + s1 + (((lo & s0) | ((lo | s0) & ~f0)) >>> 63);
        if (!verify) {
            BUFFER_LONG.set(tagBuf, tagOff, f0);
            BUFFER_LONG.set(tagBuf, tagOff + 8, f1);
            return true;
        }
        long diff = (f0 ^ (long) BUFFER_LONG.get(tagBuf, tagOff))
                | (f1 ^ (long) BUFFER_LONG.get(tagBuf, tagOff + 8));
        return diff == 0;
    }

    /**
     * Eight little-endian bytes at {@code o} of an array (or of a buffer at {@code base + o}),
     * zero past {@code len}; with {@code one}, the byte right at {@code len} is 0x01.
     */
    static long word(byte[] a, ByteBuffer b, int base, int o, int len, boolean one) {
        if (o + 8 <= len) {
            return a != null ? (long) ARRAY_LONG.get(a, o) : (long) BUFFER_LONG.get(b, base + o);
        }
        long w = 0;
        for (int j = 0; j < 8; j++) {
            int i = o + j;
            long v = i < len ? (a != null ? a[i] : b.get(base + i)) & 0xFF : (one && i == len ? 1 : 0);
            w |= v << (8 * j);
        }
        return w;
    }
}
