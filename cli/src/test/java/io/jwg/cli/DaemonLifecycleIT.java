// SPDX-License-Identifier: MIT
package io.jwg.cli;

import static io.jwg.cli.JwgLauncher.assertGone;
import static io.jwg.cli.JwgLauncher.linkExists;
import static io.jwg.cli.JwgLauncher.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jwg.core.testing.CommandResult;
import io.jwg.core.testing.Netns;
import io.jwg.core.testing.Requirements;
import io.jwg.core.testing.UniqueNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The daemon's life as wireguard-go's contract describes it (wireguard.com/xplatform), through
 * the real {@code ./jwg} launcher: it returns only once the TUN and the socket exist, detaches
 * from the caller, and ends cleanly when its interface is deleted, its socket is removed, or it
 * gets SIGTERM / SIGINT.
 */
@Tag(Requirements.TAG)
class DaemonLifecycleIT {

    @BeforeAll
    static void requirements() {
        Requirements.assumeNetns();
        JwgLauncher.assumeBuilt();
    }

    @Test
    void launcherReturnsOnlyOnceTheInterfaceAndTheSocketExistAndLeavesADetachedDaemon() throws IOException {
        try (Netns ns = Netns.create("jwgl")) {
            String name = UniqueNames.next("jwg");
            CommandResult r = JwgLauncher.run(ns, List.of(), name);
            // Checked the moment the launcher returns: wg-quick runs `wg setconf` right then.
            boolean link = linkExists(ns, name);
            PosixFileAttributes sock = Files.readAttributes(socket(name), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            assertTrue(r.ok(), r.describe());
            assertTrue(link, "interface " + name + " does not exist when ./jwg returns");
            assertTrue(sock.isOther(), socket(name) + " is not a socket");
            assertEquals("rw-------", PosixFilePermissions.toString(sock.permissions()));
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(JwgLauncher.SOCKET_DIR)));
            assertEquals("", r.stdout() + r.stderr(), "a quiet start, as wireguard-go's without LOG_LEVEL");
            assertTrue(ns.execOk("ip", "link", "show", "dev", name).stdout().contains("mtu 1420"));

            long pid = JwgLauncher.daemonPid(name).orElseThrow();
            assertEquals(pid, JwgLauncher.sessionId(pid), "the daemon leads its own session (setsid)");
            for (int fd = 0; fd <= 2; fd++) {
                assertEquals("/dev/null", JwgLauncher.fdTarget(pid, fd), "fd " + fd + " of the daemon");
            }
            ns.execOk("ip", "link", "del", "dev", name); // what wg-quick down does
            assertGone(ns, name, pid);
        }
    }

    @Test
    void removingTheSocketStopsTheDaemonAndRemovesTheInterface() throws IOException {
        try (Netns ns = Netns.create("jwgl")) {
            String name = UniqueNames.next("jwg");
            long pid = JwgLauncher.startDaemon(ns, name);
            Files.delete(socket(name));
            assertGone(ns, name, pid);
        }
    }

    @Test
    void sigtermStopsABackgroundDaemonCleanly() {
        try (Netns ns = Netns.create("jwgl")) {
            String name = UniqueNames.next("jwg");
            long pid = JwgLauncher.startDaemon(ns, name);
            JwgLauncher.signal(pid, "TERM");
            assertGone(ns, name, pid);
        }
    }

    @Test
    void sigintStopsABackgroundDaemonCleanly() throws IOException {
        assumeTrue(!sigintIgnoredHere(), "skipped: this JVM was started with SIGINT ignored, and so is every child");
        try (Netns ns = Netns.create("jwgl")) {
            String name = UniqueNames.next("jwg");
            long pid = JwgLauncher.startDaemon(ns, name);
            JwgLauncher.signal(pid, "INT");
            assertGone(ns, name, pid);
        }
    }

    @Test
    void aDaemonKilledOutrightCanBeStartedAgainOverItsStaleSocket() {
        try (Netns ns = Netns.create("jwgl")) {
            String name = UniqueNames.next("jwg");
            long pid = JwgLauncher.startDaemon(ns, name);
            JwgLauncher.signal(pid, "KILL");
            assertTrue(JwgLauncher.awaitExit(pid, JwgLauncher.EXIT_TIMEOUT));
            assertTrue(Files.exists(socket(name)), "SIGKILL leaves the socket file");
            assertTrue(JwgLauncher.awaitTrue(() -> !linkExists(ns, name), JwgLauncher.EXIT_TIMEOUT),
                    "the kernel deletes the TUN with its last descriptor");
            long again = JwgLauncher.startDaemon(ns, name);
            assertTrue(ns.execOk("wg", "show", name, "listen-port").stdout().strip().matches("[1-9][0-9]*"));
            JwgLauncher.signal(again, "TERM");
            assertGone(ns, name, again);
        }
    }

    @Test
    void foregroundModeStaysAttachedLogsToStderrAndExitsZeroOnSigterm() throws Exception {
        try (Netns ns = Netns.create("jwgl")) {
            String name = UniqueNames.next("jwg");
            Path log = Files.createTempFile("jwg-fg-", ".log");
            try {
                Process p = ns.start(log, JwgLauncher.command(List.of("LOG_LEVEL=debug"), "-f", name).toArray(String[]::new));
                assertTrue(JwgLauncher.awaitTrue(() -> Files.exists(socket(name)) || !p.isAlive(), JwgLauncher.LAUNCH_TIMEOUT));
                assertTrue(p.isAlive(), "-f returned:\n" + Files.readString(log));
                assertTrue(linkExists(ns, name));
                // The socket exists a moment before the start-up line is written.
                JwgLauncher.awaitTrue(() -> readQuietly(log).contains("Device started"), JwgLauncher.LAUNCH_TIMEOUT);
                String started = Files.readString(log);
                assertTrue(started.contains("DEBUG: (" + name + ") "), "LOG_LEVEL=debug shows debug lines:\n" + started);
                assertTrue(started.matches("(?s).*INFO: \\(" + name + "\\) \\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d Device started.*"),
                        started);
                p.destroy(); // SIGTERM
                assertTrue(p.waitFor(JwgLauncher.EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
                assertEquals(0, p.exitValue(), Files.readString(log));
                assertFalse(Files.exists(socket(name)));
                assertFalse(linkExists(ns, name));
                assertTrue(Files.readString(log).contains("shutting down"));
                assertFalse(Files.readString(log).contains("\tat "), "no stack trace:\n" + Files.readString(log));
            } finally {
                Files.deleteIfExists(log);
            }
        }
    }

    @Test
    void logLevelHandsTheLaunchersOutputToTheDaemon() {
        try (Netns ns = Netns.create("jwgl")) {
            String name = UniqueNames.next("jwg");
            CommandResult r = JwgLauncher.run(ns, List.of("LOG_LEVEL=verbose"), name);
            assertTrue(r.ok(), r.describe());
            assertTrue(r.stderr().contains("INFO: (" + name + ") "), r.describe());
            assertFalse(r.stderr().contains("DEBUG:"), "verbose is less than debug:\n" + r.describe());
            long pid = JwgLauncher.daemonPid(name).orElseThrow();
            assertFalse(JwgLauncher.fdTarget(pid, 2).equals("/dev/null"));
        }
    }

    @Test
    void aPipeOnTheLaunchersOutputIsNotHeldOpen() {
        // wg-quick up | cat hangs with a daemon that keeps wg-quick's stdout (uapi-behaviour notes, pitfall 2).
        try (Netns ns = Netns.create("jwgl")) {
            String name = UniqueNames.next("jwg");
            CommandResult r = ns.exec(JwgLauncher.LAUNCH_TIMEOUT, "sh", "-c",
                    "env -u LOG_LEVEL " + JwgLauncher.JWG + " " + name + " | cat; echo \"piped:$?\"");
            assertFalse(r.timedOut(), "the pipe was held open:\n" + r.describe());
            assertTrue(r.stdout().contains("piped:0"), r.describe());
            assertTrue(Files.exists(socket(name)));
        }
    }

    private static boolean sigintIgnoredHere() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseLong(line.substring(7).strip(), 16) & (1L << 1)) != 0; // bit SIGINT-1
            }
        }
        return false;
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
