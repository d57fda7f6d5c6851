// SPDX-License-Identifier: MIT
package io.jwg.tun;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closes a device's file descriptors exactly once, and only when no operation is using them.
 *
 * <p>Closing a descriptor another thread is about to read would be a bug twice over: the read
 * could block forever, or, once the kernel hands the same number to a new file, read someone
 * else's data. So every operation brackets its system calls with {@link #enter()} and
 * {@link #exit()}; {@link #close} stops new operations from entering, and whichever operation
 * leaves last (or {@code close} itself, when none is in flight) runs the close action.
 *
 * <p>Thread-safe; {@code enter}/{@code exit} are lock-free and allocate nothing.
 */
final class DescriptorGuard {

    /** Bit of {@link #state} set once closing began; the low bits count operations in flight. */
    private static final int CLOSED = 1 << 30;

    private final AtomicInteger state = new AtomicInteger();
    private final Runnable closeDescriptors;
    private final Object lock = new Object();
    private boolean released; // guarded by lock

    DescriptorGuard(Runnable closeDescriptors) {
        this.closeDescriptors = closeDescriptors;
    }

    /** Registers an operation; false once closing began, and the descriptors must not be used. */
    boolean enter() {
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                return false;
            }
            if (state.compareAndSet(s, s + 1)) {
                return true;
            }
        }
    }

    /** Ends an operation that {@link #enter()} admitted. */
    void exit() {
        if (state.decrementAndGet() == CLOSED) {
            release();
        }
    }

    /**
     * Stops new operations, runs {@code wakeUp} while the descriptors are still open (it must make
     * every blocked operation return), and returns once the descriptors are closed. Idempotent:
     * later calls only wait.
     */
    void close(Runnable wakeUp) {
        if (enter()) {
            try {
                int s;
                do {
                    s = state.get();
                } while (!state.compareAndSet(s, s | CLOSED));
                wakeUp.run();
            } finally {
                exit();
            }
        }
        awaitRelease();
    }

    private void release() {
        closeDescriptors.run();
        synchronized (lock) {
            released = true;
            lock.notifyAll();
        }
    }

    private void awaitRelease() {
        boolean interrupted = false;
        synchronized (lock) {
            while (!released) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
