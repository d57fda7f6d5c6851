// SPDX-License-Identifier: MIT
package io.jwg.cli.scenarios;

import java.time.Duration;

/** Waiting for a condition in a scenario by checking it every 50 ms, rather than sleeping a guess. */
public final class Poll {
    private Poll() {}

    /** A condition to wait for; it may run commands and throw. */
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** Returns once {@code condition} holds; fails the test naming {@code what} after {@code timeout}. */
    public static void until(Condition condition, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}
