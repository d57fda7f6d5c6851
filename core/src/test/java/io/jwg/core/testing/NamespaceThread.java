// SPDX-License-Identifier: MIT
package io.jwg.core.testing;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One platform thread that lives inside a network namespace and runs submitted tasks there, in
 * order. Its purpose is socket creation: a socket belongs to the network namespace of the thread
 * that created it, for its whole life, whichever thread later uses it. So an in-process jwg
 * device gets its UDP socket inside a test namespace when its Netty channel is bound from this
 * thread (Netty opens a channel's socket on the thread that calls {@code bind()}); the socket
 * then keeps working from Netty's event loop in the host namespace.
 *
 * <p>Only what the kernel ties to the calling thread follows it into the namespace: sockets and
 * netlink. {@code /proc/self/net}, and so {@link java.net.NetworkInterface} enumeration, shows the
 * process's (the main thread's) namespace; read {@code /proc/thread-self/net} instead.
 *
 * <p>The thread is dedicated: it enters the namespace with {@code setns(2)} before anything else
 * and is never returned to a pool, so no unrelated code ever runs in the wrong namespace.
 * Construction fails if the namespace cannot be entered. {@link #close()} runs the tasks already
 * submitted, then ends the thread. Thread-safe.
 */
public final class NamespaceThread implements Executor, AutoCloseable {

    private static final Runnable STOP = () -> { };
    private static final long JOIN_TIMEOUT_SECONDS = 10;

    private final String nsName;
    private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    /** Starts a thread inside namespace {@code nsName} (a name from {@code ip netns list}). */
    public NamespaceThread(String nsName) {
        this.nsName = nsName;
        CompletableFuture<Void> entered = new CompletableFuture<>();
        thread = Thread.ofPlatform().daemon().name("netns-" + nsName).unstarted(() -> loop(entered));
        thread.start();
        try {
            entered.join();
        } catch (CompletionException e) {
            throw (e.getCause() instanceof RuntimeException re) ? re : e;
        }
    }

    /** Starts a thread inside {@code netns}. */
    public NamespaceThread(Netns netns) {
        this(netns.name());
    }

    /** The namespace this thread runs in. */
    public String namespace() {
        return nsName;
    }

    /** Queues {@code task} to run inside the namespace. */
    public <T> Future<T> submit(Callable<T> task) {
        FutureTask<T> f = new FutureTask<>(task);
        execute(f);
        return f;
    }

    /**
     * Runs {@code task} inside the namespace and waits for it; whatever it throws is rethrown
     * here unchanged.
     */
    public <T> T call(Callable<T> task) throws Exception {
        return Futures.get(submit(task));
    }

    /** Queues {@code command} to run inside the namespace. */
    @Override
    public void execute(Runnable command) {
        synchronized (tasks) {
            if (closed) {
                throw new RejectedExecutionException("namespace thread for " + nsName + " is closed");
            }
            tasks.add(command);
        }
    }

    /** Runs the tasks already queued, then ends the thread. Idempotent. */
    @Override
    public void close() {
        synchronized (tasks) {
            if (closed) {
                return;
            }
            closed = true;
            tasks.add(STOP);
        }
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(JOIN_TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return thread.getName();
    }

    private void loop(CompletableFuture<Void> entered) {
        try {
            NetnsSyscalls.enterOnCurrentThread(nsName);
        } catch (RuntimeException | Error e) {
            closed = true;
            entered.completeExceptionally(e);
            return;
        }
        entered.complete(null);
        while (true) {
            Runnable task;
            try {
                task = tasks.take();
            } catch (InterruptedException e) {
                return;
            }
            if (task == STOP) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                // A plain Runnable's failure must not kill the namespace's only thread.
                Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
            }
        }
    }
}
