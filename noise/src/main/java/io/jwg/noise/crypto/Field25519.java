// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

/**
 * Arithmetic in GF(2^255 - 19), the field of Curve25519 (RFC 7748 section 4.1), in constant
 * time. An element is a {@code long[5]} of limbs in radix 2^51: value = sum of f[i] * 2^(51 i),
 * not necessarily reduced below p.
 *
 * <p>Why this shape: a product of two elements is 5 column sums c_j of 5 limb products each, up
 * to 2^113. Java has no 128-bit integers, and {@code Math.multiplyHigh} costs the integer
 * multiplier about twice a plain multiply, so each column is computed twice instead: exactly mod
 * 2^64 with plain wrapping multiplies (l_j), and approximately in doubles (d_j) on the otherwise
 * idle floating-point units. Then c_j = 2^64 q_j + l_j where q_j is the integer nearest to
 * (d_j - l_j) / 2^64, which is right as long as |d_j - c_j| stays below 2^63.
 *
 * <p>Error bound, for limbs below 2^53 (so the limbs convert to doubles exactly): a column is
 * below 95 * 2^106 < 2^112.6; its 5 products (below 2^110.3) round by at most 2^57 each, its 4
 * partial sums by at most 2^59 each, the 19 * v factors by a relative 2^-53 (at most 2^59.3 in
 * all), and d_j - l_j by 2^59: under 2^62, a quarter of 2^64, so q_j is exact. Squares have 3
 * terms per column and less error. Doubles hold integers here, never subnormals, so their timing
 * is data-independent too.
 *
 * <p>Bounds (every method keeps them; the callers in this package respect them):
 * <ul>
 *   <li>{@link #mul}, {@link #sqr}, {@link #mulSmall}, {@link #carry} and {@link #invert} accept
 *       limbs below 2^53 and return limbs below 2^51 + 2^15 ("carried");
 *   <li>{@link #add} of two carried elements is below 2^52 + 2^16;
 *   <li>{@link #sub} and {@link #neg} add 2p first, so they take carried elements; the result is
 *       below 2^52 + 2^51 + 2^15.
 * </ul>
 * Nothing branches on or indexes by element values. Stateless and thread-safe; the arrays belong
 * to the caller. Output arrays may alias inputs.
 */
final class Field25519 {
    static final int LIMBS = 5;
    private static final long MASK = (1L << 51) - 1;
    private static final double TWO_TO_MINUS_64 = 0x1p-64;
    /** 2p in radix 2^51: 2^52 - 38, then 2^52 - 2. */
    private static final long TWO_P0 = 0xFFFFFFFFFFFDAL;
    private static final long TWO_P = 0xFFFFFFFFFFFFEL;

    private Field25519() {}

    static long[] create() {
        return new long[LIMBS];
    }

    static long[] one() {
        return new long[] {1, 0, 0, 0, 0};
    }

    static void copy(long[] out, long[] a) {
        System.arraycopy(a, 0, out, 0, LIMBS);
    }

    static void setOne(long[] out) {
        out[0] = 1;
        out[1] = 0;
        out[2] = 0;
        out[3] = 0;
        out[4] = 0;
    }

    /**
     * Reads 32 little-endian bytes, ignoring bit 255 (RFC 7748 section 5: "implementations of
     * X25519 MUST mask the most significant bit"). Values in [p, 2^255) are accepted as they are:
     * the arithmetic is mod p anyway.
     */
    static void decode(byte[] in, int off, long[] out) {
        out[0] = le64(in, off) & MASK;
        out[1] = (le64(in, off + 6) >>> 3) & MASK;
        out[2] = (le64(in, off + 12) >>> 6) & MASK;
        out[3] = (le64(in, off + 19) >>> 1) & MASK;
        out[4] = (le64(in, off + 24) >>> 12) & MASK;
    }

    /** Writes the canonical (fully reduced, below p) 32-byte little-endian encoding of {@code a}. */
    static void encode(long[] a, byte[] out, int off) {
        long[] r = new long[LIMBS];
        reduce(a, r);
        putLe64(out, off, r[0] | r[1] << 51);
        putLe64(out, off + 8, r[1] >>> 13 | r[2] << 38);
        putLe64(out, off + 16, r[2] >>> 26 | r[3] << 25);
        putLe64(out, off + 24, r[3] >>> 39 | r[4] << 12);
    }

