// SPDX-License-Identifier: MIT
package io.jwg.core;

/**
 * Runs a task once after a delay; the device's timers are built on it. Injected so tests can run
 * hours of protocol time at once with a manual scheduler; production uses a single daemon thread
 * ({@link #newThread}).
 */
public interface Scheduler extends AutoCloseable {

    /** A scheduled task that can be called off. */
    interface Task {
        /** Prevents the task from running if it has not started; harmless if it already ran. */
        void cancel();
    }

    /** Runs {@code task} once, {@code delayNanos} (>= 0) from now on the scheduler's clock. */
    Task schedule(Runnable task, long delayNanos);

    /** Stops running tasks; pending ones are dropped. */
    @Override
    void close();

    /** A scheduler with one daemon thread named {@code name}, on the system clock. */
    static Scheduler newThread(String name) {
        return new ExecutorScheduler(name);
    }
}
