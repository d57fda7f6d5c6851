// SPDX-License-Identifier: MIT
package io.jwg.core.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Last line of defence against leaked fixtures: resources still open when the JVM exits (a test
 * forgot to close them, or the run was interrupted) are closed by a shutdown hook, so that no
 * namespace or wireguard-go process outlives the test run that created it. It cannot help after
 * SIGKILL; the pid in every {@link UniqueNames unique name} then says whose leftover it is.
 *
 * <p>Thread-safe.
 */
final class ShutdownCleanup {

    private static final Set<AutoCloseable> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ShutdownCleanup::closeAll, "jwg-fixture-cleanup"));
    }

    private ShutdownCleanup() {
    }

    static void register(AutoCloseable resource) {
        OPEN.add(resource);
    }

    static void unregister(AutoCloseable resource) {
        OPEN.remove(resource);
    }

    private static void closeAll() {
        List<AutoCloseable> left = new ArrayList<>(OPEN);
        for (AutoCloseable resource : left) {
            try {
                resource.close();
            } catch (Exception | AssertionError e) {
                System.err.println("jwg test fixtures: cleanup of " + resource + " failed: " + e);
            }
        }
    }
}
