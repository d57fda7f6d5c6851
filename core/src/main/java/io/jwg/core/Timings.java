// SPDX-License-Identifier: MIT
package io.jwg.core;

import io.jwg.noise.Protocol;
import java.time.Duration;

/**
 * The protocol's time constants as a device uses them. {@link #DEFAULT} is the whitepaper's
 * (section 6.1) and is what every real deployment must use; {@link #withRekeyAfterTime} exists so
 * that interop tests can force a rekey in seconds against a real peer, not for production.
 */
public final class Timings {
    public static final Timings DEFAULT = new Timings(Protocol.REKEY_AFTER_TIME, Protocol.REJECT_AFTER_TIME,
            Protocol.REKEY_ATTEMPT_TIME, Protocol.REKEY_TIMEOUT, Protocol.KEEPALIVE_TIMEOUT);

    private final long rekeyAfterTime;
    private final long rejectAfterTime;
    private final long rekeyAttemptTime;
    private final long rekeyTimeout;
    private final long keepaliveTimeout;

    private Timings(Duration rekeyAfter, Duration rejectAfter, Duration rekeyAttempt, Duration rekeyTimeout,
            Duration keepalive) {
        this.rekeyAfterTime = rekeyAfter.toNanos();
        this.rejectAfterTime = rejectAfter.toNanos();
        this.rekeyAttemptTime = rekeyAttempt.toNanos();
        this.rekeyTimeout = rekeyTimeout.toNanos();
        this.keepaliveTimeout = keepalive.toNanos();
    }

    /** For tests only: rekey after {@code d} instead of REKEY_AFTER_TIME (everything else unchanged). */
    public Timings withRekeyAfterTime(Duration d) {
        if (d.isNegative() || d.isZero() || d.toNanos() >= rejectAfterTime) {
            throw new IllegalArgumentException("rekey-after time must be positive and below REJECT_AFTER_TIME");
        }
        return new Timings(d, Duration.ofNanos(rejectAfterTime), Duration.ofNanos(rekeyAttemptTime),
                Duration.ofNanos(rekeyTimeout), Duration.ofNanos(keepaliveTimeout));
    }

    long rekeyAfterTimeNanos() {
        return rekeyAfterTime;
    }

    long rejectAfterTimeNanos() {
        return rejectAfterTime;
    }

    long rekeyTimeoutNanos() {
        return rekeyTimeout;
    }

    long keepaliveTimeoutNanos() {
        return keepaliveTimeout;
    }

    /** Handshake attempts before giving up: REKEY_ATTEMPT_TIME / REKEY_TIMEOUT. */
    int maxTimerHandshakes() {
        return (int) (rekeyAttemptTime / rekeyTimeout);
    }

    /**
     * Age after which an initiator that receives data rekeys before the session dies:
     * REJECT_AFTER_TIME - KEEPALIVE_TIMEOUT - REKEY_TIMEOUT (the kernel's receive-side keep_key_fresh).
     */
    long rekeyOnReceiveNanos() {
        return rejectAfterTime - keepaliveTimeout - rekeyTimeout;
    }
}
