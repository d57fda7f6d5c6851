// SPDX-License-Identifier: MIT
package io.jwg.cli;

import static io.jwg.cli.JwgLauncher.linkExists;
import static io.jwg.cli.JwgLauncher.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jwg.core.testing.CommandResult;
import io.jwg.core.testing.NamespaceThread;
import io.jwg.core.testing.Netns;
import io.jwg.core.testing.Requirements;
import io.jwg.core.testing.UniqueNames;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every way the daemon can fail to start ends the launcher with status 1 and exactly one line,
 * {@code jwg: reason}, never a stack trace, and leaves nothing behind: no process, no socket, no
 * interface, and whatever was there before (another daemon, another interface) untouched.
 */
@Tag(Requirements.TAG)
class DaemonStartupErrorsIT {

    @BeforeAll
    static void requirements() {
        Requirements.assumeNetns();
        JwgLauncher.assumeBuilt();
    }

    @Test
    void aNameLongerThanFifteenBytesIsRefused() {
        try (Netns ns = Netns.create("jwge")) {
            String name = UniqueNames.next("jwg") + "-far-too-long"; // always over 15 bytes, whatever the unique part
            assertFailsCleanly(ns, name, JwgLauncher.run(ns, List.of(), name), "is too long");
        }
    }

    @Test
    void aNameThatIsNoInterfaceNameIsRefusedBeforeItTouchesTheFileSystem() {
        try (Netns ns = Netns.create("jwge")) {
            CommandResult r = JwgLauncher.run(ns, List.of(), "../jwgx");
            assertOneLineError(r, "Linux forbids '/'");
            assertFalse(Files.exists(Path.of("/var/run/jwgx.sock")));
        }
    }

    @Test
    void aNameTakenByAnotherKindOfInterfaceIsRefusedAndThatInterfaceStays() {
        try (Netns ns = Netns.create("jwge")) {
            String name = UniqueNames.next("jwg");
            ns.execOk("ip", "link", "add", name, "type", "veth", "peer", "name", UniqueNames.next("jwg"));
            assertFailsCleanly(ns, name, JwgLauncher.run(ns, List.of(), name), "exists and is not a TUN device");
            assertTrue(ns.execOk("ip", "-d", "link", "show", "dev", name).stdout().contains("veth"));
        }
    }

    @Test
    void aSecondDaemonOnTheSameNameIsRefusedInTheSameNamespaceAndInAnother() {
        try (Netns ns = Netns.create("jwge"); Netns other = Netns.create("jwge")) {
            String name = UniqueNames.next("jwg");
            long first = JwgLauncher.startDaemon(ns, name);
            CommandResult again = JwgLauncher.run(ns, List.of(), name);
            assertOneLineError(again, "already served by another process");
            // /var/run/wireguard is shared by every namespace: the name is taken there too.
            CommandResult elsewhere = JwgLauncher.run(other, List.of(), name);
            assertOneLineError(elsewhere, "already served by another process");
            assertFalse(linkExists(other, name), "the refused daemon left its interface behind");
            assertFalse(JwgLauncher.exited(first), "the first daemon was hurt");
            assertEquals(first, JwgLauncher.daemonPid(name).orElseThrow(), "a second daemon is running");
            assertTrue(Files.exists(socket(name)) && linkExists(ns, name));
        }
    }

