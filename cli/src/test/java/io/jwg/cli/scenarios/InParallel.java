// SPDX-License-Identifier: MIT
package io.jwg.cli.scenarios;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs blocking scenario steps (wg-quick up, pings) at the same time, each on a thread of its
 * own: the common fork-join pool that {@code CompletableFuture.supplyAsync} uses has a single
 * thread on a two-core machine, which would run them one after another.
 */
public final class InParallel {
    private InParallel() {}

    /** Runs every task, each on its own thread, and returns their results in order. */
    public static <T> List<T> call(List<? extends Callable<T>> tasks) throws Exception {
        try (ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().factory())) {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(threads.submit(task));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(io.jwg.core.testing.Futures.get(f));
            }
            return results;
        }
    }

    /** Runs every task, each on its own thread, and returns once all have ended. */
    public static void run(List<? extends Runnable> tasks) throws Exception {
        call(tasks.stream().map(t -> (Callable<Void>) () -> {
            t.run();
            return null;
        }).toList());
    }
}