    /** out = a mod p with every limb below 2^51 (the unique representation); a carried or added. */
    static void reduce(long[] a, long[] out) {
        long f0 = a[0], f1 = a[1], f2 = a[2], f3 = a[3], f4 = a[4];
        // Two sequential passes leave every limb below 2^51, so the value is below 2^255.
        for (int pass = 0; pass < 2; pass++) {
            f1 += f0 >>> 51;
            f0 &= MASK;
            f2 += f1 >>> 51;
            f1 &= MASK;
            f3 += f2 >>> 51;
            f2 &= MASK;
            f4 += f3 >>> 51;
            f3 &= MASK;
            f0 += 19 * (f4 >>> 51);
            f4 &= MASK;
        }
        // q = 1 exactly when value >= p, i.e. value + 19 >= 2^255; then value - p = value + 19 - 2^255.
        long q = (f0 + 19) >>> 51;
        q = (f1 + q) >>> 51;
        q = (f2 + q) >>> 51;
        q = (f3 + q) >>> 51;
        q = (f4 + q) >>> 51;
        f0 += 19 * q;
        f1 += f0 >>> 51;
        f0 &= MASK;
        f2 += f1 >>> 51;
        f1 &= MASK;
        f3 += f2 >>> 51;
        f2 &= MASK;
        f4 += f3 >>> 51;
        f3 &= MASK;
        f4 &= MASK;
        out[0] = f0;
        out[1] = f1;
        out[2] = f2;
        out[3] = f3;
        out[4] = f4;
    }

    /** 1 when {@code a} is 0 mod p, else 0, in constant time. */
    static int isZero(long[] a) {
        long[] r = new long[LIMBS];
        reduce(a, r);
        long acc = r[0] | r[1] | r[2] | r[3] | r[4];
        return (int) (((acc | -acc) >>> 63) ^ 1);
    }

    static void add(long[] out, long[] a, long[] b) {
        out[0] = a[0] + b[0];
        out[1] = a[1] + b[1];
        out[2] = a[2] + b[2];
        out[3] = a[3] + b[3];
        out[4] = a[4] + b[4];
    }

    /** out = a - b + 2p, which stays non-negative because b is carried; a carried too. */
    static void sub(long[] out, long[] a, long[] b) {
        out[0] = a[0] + TWO_P0 - b[0];
        out[1] = a[1] + TWO_P - b[1];
        out[2] = a[2] + TWO_P - b[2];
        out[3] = a[3] + TWO_P - b[3];
        out[4] = a[4] + TWO_P - b[4];
    }

    /** out = -a (as 2p - a); a carried. */
    static void neg(long[] out, long[] a) {
        out[0] = TWO_P0 - a[0];
        out[1] = TWO_P - a[1];
        out[2] = TWO_P - a[2];
        out[3] = TWO_P - a[3];
        out[4] = TWO_P - a[4];
    }

