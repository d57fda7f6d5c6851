// SPDX-License-Identifier: MIT
package io.jwg.core;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** {@link Scheduler} on one daemon thread of a {@link ScheduledThreadPoolExecutor}. */
final class ExecutorScheduler implements Scheduler {
    private static final System.Logger LOG = System.getLogger(ExecutorScheduler.class.getName());
    private final ScheduledThreadPoolExecutor executor;

    ExecutorScheduler(String name) {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        // Timers are re-armed constantly; cancelled ones must not pile up in the queue.
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Task schedule(Runnable task, long delayNanos) {
        if (executor.isShutdown()) {
            return () -> {};
        }
        ScheduledFuture<?> f = executor.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "timer task failed", e);
            }
        }, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
