// SPDX-License-Identifier: MIT
package io.jwg.core.transport.netty;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Makes the bind's event-loop threads ({@code jwg-udp-*}, daemon, so a forgotten bind never keeps
 * the JVM alive) and remembers them, so that close can join them: Netty's termination future
 * completes just before its thread exits, and a closed bind must leave no thread behind.
 *
 * <p>Thread-safety: {@link #newThread} runs on whichever thread starts an event loop; all methods
 * are synchronized.
 */
final class EventLoopThreads implements ThreadFactory {
    private final ThreadFactory names = new DefaultThreadFactory("jwg-udp", true);
    private final List<Thread> started = new ArrayList<>();

    @Override
    public synchronized Thread newThread(Runnable r) {
        Thread t = names.newThread(r);
        started.add(t);
        return t;
    }

    /** Waits up to {@code timeoutMillis} in total for every thread made so far to end. */
    synchronized void join(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        boolean interrupted = false;
        for (Thread t : started) {
            long left = deadline - System.nanoTime();
            while (left > 0 && t.isAlive()) {
                try {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                left = deadline - System.nanoTime();
            }
        }
        started.removeIf(t -> !t.isAlive());
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
