// SPDX-License-Identifier: MIT
package io.jwg.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag(Requirements.TAG)
class NetnsTest {

    @TempDir
    Path tmp;

    @BeforeEach
    void requireNamespaces() {
        Requirements.assumeNetns();
    }

    @Test
    void newNamespaceIsListedAndHasOnlyLoopbackUp() {
        try (Netns ns = Netns.create()) {
            assertTrue(ns.name().length() <= UniqueNames.IFNAMSIZ_MAX, ns.name());
            assertTrue(namespaceList().contains(ns.name()));
            List<String> links = ns.execOk("ip", "-o", "link", "show").stdout().lines().toList();
            assertEquals(1, links.size(), links.toString());
            assertTrue(links.get(0).contains(" lo: <LOOPBACK,UP,LOWER_UP>"), links.get(0));
        }
    }

    @Test
    void failedCommandReportsExitCodeAndBothOutputs() {
        try (Netns ns = Netns.create()) {
            CommandFailedError e = assertThrows(CommandFailedError.class,
                    () -> ns.execOk("sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 3"));
            assertEquals(3, e.result().exitCode());
            assertTrue(e.getMessage().contains("exit 3"), e.getMessage());
            assertTrue(e.getMessage().contains("to-stdout"), e.getMessage());
            assertTrue(e.getMessage().contains("to-stderr"), e.getMessage());
            assertTrue(e.getMessage().contains("ip netns exec " + ns.name() + " sh -c"), e.getMessage());
        }
    }

    @Test
    void commandPastItsTimeoutIsKilled() {
        try (Netns ns = Netns.create()) {
            CommandResult r = ns.exec(Duration.ofMillis(200), "sleep", "30");
            assertTrue(r.timedOut());
            assertFalse(r.ok());
            assertEquals(List.of(), ns.pids(), "the timed-out command must not live on");
        }
    }

    @Test
    void commandLeavingBackgroundChildReturnsAtOnce() {
        try (Netns ns = Netns.create()) {
            // Output goes to files, so a child inheriting stdout cannot hold the caller up.
            CommandResult r = ns.execOk(Duration.ofSeconds(5), "sh", "-c", "sleep 60 & echo started");
            assertEquals("started", r.stdout().strip());
            assertEquals(1, ns.pids().size());
        }
    }

    @Test
    void closeKillsEveryProcessAndDeletesNamespaceEvenWhenTestBodyThrows() throws Exception {
        String[] name = new String[1];
        Process[] started = new Process[1];
        List<Long> pids;
        try (Netns ns = Netns.create()) {
            name[0] = ns.name();
            started[0] = ns.start(tmp.resolve("sleep.log"), "sleep", "60");
            ns.execOk("sh", "-c", "sleep 61 >/dev/null 2>&1 &");
            pids = ns.pids();
            assertEquals(2, pids.size(), pids.toString());
            throw new IllegalStateException("test body failed");
        } catch (IllegalStateException expected) {
            assertEquals("test body failed", expected.getMessage());
        }
        assertTrue(Processes.exited(started[0].toHandle()));
        assertFalse(namespaceList().contains(name[0]));
        assertFalse(Files.exists(Netns.NETNS_DIR.resolve(name[0])));
    }

    @Test
    void closeIsIdempotentAndClosesOwnedResourcesFirst() {
        boolean[] existedWhenOwnedClosed = new boolean[1];
        Netns ns = Netns.create();
        ns.own(() -> existedWhenOwnedClosed[0] = ns.exists());
        ns.close();
        ns.close();
        assertTrue(existedWhenOwnedClosed[0]);
        assertFalse(ns.exists());
    }

    private static String namespaceList() {
        return Commands.runOk("ip", "netns", "list").stdout();
    }
}
