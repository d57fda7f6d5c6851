// SPDX-License-Identifier: MIT
package io.jwg.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Ends a process together with everything it started: SIGTERM first so that a well-behaved
 * daemon (wireguard-go removes its UAPI socket and interface on SIGTERM) can clean up, then
 * SIGKILL for whatever is still alive after the grace period.
 *
 * <p>Refuses to signal this JVM itself, whatever it is asked: a process found by scanning a
 * namespace could in principle be us. Stateless and thread-safe.
 */
final class Processes {

    private static final long SELF = ProcessHandle.current().pid();
    private static final Duration KILL_WAIT = Duration.ofSeconds(2);
    private static final long POLL_MILLIS = 5;

    private Processes() {
    }

    /**
     * Terminates {@code root} and its descendants; returns once they are gone or after waiting
     * {@code grace} plus a short SIGKILL wait.
     */
    static void kill(ProcessHandle root, Duration grace) {
        List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
        all.add(root);
        all.removeIf(p -> p.pid() == SELF);
        if (!grace.isZero()) {
            all.forEach(ProcessHandle::destroy);
            awaitExit(all, grace);
        }
        all.stream().filter(p -> !exited(p)).forEach(ProcessHandle::destroyForcibly);
        awaitExit(all, KILL_WAIT);
    }

    /** Like {@link #kill(ProcessHandle, Duration)} for a process known only by its id. */
    static void kill(long pid, Duration grace) {
        if (pid != SELF) {
            ProcessHandle.of(pid).ifPresent(p -> kill(p, grace));
        }
    }

    /**
     * True once {@code p} has terminated, including as a zombie: an orphan that exited waits for
     * its reaper (init, or whatever a container runs as pid 1, which may never reap it), and
     * {@link ProcessHandle#isAlive()} still calls it alive until then.
     */
    static boolean exited(ProcessHandle p) {
        if (!p.isAlive()) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            // The state follows the parenthesised command name, which may itself contain spaces.
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state == 'Z' || state == 'X';
        } catch (IOException | RuntimeException e) {
            return !p.isAlive();
        }
    }

    /**
     * Polls rather than using {@code onExit()}: for processes that are not our children the JDK
     * polls too, but with back-off delays that would make every cleanup take about a second.
     */
    private static void awaitExit(List<ProcessHandle> processes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!processes.stream().allMatch(Processes::exited) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
