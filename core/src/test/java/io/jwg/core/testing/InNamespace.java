// SPDX-License-Identifier: MIT
package io.jwg.core.testing;

import java.util.concurrent.Callable;

/**
 * Runs one piece of Java code inside a network namespace, on a fresh {@link NamespaceThread}
 * that ends afterwards. Sockets the code creates stay in that namespace for their whole life, so
 * this is how a test opens, in-process, a socket that lives in a test namespace. For repeated
 * calls keep a {@link NamespaceThread} instead. Thread-safe.
 */
public final class InNamespace {

    private InNamespace() {
    }

    /** Runs {@code task} inside namespace {@code nsName}; whatever it throws is rethrown unchanged. */
    public static <T> T call(String nsName, Callable<T> task) throws Exception {
        try (NamespaceThread thread = new NamespaceThread(nsName)) {
            return thread.call(task);
        }
    }

    /** Runs {@code task} inside {@code netns}; whatever it throws is rethrown unchanged. */
    public static <T> T call(Netns netns, Callable<T> task) throws Exception {
        return call(netns.name(), task);
    }
}
