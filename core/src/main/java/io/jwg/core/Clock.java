// SPDX-License-Identifier: MIT
package io.jwg.core;

import java.time.Instant;

/**
 * Time as the device sees it: a monotonic clock for every protocol timer and a wall clock for
 * TAI64N timestamps and the "latest handshake" that users read. Injected so tests can run hours of
 * protocol time in milliseconds; production uses {@link #system()}.
 */
public interface Clock {

    /** Monotonic nanoseconds, as {@link System#nanoTime()}: only differences are meaningful. */
    long nanoTime();

    /** Wall-clock time. */
    Instant now();

    /** The system clocks. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
