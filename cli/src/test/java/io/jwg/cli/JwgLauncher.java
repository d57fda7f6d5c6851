// SPDX-License-Identifier: MIT
package io.jwg.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jwg.core.testing.CommandResult;
import io.jwg.core.testing.Commands;
import io.jwg.core.testing.Netns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The repository's {@code ./jwg} launcher, run the way users and wg-quick run it: inside a test
 * namespace through {@code ip netns exec}, with an explicit environment (the test JVM's own
 * {@code LOG_LEVEL} never leaks in). Also finds the daemons it leaves running, by their command
 * line, and watches them exit. Stateless and thread-safe.
 */
final class JwgLauncher {
    /** The repository root (Maven passes it to the tests as {@code jwg.repo}). */
    static final Path REPO = Path.of(System.getProperty("jwg.repo", System.getProperty("user.dir") + "/.."));
    static final Path JWG = REPO.resolve("jwg");
    static final Path SOCKET_DIR = Path.of("/var/run/wireguard");
    /** Generous: the launcher itself gives up after 30 s. */
    static final Duration LAUNCH_TIMEOUT = Duration.ofSeconds(40);
    /** wg-quick down relies on the daemon noticing its interface is gone; wireguard-go takes ~2.5 s. */
    static final Duration EXIT_TIMEOUT = Duration.ofSeconds(5);

    private JwgLauncher() {}

    /** Skips unless {@code mvn package} has produced what the launcher runs. */
    static void assumeBuilt() {
        assumeTrue(Files.isExecutable(JWG) && Files.isRegularFile(REPO.resolve("cli/target/jwg-cli.jar")),
                "skipped: " + JWG + " or cli/target/jwg-cli.jar is missing (run the integration tests with mvn verify)");
    }

    /** {@code env -u LOG_LEVEL -u WG_PROCESS_FOREGROUND [env...] ./jwg args...} inside {@code ns}. */
    static CommandResult run(Netns ns, List<String> env, String... args) {
        return ns.exec(LAUNCH_TIMEOUT, command(env, args).toArray(String[]::new));
    }

    /** The argv of {@link #run}, without the namespace part. */
    static List<String> command(List<String> env, String... args) {
        List<String> argv = new ArrayList<>(List.of("env", "-u", "LOG_LEVEL", "-u", "WG_PROCESS_FOREGROUND"));
        argv.addAll(env);
        argv.add(JWG.toString());
        argv.addAll(List.of(args));
        return argv;
    }

    /** Starts a daemon in the background with {@code ./jwg NAME}, failing the test unless it says it is up. */
    static long startDaemon(Netns ns, String name) {
        CommandResult r = run(ns, List.of(), name);
        if (!r.ok()) {
            fail("./jwg " + name + " failed:\n" + r.describe());
        }
        return daemonPid(name).orElseThrow(() -> new AssertionError("no daemon process for " + name));
    }

    static Path socket(String name) {
        return SOCKET_DIR.resolve(name + ".sock");
    }

    static boolean linkExists(Netns ns, String name) {
        return ns.exec("ip", "link", "show", "dev", name).ok();
    }

    /** The live daemon serving {@code name}: the JVM whose command line ends in {@code --foreground NAME}. */
    static OptionalLong daemonPid(String name) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> isDaemonFor(p, name))
                    .mapToLong(p -> Long.parseLong(p.getFileName().toString()))
                    .filter(pid -> !exited(pid))
                    .findFirst();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isDaemonFor(Path proc, String name) {
        try {
            String[] argv = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).split("\0");
            int n = argv.length;
            return n >= 3 && argv[n - 3].equals("io.jwg.cli.Main") && argv[n - 2].equals("--foreground")
                    && argv[n - 1].equals(name);
        } catch (IOException e) {
            return false; // gone meanwhile
        }
    }

    /**
     * True once the process has terminated, zombies included: an orphaned daemon waits for pid 1
     * to reap it, which here may take seconds or never happen.
     */
    static boolean exited(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state == 'Z' || state == 'X';
        } catch (IOException e) {
            return true;
        }
    }

    /** Polls until {@code pid} has exited; false on timeout. */
    static boolean awaitExit(long pid, Duration timeout) {
        return awaitTrue(() -> exited(pid), timeout);
    }

    static boolean awaitTrue(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Sends a signal by number to one process. */
    static void signal(long pid, String signal) {
        Commands.runOk("kill", "-" + signal, Long.toString(pid));
    }

    /** Where file descriptor {@code fd} of {@code pid} points, e.g. {@code /dev/null}. */
    static String fdTarget(long pid, int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "fd", Integer.toString(fd))).toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The session id of {@code pid} (field 6 of /proc/PID/stat). */
    static long sessionId(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(after[3]);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fails with the daemon's state unless it exited, and its socket and interface are gone, in time. */
    static void assertGone(Netns ns, String name, long pid) {
        assertTrue(awaitExit(pid, EXIT_TIMEOUT), "daemon " + pid + " for " + name + " still runs after " + EXIT_TIMEOUT);
        assertTrue(awaitTrue(() -> !Files.exists(socket(name)), Duration.ofSeconds(1)), socket(name) + " is left behind");
        assertTrue(awaitTrue(() -> !linkExists(ns, name), Duration.ofSeconds(1)), "interface " + name + " is left behind");
    }
}