    @Test
    void withoutCapNetAdminTheReasonIsSaid() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "skipped: setpriv (util-linux) is not installed");
        assumeTrue(readableByOthers(JwgLauncher.REPO.resolve("cli/target/jwg-cli.jar")),
                "skipped: the build is not readable by an unprivileged user");
        try (Netns ns = Netns.create("jwge")) {
            String name = UniqueNames.next("jwg");
            List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    "--inh-caps=-all", "--bounding-set=-all"));
            argv.addAll(JwgLauncher.command(List.of("HOME=/tmp"), name));
            CommandResult r = ns.exec(JwgLauncher.LAUNCH_TIMEOUT, argv.toArray(String[]::new));
            assertFailsCleanly(ns, name, r, "CAP_NET_ADMIN");
        }
    }

    @Test
    void withoutDevNetTunTheReasonIsSaid() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "skipped: unshare (util-linux) is not installed");
        try (Netns ns = Netns.create("jwge")) {
            String name = UniqueNames.next("jwg");
            // A private mount namespace whose /dev/net is empty.
            CommandResult r = ns.exec(JwgLauncher.LAUNCH_TIMEOUT, "unshare", "--mount", "--propagation", "private",
                    "sh", "-c", "mount -t tmpfs none /dev/net && exec \"$@\"", "sh",
                    "env", "-u", "LOG_LEVEL", JwgLauncher.JWG.toString(), name);
            assertFailsCleanly(ns, name, r, "cannot open /dev/net/tun");
        }
    }

    @Test
    void anUnwritableSocketDirectoryIsReportedAndTheInterfaceRemoved() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "skipped: unshare (util-linux) is not installed");
        Files.createDirectories(JwgLauncher.SOCKET_DIR);
        try (Netns ns = Netns.create("jwge")) {
            String name = UniqueNames.next("jwg");
            // A private mount namespace with a read-only, empty /var/run/wireguard.
            CommandResult r = ns.exec(JwgLauncher.LAUNCH_TIMEOUT, "unshare", "--mount", "--propagation", "private",
                    "sh", "-c", "mount -t tmpfs -o ro none " + JwgLauncher.SOCKET_DIR + " && exec \"$@\"", "sh",
                    "env", "-u", "LOG_LEVEL", JwgLauncher.JWG.toString(), name);
            assertFailsCleanly(ns, name, r, "cannot create the UAPI socket " + socket(name));
        }
    }

    @Test
    void aBadJwgMetricsValueIsRefusedBeforeAnythingIsCreated() {
        try (Netns ns = Netns.create("jwge")) {
            String name = UniqueNames.next("jwg");
            CommandResult r = JwgLauncher.run(ns, List.of("JWG_METRICS=metrics.example:9586"), name);
            assertFailsCleanly(ns, name, r, "invalid JWG_METRICS 'metrics.example:9586': 'metrics.example' is not an IP address");
            CommandResult noPort = JwgLauncher.run(ns, List.of("JWG_METRICS=10.13.0.1"), name);
            assertFailsCleanly(ns, name, noPort, "invalid JWG_METRICS '10.13.0.1': no port");
        }
    }

    @Test
    void aMetricsPortInUseIsReportedAndTheInterfaceRemoved() throws Exception {
        try (Netns ns = Netns.create("jwge"); NamespaceThread in = new NamespaceThread(ns)) {
            String name = UniqueNames.next("jwg");
            try (ServerSocket taken = in.call(() -> new ServerSocket(9586, 1, InetAddress.getByName("0.0.0.0")))) {
                CommandResult r = JwgLauncher.run(ns, List.of("JWG_METRICS=10.13.0.1:9586"), name);
                assertFailsCleanly(ns, name, r, "cannot serve metrics on 10.13.0.1:9586 (JWG_METRICS): Address already in use");
            }
        }
    }

    private static void assertFailsCleanly(Netns ns, String name, CommandResult r, String reason) {
        assertOneLineError(r, reason);
        assertFalse(Files.exists(socket(name)), socket(name) + " left behind");
        assertTrue(JwgLauncher.daemonPid(name).isEmpty(), "a daemon process is left behind");
        if (reason.contains("not a TUN")) {
            return; // the interface is someone else's
        }
        assertFalse(linkExists(ns, name), "interface left behind");
    }

    private static void assertOneLineError(CommandResult r, String reason) {
        assertEquals(1, r.exitCode(), r.describe());
        String err = r.stderr();
        assertTrue(err.startsWith("jwg: ") && err.endsWith("\n") && err.indexOf('\n') == err.length() - 1,
                "one line expected:\n" + r.describe());
        assertTrue(err.contains(reason), "expected '" + reason + "':\n" + r.describe());
        assertEquals("", r.stdout());
    }

    private static boolean readableByOthers(Path p) throws IOException {
        for (Path q = p.toAbsolutePath(); q != null; q = q.getParent()) {
            var perms = Files.getPosixFilePermissions(q);
            if (!perms.contains(Files.isDirectory(q) ? PosixFilePermission.OTHERS_EXECUTE : PosixFilePermission.OTHERS_READ)) {
                return false;
            }
        }
        return true;
    }
}
