// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * GF(2^255 - 19) arithmetic against BigInteger, with inputs at the bounds {@link Field25519}
 * documents (limbs up to 2^53 - 1 into products, carried limbs into subtraction), so the
 * floating-point column estimates and the lazy carries are checked where their error is largest,
 * and every output is checked to be within the bound it promises.
 */
class Field25519Test {
    private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
    /** Largest limb the products accept. */
    private static final long MAX_INPUT = (1L << 53) - 1;
    /** Largest limb the products return. */
    private static final long MAX_CARRIED = (1L << 51) + (1L << 15) - 1;
    private static final int ROUNDS = 20_000;

    private final SplittableRandom random = new SplittableRandom(0x25519);

    private static BigInteger value(long[] f) {
        BigInteger v = BigInteger.ZERO;
        for (int i = Field25519.LIMBS - 1; i >= 0; i--) {
            v = v.shiftLeft(51).add(BigInteger.valueOf(f[i]));
        }
        return v.mod(P);
    }

    /** Random limbs below {@code max}, with a fair share of all-maximal and all-zero limbs. */
    private long[] element(long max) {
        long[] f = new long[Field25519.LIMBS];
        for (int i = 0; i < f.length; i++) {
            int kind = random.nextInt(8);
            f[i] = kind == 0 ? max : kind == 1 ? 0 : random.nextLong(max + 1);
        }
        return f;
    }

    private static void assertCarried(long[] f) {
        for (long limb : f) {
            assertTrue(limb >= 0 && limb <= MAX_CARRIED, "limb out of bounds: " + limb);
        }
    }

    @Test
    void productsAndSquaresAreExactAtTheInputBound() {
        long[] all = {MAX_INPUT, MAX_INPUT, MAX_INPUT, MAX_INPUT, MAX_INPUT};
        long[] out = Field25519.create();
        Field25519.mul(out, all, all);
        assertEquals(value(all).multiply(value(all)).mod(P), value(out));
        assertCarried(out);
        for (int i = 0; i < ROUNDS; i++) {
            long[] a = element(MAX_INPUT);
            long[] b = element(MAX_INPUT);
            Field25519.mul(out, a, b);
            assertEquals(value(a).multiply(value(b)).mod(P), value(out));
            assertCarried(out);
            Field25519.sqr(out, a);
            assertEquals(value(a).pow(2).mod(P), value(out));
            assertCarried(out);
            Field25519.mulSmall(out, a, 121665);
            assertEquals(value(a).multiply(BigInteger.valueOf(121665)).mod(P), value(out));
            assertCarried(out);
            Field25519.carry(out, a);
            assertEquals(value(a), value(out));
            assertCarried(out);
        }
    }

    @Test
    void sumsAndDifferencesOfCarriedElementsStayWithinTheProductBound() {
        long[] out = Field25519.create();
        for (int i = 0; i < ROUNDS; i++) {
            long[] a = element(MAX_CARRIED);
            long[] b = element(MAX_CARRIED);
            Field25519.add(out, a, b);
            assertEquals(value(a).add(value(b)).mod(P), value(out));
            Field25519.sub(out, a, b);
            assertEquals(value(a).subtract(value(b)).mod(P), value(out));
            for (long limb : out) {
                assertTrue(limb >= 0 && limb <= MAX_INPUT);
            }
            Field25519.neg(out, b);
            assertEquals(value(b).negate().mod(P), value(out));
        }
    }

    @Test
    void inversionIsFermatsAndZeroStaysZero() {
        long[] out = Field25519.create();
        for (int i = 0; i < 200; i++) {
            long[] a = element(MAX_INPUT);
            Field25519.invert(out, a);
            BigInteger v = value(a);
            assertEquals(v.signum() == 0 ? BigInteger.ZERO : v.modInverse(P), value(out));
        }
        Field25519.invert(out, Field25519.create());
        assertEquals(1, Field25519.isZero(out));
    }

    @Test
    void encodingIsCanonicalAndDecodingIgnoresBit255() {
        byte[] bytes = new byte[32];
        long[] f = Field25519.create();
        byte[] back = new byte[32];
        for (int i = 0; i < ROUNDS; i++) {
            random.nextBytes(bytes);
            if (i % 4 == 0) {
                // Values in [p, 2^255) and around them.
                java.util.Arrays.fill(bytes, 1, 31, (byte) 0xff);
                bytes[0] = (byte) (0xe0 + random.nextInt(32));
            }
            Field25519.decode(bytes, 0, f);
            BigInteger raw = new BigInteger(1, reversed(bytes)).clearBit(255);
            assertEquals(raw.mod(P), value(f));
            Field25519.encode(f, back, 0);
            assertArrayEquals(reversed(padded(raw.mod(P))), back);
        }
        long[] p = {0x7FFFFFFFFFFEDL, (1L << 51) - 1, (1L << 51) - 1, (1L << 51) - 1, (1L << 51) - 1};
        Field25519.encode(p, back, 0);
        assertArrayEquals(new byte[32], back, "p encodes as 0");
        assertEquals(1, Field25519.isZero(p));
    }

    private static byte[] padded(BigInteger v) {
        byte[] be = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(be.length, 32);
        System.arraycopy(be, be.length - n, out, 32 - n, n);
        return out;
    }

    private static byte[] reversed(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }
}
