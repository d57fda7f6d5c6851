// SPDX-License-Identifier: MIT
package io.jwg.core;

import java.util.Arrays;

/**
 * The receive-side counter check of whitepaper section 5.4.6: a transport message is accepted at
 * most once, may arrive out of order within a window behind the highest counter seen, and is
 * refused once the counter reaches {@link #REJECT_AFTER_MESSAGES}.
 *
 * <p>The window is an RFC 6479 ring bitmap of {@link #COUNTER_BITS_TOTAL} bits, one per counter,
 * handled a 64-bit word at a time: moving the window forward clears only the words it enters, so
 * a jump costs at most one pass over the ring and no per-packet shifting. One word of the ring is
 * always partly ahead of the highest counter, which is why {@link #COUNTER_WINDOW_SIZE} is a word
 * smaller than the bitmap, as in the Linux kernel.
 *
 * <p>Call {@link #accept} only after the message authenticated: otherwise a forged counter could
 * move the window and make genuine messages look old.
 *
 * <p>Thread-safety: {@link #accept} and {@link #reset} serialize on a private monitor, held for a
 * few word operations (or one ring sweep on a jump); uncontended that is a single CAS, and nothing
 * is allocated.
 */
public final class ReplayWindow {
    /**
     * A key may open at most 2^64 - 2^13 - 1 messages (whitepaper section 6.1, Reject-After-Messages);
     * counters at or above this value, compared as unsigned, are refused. Belongs to the protocol's
     * constants; it lives here until those have a home of their own.
     */
    public static final long REJECT_AFTER_MESSAGES = 0xFFFF_FFFF_FFFF_DFFFL;

    /** Bits in the ring bitmap. */
    public static final int COUNTER_BITS_TOTAL = 8192;

    /** How far behind the highest accepted counter a counter may be and still be accepted. */
    public static final int COUNTER_WINDOW_SIZE = COUNTER_BITS_TOTAL - Long.SIZE;

    private static final int WORDS = COUNTER_BITS_TOTAL / Long.SIZE;
    private static final int WORD_MASK = WORDS - 1;

    private final Object lock = new Object();
    private final long[] ring = new long[WORDS];
    /** One more than the highest accepted counter, so that 0 can mean "nothing accepted yet". */
    private long next;

    /**
     * Records {@code counter} (an unsigned 64-bit value) and returns true if it is new, inside
     * the window and below {@link #REJECT_AFTER_MESSAGES}; returns false otherwise and changes
     * nothing.
     */
    public boolean accept(long counter) {
        if (Long.compareUnsigned(counter, REJECT_AFTER_MESSAGES) >= 0) {
            return false;
        }
        // Below the limit none of these sums can wrap past 2^64.
        synchronized (lock) {
            if (Long.compareUnsigned(counter + COUNTER_WINDOW_SIZE + 1, next) < 0) {
                return false;
            }
            if (Long.compareUnsigned(counter, next) >= 0) {
                if (next != 0) {
                    long fromWord = (next - 1) >>> 6;
                    long words = Math.min((counter >>> 6) - fromWord, WORDS);
                    for (long i = 1; i <= words; i++) {
                        ring[(int) ((fromWord + i) & WORD_MASK)] = 0;
                    }
                }
                next = counter + 1;
            }
            int word = (int) ((counter >>> 6) & WORD_MASK);
            long bit = 1L << (counter & 63);
            if ((ring[word] & bit) != 0) {
                return false;
            }
            ring[word] |= bit;
            return true;
        }
    }

    /** Forgets every counter, as for a fresh session key. */
    public void reset() {
        synchronized (lock) {
            Arrays.fill(ring, 0L);
            next = 0;
        }
    }
}
