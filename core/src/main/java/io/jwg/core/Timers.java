// SPDX-License-Identifier: MIT
package io.jwg.core;

import io.jwg.noise.Protocol;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A peer's five timers (whitepaper section 6; the kernel's timers.c), driven by event hooks that
 * the data and handshake paths call. Each hook says when to call it. The expiry handlers act on
 * the peer through the {@link Peer} methods named after the kernel's.
 *
 * <ul>
 *   <li>retransmit handshake: REKEY_TIMEOUT + jitter after an initiation; retries up to
 *       MAX_TIMER_HANDSHAKES, then gives up and schedules key zeroing;
 *   <li>send keepalive (passive): KEEPALIVE_TIMEOUT after data was received and nothing sent;
 *   <li>new handshake: KEEPALIVE_TIMEOUT + REKEY_TIMEOUT after data was sent and nothing heard;
 *   <li>zero key material: 3 x REJECT_AFTER_TIME after the last session was derived;
 *   <li>persistent keepalive: every N seconds of silence when configured.
 * </ul>
 */
final class Timers {
    private final Peer peer;
    private final Clock clock;
    private final Timings timings;
    /**
     * Jitter only, as wireguard-go's fastrandn: no secret depends on it, and the device's
     * generator (/dev/urandom) would cost a system call on every data packet sent after one was
     * received. Seeded from the device's generator, so seeded tests stay repeatable.
     */
    private final SplittableRandom jitterRandom;

    private final LazyTimer retransmitHandshake;
    private final LazyTimer sendKeepalive;
    private final LazyTimer newHandshake;
    private final LazyTimer zeroKeyMaterial;
    private final LazyTimer persistentKeepalive;

    /** Guarded by this. */
    private int handshakeAttempts;
    private boolean needAnotherKeepalive;
    private volatile boolean enabled = true;

    Timers(Peer peer, Clock clock, Scheduler scheduler, Timings timings, RandomGenerator random) {
        this.peer = peer;
        this.clock = clock;
        this.timings = timings;
        this.jitterRandom = new SplittableRandom(random.nextLong());
        retransmitHandshake = new LazyTimer(clock, scheduler, this::expiredRetransmitHandshake);
        sendKeepalive = new LazyTimer(clock, scheduler, this::expiredSendKeepalive);
        newHandshake = new LazyTimer(clock, scheduler, this::expiredNewHandshake,
                Protocol.REKEY_TIMEOUT_JITTER_MAX.toNanos());
        zeroKeyMaterial = new LazyTimer(clock, scheduler, this::expiredZeroKeyMaterial);
        persistentKeepalive = new LazyTimer(clock, scheduler, this::expiredPersistentKeepalive);
    }

    private long jitter() {
        long max = Protocol.REKEY_TIMEOUT_JITTER_MAX.toNanos();
        synchronized (jitterRandom) {
            return jitterRandom.nextLong(max);
        }
    }

    // ---- hooks -------------------------------------------------------------------------

    /** Call after sending a transport message that carries data (not a keepalive). */
    void dataSent() {
        if (enabled && !newHandshake.pending()) {
            newHandshake.mod(timings.keepaliveTimeoutNanos() + timings.rekeyTimeoutNanos() + jitter());
        }
    }

    /** Call after receiving a transport message that carries data (not a keepalive). */
    void dataReceived() {
        if (!enabled) {
            return;
        }
        if (!sendKeepalive.pending()) {
            sendKeepalive.mod(timings.keepaliveTimeoutNanos());
        } else {
            synchronized (this) {
                needAnotherKeepalive = true;
            }
        }
    }

    /** Call after sending any authenticated message: handshake, data or keepalive. */
    void anyAuthenticatedPacketSent() {
        sendKeepalive.del();
    }

    /** Call after receiving any authenticated message: handshake, data or keepalive. */
    void anyAuthenticatedPacketReceived() {
        newHandshake.del();
    }

    /** Call after sending a handshake initiation. */
    void handshakeInitiated() {
        if (enabled) {
            retransmitHandshake.mod(timings.rekeyTimeoutNanos() + jitter());
        }
    }

    /** Call when a handshake completes: the initiator got a response, or a responder its confirmation. */
    void handshakeComplete() {
        retransmitHandshake.del();
        synchronized (this) {
            handshakeAttempts = 0;
        }
        peer.recordHandshakeComplete();
    }

    /** Call after a session's keys are derived (either role). */
    void sessionDerived() {
        if (enabled) {
            zeroKeyMaterial.mod(3 * timings.rejectAfterTimeNanos());
        }
    }

    /** Call after sending or receiving any authenticated message, to restart the persistent keepalive. */
    void anyAuthenticatedPacketTraversal() {
        int interval = peer.persistentKeepaliveInterval();
        if (enabled && interval > 0) {
            persistentKeepalive.mod(interval * 1_000_000_000L);
        }
    }

    /** Whether the retransmit timer is running (a handshake is awaiting its response). */
    boolean handshakeInProgress() {
        return retransmitHandshake.pending();
    }

    /** Restarts counting retransmissions: a new, non-retry initiation begins. */
    synchronized void resetHandshakeAttempts() {
        handshakeAttempts = 0;
    }

    /** Stops every timer (peer removed or device down). */
    void stopAll() {
        retransmitHandshake.del();
        sendKeepalive.del();
        newHandshake.del();
        zeroKeyMaterial.del();
        persistentKeepalive.del();
    }

    /** Stops every timer for good. */
    void disable() {
        enabled = false;
        retransmitHandshake.stop();
        sendKeepalive.stop();
        newHandshake.stop();
        zeroKeyMaterial.stop();
        persistentKeepalive.stop();
    }

    // ---- expiry handlers ---------------------------------------------------------------

    private void expiredRetransmitHandshake() {
        boolean giveUp;
        synchronized (this) {
            giveUp = handshakeAttempts > timings.maxTimerHandshakes();
            if (!giveUp) {
                handshakeAttempts++;
            }
        }
        if (giveUp) {
            // REKEY_ATTEMPT_TIME is over: stop trying until new traffic asks for a session, and
            // clear whatever a half-done exchange left behind in a while.
            sendKeepalive.del();
            peer.purgeStagedPackets();
            if (!zeroKeyMaterial.pending()) {
                zeroKeyMaterial.mod(3 * timings.rejectAfterTimeNanos());
            }
        } else {
            peer.sendHandshakeInitiation(true);
        }
    }

    private void expiredSendKeepalive() {
        peer.sendKeepalive();
        boolean again;
        synchronized (this) {
            again = needAnotherKeepalive;
            needAnotherKeepalive = false;
        }
        if (again) {
            sendKeepalive.mod(timings.keepaliveTimeoutNanos());
        }
    }

    private void expiredNewHandshake() {
        // We sent data and heard nothing for KEEPALIVE_TIMEOUT + REKEY_TIMEOUT: the session may be
        // dead on the other side, so make a new one.
        peer.sendHandshakeInitiation(false);
    }

    private void expiredZeroKeyMaterial() {
        peer.zeroKeyMaterial();
    }

    private void expiredPersistentKeepalive() {
        if (peer.persistentKeepaliveInterval() > 0) {
            peer.sendKeepalive();
        }
    }

    long nowNanos() {
        return clock.nanoTime();
    }
}
