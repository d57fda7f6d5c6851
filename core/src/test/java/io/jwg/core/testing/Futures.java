// SPDX-License-Identifier: MIT
package io.jwg.core.testing;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for work done on another thread as if it had been done on this one. */
public final class Futures {
    private Futures() {}

    /** The task's result, or what it threw, unwrapped from the {@link ExecutionException}. */
    public static <T> T get(Future<T> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
