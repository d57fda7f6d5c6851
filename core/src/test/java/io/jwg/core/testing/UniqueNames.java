// SPDX-License-Identifier: MIT
package io.jwg.core.testing;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Names for namespaces and interfaces that cannot clash with other test runs on the same machine.
 *
 * <p>A name is {@code prefix + pid + counter + random}, all base 36: the JVM's pid separates
 * concurrent runs (and tells a human whose leftover a stale namespace is), the counter separates
 * names within this JVM, and two random characters guard against a leftover from a crashed run
 * whose pid has since been reused. The result is at most {@link #IFNAMSIZ_MAX} characters, the
 * longest interface name Linux accepts (IFNAMSIZ is 16 including the terminating NUL), and uses
 * only {@code [a-z0-9]}, which every tool involved accepts.
 *
 * <p>Thread-safe.
 */
public final class UniqueNames {

    /** The longest Linux interface name. */
    public static final int IFNAMSIZ_MAX = 15;

    /** The longest prefix that still leaves room for the unique part. */
    public static final int MAX_PREFIX = 4;

    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9]{0," + (MAX_PREFIX - 1) + "}");
    private static final String PID = Long.toString(ProcessHandle.current().pid(), Character.MAX_RADIX);
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final int COUNTER_SPAN = 36 * 36;

    private UniqueNames() {
    }

    /**
     * A fresh name starting with {@code prefix}.
     *
     * @param prefix 1 to {@value #MAX_PREFIX} characters of {@code [a-z0-9]}, starting with a letter
     */
    public static String next(String prefix) {
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("prefix must match " + PREFIX + ": " + prefix);
        }
        int n = Math.floorMod(COUNTER.getAndIncrement(), COUNTER_SPAN);
        int r = ThreadLocalRandom.current().nextInt(COUNTER_SPAN);
        return prefix + PID + base36Pair(n) + base36Pair(r);
    }

    private static String base36Pair(int v) {
        return new String(new char[] {
            Character.forDigit(v / 36, 36), Character.forDigit(v % 36, 36)});
    }
}
