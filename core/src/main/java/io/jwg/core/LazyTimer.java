// SPDX-License-Identifier: MIT
package io.jwg.core;

/**
 * One protocol timer with the kernel's {@code mod_timer}/{@code del_timer}/{@code timer_pending}
 * semantics, cheap enough to re-arm on every packet: {@link #mod} only writes a deadline, and a
 * scheduler task is armed only when none is pending. When the task fires early (the deadline
 * moved later meanwhile) it re-arms itself for the rest. Thread-safe.
 */
final class LazyTimer {
    private final Clock clock;
    private final Scheduler scheduler;
    private final Runnable action;
    /** Deadline on the clock's nanoTime, or {@link #OFF}. Guarded by this. */
    private long deadline;
    private boolean armed;
    private boolean stopped;
    private static final long OFF = Long.MIN_VALUE;

    LazyTimer(Clock clock, Scheduler scheduler, Runnable action) {
        this.clock = clock;
        this.scheduler = scheduler;
        this.action = action;
        this.deadline = OFF;
    }

    /** Fires {@code delayNanos} from now, replacing any earlier setting (mod_timer). */
    void mod(long delayNanos) {
        long due = clock.nanoTime() + delayNanos;
        synchronized (this) {
            if (stopped) {
                return;
            }
            boolean earlier = deadline == OFF || due - deadline < 0;
            deadline = due;
            if (!armed || earlier) {
                // An already armed task would fire too late for an earlier deadline: arm another;
                // the stale one finds the deadline unchanged or moved and does the right thing.
                armed = true;
                scheduler.schedule(this::fire, delayNanos);
            }
        }
    }

    /** Stops the timer if pending (del_timer). */
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

    private void fire() {
        synchronized (this) {
            if (deadline == OFF || stopped) {
                armed = false;
                return;
            }
            long remaining = deadline - clock.nanoTime();
            if (remaining > 0) {
                scheduler.schedule(this::fire, remaining);
                return;
            }
            deadline = OFF;
            armed = false;
        }
        action.run();
    }
}
