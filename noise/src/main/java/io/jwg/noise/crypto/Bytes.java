// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import java.util.Arrays;

/** Byte-array helpers for secrets: constant-time comparison, zeroing, little-endian access. */
public final class Bytes {
    private Bytes() {}

    /**
     * Compares {@code len} bytes in time independent of their content (but not of {@code len}), so
     * a MAC or key comparison leaks nothing through timing.
     */
    public static boolean constantTimeEquals(byte[] a, int aOff, byte[] b, int bOff, int len) {
        int diff = 0;
        for (int i = 0; i < len; i++) {
            diff |= a[aOff + i] ^ b[bOff + i];
        }
        return diff == 0;
    }

    /** Constant-time equality of two arrays of the same length; false when lengths differ. */
    public static boolean constantTimeEquals(byte[] a, byte[] b) {
        return a.length == b.length && constantTimeEquals(a, 0, b, 0, a.length);
    }

    /** True when every byte is zero, in constant time (used to reject a zero DH result). */
    public static boolean isZero(byte[] a) {
        int acc = 0;
        for (byte x : a) {
            acc |= x;
        }
        return acc == 0;
    }

    /** Overwrites each non-null array with zeros. */
    public static void zero(byte[]... arrays) {
        for (byte[] a : arrays) {
            if (a != null) {
                Arrays.fill(a, (byte) 0);
            }
        }
    }

    public static int getIntLE(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    public static void putIntLE(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    public static long getLongLE(byte[] b, int off) {
        return (getIntLE(b, off) & 0xffffffffL) | ((long) getIntLE(b, off + 4) << 32);
    }

    /** Lower-case hex of the whole array. */
    public static String toHex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }

    /** Parses hex (either case); throws IllegalArgumentException on anything else. */
    public static byte[] fromHex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }
}