    /** Brings limbs below 2^51 + 2^15 without changing the value mod p (a weak reduction). */
    static void carry(long[] out, long[] a) {
        long r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3], r4 = a[4];
        out[0] = (r0 & MASK) + 19 * (r4 >>> 51);
        out[1] = (r1 & MASK) + (r0 >>> 51);
        out[2] = (r2 & MASK) + (r1 >>> 51);
        out[3] = (r3 & MASK) + (r2 >>> 51);
        out[4] = (r4 & MASK) + (r3 >>> 51);
    }

    /** Swaps a and b when {@code swap} is 1, leaves them when it is 0, without branching. */
    static void cswap(int swap, long[] a, long[] b) {
        long mask = -(long) swap;
        long t0 = mask & (a[0] ^ b[0]);
        long t1 = mask & (a[1] ^ b[1]);
        long t2 = mask & (a[2] ^ b[2]);
        long t3 = mask & (a[3] ^ b[3]);
        long t4 = mask & (a[4] ^ b[4]);
        a[0] ^= t0;
        a[1] ^= t1;
        a[2] ^= t2;
        a[3] ^= t3;
        a[4] ^= t4;
        b[0] ^= t0;
        b[1] ^= t1;
        b[2] ^= t2;
        b[3] ^= t3;
        b[4] ^= t4;
    }

    /** out = a * b. */
    static void mul(long[] out, long[] a, long[] b) {
        long f0 = a[0], f1 = a[1], f2 = a[2], f3 = a[3], f4 = a[4];
        long g0 = b[0], g1 = b[1], g2 = b[2], g3 = b[3], g4 = b[4];
        long g1x19 = 19 * g1, g2x19 = 19 * g2, g3x19 = 19 * g3, g4x19 = 19 * g4;
        double u0 = f0, u1 = f1, u2 = f2, u3 = f3, u4 = f4;
        double v0 = g0, v1 = g1, v2 = g2, v3 = g3, v4 = g4;
        double v1x19 = 19 * v1, v2x19 = 19 * v2, v3x19 = 19 * v3, v4x19 = 19 * v4;

        // Column j of the product, with 2^255 = 19 folding the high columns onto the low ones:
        // exactly mod 2^64 in l_j, approximately in d_j.
        long l0 = f0 * g0 + f1 * g4x19 + f2 * g3x19 + f3 * g2x19 + f4 * g1x19;
        double d0 = u0 * v0 + u1 * v4x19 + u2 * v3x19 + u3 * v2x19 + u4 * v1x19;
        long l1 = f0 * g1 + f1 * g0 + f2 * g4x19 + f3 * g3x19 + f4 * g2x19;
        double d1 = u0 * v1 + u1 * v0 + u2 * v4x19 + u3 * v3x19 + u4 * v2x19;
        long l2 = f0 * g2 + f1 * g1 + f2 * g0 + f3 * g4x19 + f4 * g3x19;
        double d2 = u0 * v2 + u1 * v1 + u2 * v0 + u3 * v4x19 + u4 * v3x19;
        long l3 = f0 * g3 + f1 * g2 + f2 * g1 + f3 * g0 + f4 * g4x19;
        double d3 = u0 * v3 + u1 * v2 + u2 * v1 + u3 * v0 + u4 * v4x19;
        long l4 = f0 * g4 + f1 * g3 + f2 * g2 + f3 * g1 + f4 * g0;
        double d4 = u0 * v4 + u1 * v3 + u2 * v2 + u3 * v1 + u4 * v0;

        finish(out, l0, d0, l1, d1, l2, d2, l3, d3, l4, d4);
    }

    /** out = a^2: the cross products once, doubled. */
    static void sqr(long[] out, long[] a) {
        long f0 = a[0], f1 = a[1], f2 = a[2], f3 = a[3], f4 = a[4];
        long e1 = 2 * f1, e2 = 2 * f2, e3 = 2 * f3, e4 = 2 * f4;
        long f3x19 = 19 * f3, f4x19 = 19 * f4, f3x38 = 2 * f3x19, f4x38 = 2 * f4x19;
        double u0 = f0, u1 = f1, u2 = f2, u3 = f3, u4 = f4;
        double w1 = 2 * u1, w2 = 2 * u2, w3 = 2 * u3, w4 = 2 * u4;
        double u3x19 = 19 * u3, u4x19 = 19 * u4, u3x38 = 38 * u3, u4x38 = 38 * u4;

        long l0 = f0 * f0 + f1 * f4x38 + f2 * f3x38;
        double d0 = u0 * u0 + u1 * u4x38 + u2 * u3x38;
        long l1 = f0 * e1 + f2 * f4x38 + f3 * f3x19;
        double d1 = u0 * w1 + u2 * u4x38 + u3 * u3x19;
        long l2 = f0 * e2 + f1 * f1 + f3 * f4x38;
        double d2 = u0 * w2 + u1 * u1 + u3 * u4x38;
        long l3 = f0 * e3 + f1 * e2 + f4 * f4x19;
        double d3 = u0 * w3 + u1 * w2 + u4 * u4x19;
        long l4 = f0 * e4 + f1 * e3 + f2 * f2;
        double d4 = u0 * w4 + u1 * w3 + u2 * u2;

        finish(out, l0, d0, l1, d1, l2, d2, l3, d3, l4, d4);
    }

    /** out = a^(2^n), n >= 1. */
    static void sqr(long[] out, long[] a, int n) {
        sqr(out, a);
        for (int i = 1; i < n; i++) {
            sqr(out, out);
        }
    }

    /**
     * From the column sums c_j, known exactly mod 2^64 (l_j) and approximately (d_j), to carried
     * limbs: c_j = 2^64 q_j + l_j with q_j the integer nearest to (d_j - l_j) / 2^64; c_j >> 51 moves
     * to column j + 1 (column 5 folds back as 19 times itself), then one more round of carries.
     */
    private static void finish(long[] out, long l0, double d0, long l1, double d1, long l2, double d2, long l3,
            double d3, long l4, double d4) {
        long c0 = (high(l0, d0) << 13) + (l0 >> 51);
        long c1 = (high(l1, d1) << 13) + (l1 >> 51);
        long c2 = (high(l2, d2) << 13) + (l2 >> 51);
        long c3 = (high(l3, d3) << 13) + (l3 >> 51);
        long c4 = (high(l4, d4) << 13) + (l4 >> 51);
        long r0 = (l0 & MASK) + 19 * c4;
        long r1 = (l1 & MASK) + c0;
        long r2 = (l2 & MASK) + c1;
        long r3 = (l3 & MASK) + c2;
        long r4 = (l4 & MASK) + c3;
        out[0] = (r0 & MASK) + 19 * (r4 >>> 51);
        out[1] = (r1 & MASK) + (r0 >>> 51);
        out[2] = (r2 & MASK) + (r1 >>> 51);
        out[3] = (r3 & MASK) + (r2 >>> 51);
        out[4] = (r4 & MASK) + (r3 >>> 51);
    }

    /**
     * q = (c - low) / 2^64 for a column sum c >= 0 given as low = c mod 2^64 (signed) and an
     * approximation approx with |approx - c| < 2^62: the rounding cannot go wrong while the error
     * is below half of 2^64.
     */
    private static long high(long low, double approx) {
        return (long) ((approx - low) * TWO_TO_MINUS_64 + 0.5);
    }

    /** out = a * c for a small constant 0 <= c < 2^20 (the curve constant 121665). */
    static void mulSmall(long[] out, long[] a, long c) {
        long r0 = mulSmallHigh(a[0], c), r1 = mulSmallHigh(a[1], c), r2 = mulSmallHigh(a[2], c);
        long r3 = mulSmallHigh(a[3], c), r4 = mulSmallHigh(a[4], c);
        long s0 = ((a[0] * c) & MASK) + 19 * r4;
        long s1 = ((a[1] * c) & MASK) + r0;
        long s2 = ((a[2] * c) & MASK) + r1;
        long s3 = ((a[3] * c) & MASK) + r2;
        long s4 = ((a[4] * c) & MASK) + r3;
        out[0] = (s0 & MASK) + 19 * (s4 >>> 51);
        out[1] = (s1 & MASK) + (s0 >>> 51);
        out[2] = (s2 & MASK) + (s1 >>> 51);
        out[3] = (s3 & MASK) + (s2 >>> 51);
        out[4] = (s4 & MASK) + (s3 >>> 51);
    }

    /** (f * c) >> 51 without overflow, from the halves of f: f = 2^26 fh + fl. */
    private static long mulSmallHigh(long f, long c) {
        return ((f >>> 26) * c + (((f & ((1L << 26) - 1)) * c) >>> 26)) >>> 25;
    }

    /** out = 1 / a = a^(p - 2) (Fermat; 0 maps to 0), by a fixed chain of 254 squarings and 11 products. */
    static void invert(long[] out, long[] a) {
        long[] z2 = create();
        long[] z9 = create();
        long[] z11 = create();
        long[] t = create();
        long[] z5 = create(); // a^(2^5 - 1)
        long[] z10 = create(); // a^(2^10 - 1), and so on
        long[] z20 = create();
        long[] z50 = create();
        long[] z100 = create();
        sqr(z2, a);
        sqr(t, z2, 2);
        mul(z9, t, a);
        mul(z11, z9, z2);
        sqr(t, z11);
        mul(z5, t, z9);
        sqr(t, z5, 5);
        mul(z10, t, z5);
        sqr(t, z10, 10);
        mul(z20, t, z10);
        sqr(t, z20, 20);
        mul(t, t, z20);
        sqr(t, t, 10);
        mul(z50, t, z10);
        sqr(t, z50, 50);
        mul(z100, t, z50);
        sqr(t, z100, 100);
        mul(t, t, z100);
        sqr(t, t, 50);
        mul(t, t, z50);
        sqr(t, t, 5);
        mul(out, t, z11); // a^(2^255 - 32 + 11) = a^(p - 2)
    }

    private static long le64(byte[] b, int off) {
        return (b[off] & 0xffL) | (b[off + 1] & 0xffL) << 8 | (b[off + 2] & 0xffL) << 16
                | (b[off + 3] & 0xffL) << 24 | (b[off + 4] & 0xffL) << 32 | (b[off + 5] & 0xffL) << 40
                | (b[off + 6] & 0xffL) << 48 | (b[off + 7] & 0xffL) << 56;
    }

    private static void putLe64(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }
}
