// SPDX-License-Identifier: MIT
package io.jwg.cli.scenarios;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for a condition by polling it, instead of sleeping for a guessed time. */
public final class Poll {
    private static final long INTERVAL_MS = 100;

    private Poll() {}

    /** True as soon as {@code condition} holds, false if it still does not after {@code timeout}. */
    public static boolean until(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(INTERVAL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Fails with {@code what} and the last {@code state} unless {@code condition} holds within {@code timeout}. */
    public static void assertUntil(Duration timeout, String what, BooleanSupplier condition, Supplier<Object> state) {
        if (!until(timeout, condition)) {
            throw new AssertionError(what + " (not within " + timeout.toSeconds() + " s); state: " + state.get());
        }
    }
}
