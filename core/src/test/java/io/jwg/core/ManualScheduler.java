// SPDX-License-Identifier: MIT
package io.jwg.core;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} driven by a {@link ManualClock}: tasks run, in deadline order, on the
 * caller's thread when the test advances time with {@link #advance}.
 */
public final class ManualScheduler implements Scheduler {
    private final ManualClock clock;
    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private long seq;
    private boolean closed;

    private static final class Entry implements Comparable<Entry>, Task {
        final long due;
        final long order;
        final Runnable task;
        volatile boolean cancelled;

        Entry(long due, long order, Runnable task) {
            this.due = due;
            this.order = order;
            this.task = task;
        }

        @Override
        public int compareTo(Entry o) {
            int c = Long.compare(due, o.due);
            return c != 0 ? c : Long.compare(order, o.order);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    public ManualScheduler(ManualClock clock) {
        this.clock = clock;
    }

    public ManualClock clock() {
        return clock;
    }

    @Override
    public synchronized Task schedule(Runnable task, long delayNanos) {
        Entry e = new Entry(clock.nanoTime() + Math.max(0, delayNanos), seq++, task);
        if (!closed) {
            queue.add(e);
        }
        return e;
    }

    /** Moves the clock forward by {@code d}, running every task that falls due, in order. */
    public void advance(Duration d) {
        long target = clock.nanoTime() + d.toNanos();
        while (true) {
            Entry next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due > target) {
                    break;
                }
                queue.poll();
            }
            if (next.due > clock.nanoTime()) {
                clock.advanceNanos(next.due - clock.nanoTime());
            }
            if (!next.cancelled) {
                next.task.run();
            }
        }
        if (target > clock.nanoTime()) {
            clock.advanceNanos(target - clock.nanoTime());
        }
    }

    /**
     * Runs the earliest task due no later than {@code deadlineNanos} (moving the clock to its due
     * time), and returns true; or returns false when there is none. Tests interleave this with
     * waiting for other threads, so each timer event sees the world its predecessors left.
     */
    public boolean runNext(long deadlineNanos) {
        Entry next;
        synchronized (this) {
            do {
                next = queue.peek();
                if (next == null || next.due > deadlineNanos) {
                    return false;
                }
                queue.poll();
            } while (next.cancelled);
        }
        if (next.due > clock.nanoTime()) {
            clock.advanceNanos(next.due - clock.nanoTime());
        }
        next.task.run();
        return true;
    }

    /** Runs the tasks due now without moving the clock. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    public synchronized int pendingTasks() {
        return (int) queue.stream().filter(e -> !e.cancelled).count();
    }

    @Override
    public synchronized void close() {
        closed = true;
        queue.clear();
    }
}
