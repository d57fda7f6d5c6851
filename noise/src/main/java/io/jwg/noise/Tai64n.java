// SPDX-License-Identifier: MIT
package io.jwg.noise;

import java.time.Instant;

/**
 * TAI64N timestamps (whitepaper section 5.1, http://cr.yp.to/libtai/tai64.html): 8 bytes of
 * big-endian seconds offset by 2^62 + 10 (TAI-UTC), then 4 bytes of big-endian nanoseconds.
 * Responders reject an initiation whose timestamp is not newer than the last one they accepted,
 * which blocks replays.
 */
public final class Tai64n {
    public static final int SIZE = 12;

    private static final long BASE = 0x4000_0000_0000_000AL;
    /**
     * The nanoseconds are rounded down to a multiple of 2^24 ns (~16.8 ms, just under the 20 ms of
     * HANDSHAKE_INITIATION_RATE), as the kernel and wireguard-go do: a timestamp then reveals no
     * more about the sender's clock than the flood limit already allows, and it stays strictly
     * increasing between initiations that the limit lets through.
     */
    private static final int WHITENER_MASK = (1 << 24) - 1;

    private Tai64n() {}

    /** Writes the whitened timestamp of {@code t} into {@code out[off, off+12)}. */
    public static void write(Instant t, byte[] out, int off) {
        long secs = BASE + t.getEpochSecond();
        int nanos = t.getNano() & ~WHITENER_MASK;
        for (int i = 0; i < 8; i++) {
            out[off + i] = (byte) (secs >>> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            out[off + 8 + i] = (byte) (nanos >>> (24 - 8 * i));
        }
    }

    /** The whitened timestamp of {@code t}. */
    public static byte[] of(Instant t) {
        byte[] out = new byte[SIZE];
        write(t, out, 0);
        return out;
    }

    /** True when timestamp {@code a} is strictly later than {@code b} (unsigned big-endian order). */
    public static boolean isAfter(byte[] a, byte[] b) {
        return java.util.Arrays.compareUnsigned(a, 0, SIZE, b, 0, SIZE) > 0;
    }
}
