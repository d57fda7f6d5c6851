// SPDX-License-Identifier: MIT
package io.jwg.core.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * JUnit 5 assumptions for tests that build real networks: each skips the test (rather than
 * failing it) with a message that says what is missing and how to get it.
 *
 * <p>Convention: every test that uses these fixtures is tagged {@code @Tag(Requirements.TAG)}
 * ({@code "netns"}), so a build can exclude them with
 * {@code -Dsurefire.excludedGroups=netns}, and begins with the strongest assumption it needs
 * (usually {@link #assumeWireguardGo()} or {@link #assumeNetns()}).
 *
 * <p>Each probe runs once per JVM; the results are cached. Thread-safe.
 */
public final class Requirements {

    /** The JUnit tag of tests that need root, network namespaces or the WireGuard tools. */
    public static final String TAG = "netns";

    /** How to install everything these tests use on Debian/Ubuntu. */
    public static final String INSTALL_HINT = "install with: apt-get install iproute2 wireguard-go wireguard-tools iperf3";

    private Requirements() {
    }

    /** Skips unless running as root (needed for namespaces, TUN devices and raw ICMP sockets). */
    public static void assumeRoot() {
        assumeTrue(Probes.ROOT, "skipped: needs root (effective uid 0) for network namespaces");
    }

    /**
     * Skips unless this machine can create network namespaces: root, {@code ip} (iproute2), a
     * working {@code ip netns add/del}, and {@code /dev/net/tun} for TUN devices.
     */
    public static void assumeNetns() {
        assumeRoot();
        assumeTrue(Probes.IP, "skipped: 'ip' (iproute2) is not on PATH; " + INSTALL_HINT);
        assumeTrue(Probes.DEV_NET_TUN, "skipped: /dev/net/tun does not exist (modprobe tun, or give the"
                + " container --device /dev/net/tun)");
        assumeTrue(Probes.NETNS == null, "skipped: cannot create a network namespace: " + Probes.NETNS);
    }

    /** Skips unless the {@code wg} tool works. */
    public static void assumeWg() {
        assumeTrue(Probes.WG, "skipped: 'wg' (wireguard-tools) is not on PATH; " + INSTALL_HINT);
    }

    /** Skips unless real wireguard-go peers can run: {@link #assumeNetns()}, {@link #assumeWg()} and wireguard-go. */
    public static void assumeWireguardGo() {
        assumeNetns();
        assumeWg();
        assumeTrue(Probes.WIREGUARD_GO, "skipped: 'wireguard-go' is not on PATH; " + INSTALL_HINT);
    }

    /** Skips unless {@code iperf3} is installed. */
    public static void assumeIperf3() {
        assumeTrue(Probes.IPERF3, "skipped: 'iperf3' is not on PATH; " + INSTALL_HINT);
    }

    /** Results of probing the machine, computed once on first use. */
    private static final class Probes {
        static final boolean ROOT = effectiveUidIsRoot();
        static final boolean IP = onPath("ip");
        static final boolean WG = onPath("wg");
        static final boolean WIREGUARD_GO = onPath("wireguard-go");
        static final boolean IPERF3 = onPath("iperf3");
        static final boolean DEV_NET_TUN = Files.exists(Path.of("/dev/net/tun"));
        /** Null when a namespace could be created and deleted, else why not. */
        static final String NETNS = ROOT && IP ? tryNetns() : "needs root and ip";

        private static boolean effectiveUidIsRoot() {
            try {
                return Files.readAllLines(Path.of("/proc/self/status")).stream()
                        .filter(l -> l.startsWith("Uid:"))
                        .map(l -> l.split("\\s+")[2])
                        .anyMatch("0"::equals);
            } catch (IOException e) {
                return false;
            }
        }

        private static boolean onPath(String tool) {
            String path = System.getenv().getOrDefault("PATH", "");
            return Arrays.stream(path.split(":")).filter(d -> !d.isEmpty())
                    .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
        }

        private static String tryNetns() {
            String name = UniqueNames.next("jwgp");
            CommandResult add = Commands.run("ip", "netns", "add", name);
            if (!add.ok()) {
                return add.describe();
            }
            CommandResult del = Commands.run("ip", "netns", "del", name);
            return del.ok() ? null : del.describe();
        }
    }
}
