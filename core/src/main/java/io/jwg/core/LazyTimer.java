// SPDX-License-Identifier: MIT
package io.jwg.core;

/**
 * One protocol timer with the kernel's {@code mod_timer}/{@code del_timer}/{@code timer_pending}
 * semantics, cheap enough to re-arm on every packet: {@link #mod} and {@link #del} only write a
 * deadline, and a scheduler task is armed only when none is armed that fires at or before the new
 * deadline. A task that fires early (the deadline moved later meanwhile) re-arms itself for the
 * rest; one that finds the timer deleted just disarms.
 *
 * <p>So the data path's pattern, a packet sent (mod) and its answer received (del) many times a
 * second, costs no scheduler call and no wake-up of the scheduler's thread: the task armed by the
 * first mod keeps standing in for all later ones. (Arming on every mod after a del woke the timer
 * thread twice per ping round trip on each side, in the middle of the data path.) Thread-safe.
 */
final class LazyTimer {
    private static final long OFF = Long.MIN_VALUE;

    private final Clock clock;
    private final Scheduler scheduler;
    private final Runnable action;
    /** How much earlier than its deadline a task is armed (see the constructor). */
    private final long earlyNanos;
    /** Deadline on the clock's nanoTime, or {@link #OFF}. Guarded by this. */
    private long deadline = OFF;
    /** Whether a task is armed, and when the latest armed one fires. Guarded by this. */
    private boolean armed;
    private long armedAt;
    private boolean stopped;

    LazyTimer(Clock clock, Scheduler scheduler, Runnable action) {
        this(clock, scheduler, action, 0);
    }

    /**
     * @param earlyNanos arm tasks this much before the deadline (they re-arm for the rest, so
     *     the timer still fires on time). For a timer whose delay carries a random jitter of up to
     *     this much: re-armed on every packet, its new deadline may fall before the armed one, and
     *     arming a task for each such case would wake the scheduler's thread again and again.
     */
    LazyTimer(Clock clock, Scheduler scheduler, Runnable action, long earlyNanos) {
        this.clock = clock;
        this.scheduler = scheduler;
        this.action = action;
        this.earlyNanos = earlyNanos;
    }

    /** Fires {@code delayNanos} from now, replacing any earlier setting (mod_timer). */
    void mod(long delayNanos) {
        long due = clock.nanoTime() + delayNanos;
        synchronized (this) {
            if (stopped) {
                return;
            }
            deadline = due;
            if (!armed || due - armedAt < 0) {
                // None armed, or the armed one would fire too late: arm one for this deadline.
                // A task armed before it becomes stale and returns without effect.
                long early = Math.min(earlyNanos, Math.max(0, delayNanos));
                arm(due - early, delayNanos - early);
            }
        }
    }

    private void arm(long at, long delayNanos) {
        armed = true;
        armedAt = at;
        scheduler.schedule(() -> fire(at), delayNanos);
    }

    /** Stops the timer if pending (del_timer). The armed task, if any, stays and finds nothing to do. */
    synchronized void del() {
        deadline = OFF;
    }

    /** True while a deadline is set (timer_pending). */
    synchronized boolean pending() {
        return deadline != OFF;
    }

    /** Stops the timer for good (the peer is being removed). */
    synchronized void stop() {
        stopped = true;
        deadline = OFF;
    }

    private void fire(long at) {
        synchronized (this) {
            if (!armed || at != armedAt) {
                return; // superseded by a task armed for an earlier deadline
            }
            if (deadline == OFF || stopped) {
                armed = false;
                return;
            }
            long remaining = deadline - clock.nanoTime();
            if (remaining > 0) {
                arm(deadline, remaining);
                return;
            }
            deadline = OFF;
            armed = false;
        }
        action.run();
    }
}
