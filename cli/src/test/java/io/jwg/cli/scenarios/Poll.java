// SPDX-License-Identifier: MIT
package io.jwg.cli.scenarios;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for a condition by polling it, instead of sleeping for a guessed time. */
public final class Poll {
    private static final long INTERVAL_MS = 50;

    private Poll() {}

    /** A condition to wait for; it may run commands and throw. */
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** True as soon as {@code condition} holds, false if it still does not after {@code timeout}. */
    public static boolean until(Duration timeout, BooleanSupplier condition) {
        try {
            return poll(timeout, condition::getAsBoolean);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e); // not reached: a BooleanSupplier throws only unchecked ones
        }
    }

    /** Returns once {@code condition} holds; fails the test naming {@code what} after {@code timeout}. */
    public static void until(Condition condition, Duration timeout, String what) throws Exception {
        if (!poll(timeout, condition)) {
            throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what);
        }
    }

    /** Fails with {@code what} and the last {@code state} unless {@code condition} holds within {@code timeout}. */
    public static void assertUntil(Duration timeout, String what, BooleanSupplier condition, Supplier<Object> state) {
        if (!until(timeout, condition)) {
            throw new AssertionError(what + " (not within " + timeout.toSeconds() + " s); state: " + state.get());
        }
    }

    private static boolean poll(Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(INTERVAL_MS);
        }
        return true;
    }
}
