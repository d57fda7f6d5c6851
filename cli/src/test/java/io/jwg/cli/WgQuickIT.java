// SPDX-License-Identifier: MIT
package io.jwg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jwg.core.testing.CommandResult;
import io.jwg.core.testing.Netns;
import io.jwg.core.testing.Ping;
import io.jwg.core.testing.Requirements;
import io.jwg.core.testing.UniqueNames;
import io.jwg.core.testing.Veth;
import io.jwg.core.testing.WgDump;
import io.jwg.core.testing.WgKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What users do: {@code WG_QUICK_USERSPACE_IMPLEMENTATION=./jwg wg-quick up CONF} from a plain
 * configuration file (Address, ListenPort, MTU, PrivateKey; a peer with Endpoint, AllowedIPs,
 * PersistentKeepalive and PresharedKey), traffic both ways, and {@code wg-quick down CONF}, which
 * only deletes the interface and relies on the daemon to notice. Against wireguard-go and against
 * jwg itself, with wireguard-go against itself measured in the same run for comparison; the
 * iperf3 results are printed as a table at the end.
 */
@Tag(Requirements.TAG)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WgQuickIT {
    private static final Duration WG_QUICK_TIMEOUT = Duration.ofSeconds(60);
    private static final int IPERF_SECONDS = 10;
    /** Even a first handshake lost on the way is retried within this (REKEY_TIMEOUT + jitter). */
    private static final Duration FIRST_PING = Duration.ofSeconds(12);
    private static final List<String> TABLE = new ArrayList<>();

    /** How a side of the tunnel is run. */
    enum Impl {
        JWG("jwg"), WIREGUARD_GO("wireguard-go");

        final String label;

        Impl(String label) {
            this.label = label;
        }
    }

    @BeforeAll
    static void requirements() {
        Requirements.assumeWireguardGo();
        Requirements.assumeIperf3();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/wg-quick")), "skipped: wg-quick is not installed; "
                + Requirements.INSTALL_HINT);
        JwgLauncher.assumeBuilt();
    }

    /** Prints the throughput table, and keeps it in target/iperf3-throughput.txt. */
    @AfterAll
    static void printTable() throws IOException {
        if (!TABLE.isEmpty()) {
            String table = String.format(Locale.ROOT, "%-28s %12s %12s %8s%n", "iperf3 TCP " + IPERF_SECONDS + " s (A -> B)",
                    "A->B Gbit/s", "B->A Gbit/s", "retrans") + String.join("\n", TABLE) + "\n";
            System.out.print("\n" + table);
            Path target = Path.of("target");
            if (Files.isDirectory(target)) {
                Files.writeString(target.resolve("iperf3-throughput.txt"), table);
            }
        }
    }

    @Test
    @Order(1)
    void jwgAndWireguardGo() throws Exception {
        tunnel(Impl.JWG, Impl.WIREGUARD_GO);
    }

    @Test
    @Order(2)
    void jwgAndJwg() throws Exception {
        tunnel(Impl.JWG, Impl.JWG);
    }

    @Test
    @Order(3)
    void wireguardGoAndWireguardGoForComparison() throws Exception {
        tunnel(Impl.WIREGUARD_GO, Impl.WIREGUARD_GO);
    }

    private void tunnel(Impl implA, Impl implB) throws Exception {
        try (Netns a = Netns.create("jwgq"); Netns b = Netns.create("jwgq"); SecretDir dir = new SecretDir()) {
            Veth.connect(a, b).ipv4("192.0.2.1/24", "192.0.2.2/24");
            WgKeys keysA = WgKeys.generate();
            WgKeys keysB = WgKeys.generate();
            String psk = WgKeys.generatePresharedKey();
            String ifA = UniqueNames.next("jwq");
            String ifB = UniqueNames.next("jwq");
            Path confA = dir.write(ifA + ".conf", config("10.77.0.1", 51820, keysA.privateKey(), keysB.publicKey(), psk,
                    "192.0.2.2:51821", "10.77.0.2/32", 25));
            Path confB = dir.write(ifB + ".conf", config("10.77.0.2", 51821, keysB.privateKey(), keysA.publicKey(), psk,
                    "192.0.2.1:51820", "10.77.0.1/32", 0));
            Path wireguardGo = dir.script("wireguard-go-wrapper", wireguardGoWrapper(dir.path()));

            // B first: A's persistent keepalive starts a handshake the moment A is up, and one
            // sent into the void is only retried after REKEY_TIMEOUT (5 s).
            wgQuickUp(b, implB, confB, wireguardGo);
            wgQuickUp(a, implA, confA, wireguardGo);
            assertTrue(a.execOk("ip", "link", "show", "dev", ifA).stdout().contains("mtu 1420"));
            assertTrue(a.execOk("ip", "addr", "show", "dev", ifA).stdout().contains("10.77.0.1/24"));

            assertTrue(Ping.reachable(a, "10.77.0.2", FIRST_PING), "no ping A -> B within " + FIRST_PING + "\n"
                    + a.exec("wg", "show", ifA).stdout() + b.exec("wg", "show", ifB).stdout());
            Ping.assertReachable(b, "10.77.0.1");
            WgDump dumpA = WgDump.parse(a.execOk("wg", "show", ifA, "dump").stdout());
            WgDump.Peer peerB = dumpA.peer(keysB.publicKey()).orElseThrow();
            assertEquals(51820, dumpA.listenPort());
            assertEquals(psk, peerB.presharedKey());
            assertEquals(25, peerB.persistentKeepalive());
            assertTrue(peerB.hasHandshake() && peerB.rxBytes() > 0 && peerB.txBytes() > 0, peerB.toString());

            b.start(dir.path().resolve("iperf3-server.log"), "iperf3", "-s", "-B", "10.77.0.2");
            assertTrue(JwgLauncher.awaitTrue(() -> b.exec("ss", "-Hltn", "sport = :5201").stdout().contains("5201"),
                    Duration.ofSeconds(10)), "the iperf3 server did not start");
            Iperf forward = iperf(a, "10.77.0.2", false);
            Iperf reverse = iperf(a, "10.77.0.2", true);
            TABLE.add(String.format(Locale.ROOT, "%-28s %12.2f %12.2f %8d", implA.label + " <-> " + implB.label,
                    forward.bitsPerSecond() / 1e9, reverse.bitsPerSecond() / 1e9,
                    forward.retransmits() + reverse.retransmits()));

            long pidA = implA == Impl.JWG ? JwgLauncher.daemonPid(ifA).orElseThrow() : -1;
            long pidB = implB == Impl.JWG ? JwgLauncher.daemonPid(ifB).orElseThrow() : -1;
            wgQuickDown(a, implA, confA);
            wgQuickDown(b, implB, confB);
            assertDaemonGone(a, ifA, pidA);
            assertDaemonGone(b, ifB, pidB);
        }
    }

    /** wg-quick down only deletes the interface: the daemon must notice, remove its socket and exit. */
    private static void assertDaemonGone(Netns ns, String name, long jwgPid) {
        if (jwgPid > 0) {
            JwgLauncher.assertGone(ns, name, jwgPid);
        } else {
            assertTrue(JwgLauncher.awaitTrue(() -> !Files.exists(JwgLauncher.socket(name)), JwgLauncher.EXIT_TIMEOUT),
                    "wireguard-go left " + JwgLauncher.socket(name));
        }
    }

    /** What an iperf3 run reports: the receiver's bit rate and the sender's TCP retransmissions. */
    record Iperf(double bitsPerSecond, long retransmits) {}

    /** Runs an iperf3 TCP test from {@code client} ({@code -R}: the server sends) and checks it ran clean. */
    private static Iperf iperf(Netns client, String server, boolean reverse) throws InterruptedException {
        List<String> argv = new ArrayList<>(List.of("iperf3", "-c", server, "-t", Integer.toString(IPERF_SECONDS), "-J"));
        if (reverse) {
            argv.add("-R");
        }
        CommandResult r = null;
        // The server takes a moment between two tests, longer on a loaded machine: until it is
        // ready again it refuses, says it is busy, or resets the control connection before any
        // test data flows. Those are retried; an error once the test has started is not.
        for (int attempt = 0; attempt < 40; attempt++) {
            r = client.exec(Duration.ofSeconds(IPERF_SECONDS + 20), argv.toArray(String[]::new));
            if (!serverNotReady(r.stdout())) {
                break;
            }
            Thread.sleep(250);
        }
        assertTrue(r.ok(), r.describe());
        Object report = Json.parse(r.stdout());
        assertFalse(((Map<?, ?>) report).containsKey("error"), r.stdout());
        double bps = (Double) Json.at(report, "end", "sum_received", "bits_per_second");
        assertTrue(bps > 0, r.stdout());
        return new Iperf(bps, ((Double) Json.at(report, "end", "sum_sent", "retransmits")).longValue());
    }

    /** An iperf3 error report from before any test interval ran: the server was not ready yet. */
    private static boolean serverNotReady(String json) {
        if (json.contains("Connection refused")) {
            return true;
        }
        try {
            Object report = Json.parse(json);
            Object intervals = ((Map<?, ?>) report).get("intervals");
            return ((Map<?, ?>) report).containsKey("error") && intervals instanceof List<?> l && l.isEmpty();
        } catch (RuntimeException notJson) {
            return false;
        }
    }

    /** {@code wg-quick up} through a pipe, as in {@code wg-quick up wg0 | tee log}: a daemon holding it would hang it. */
    private static void wgQuickUp(Netns ns, Impl impl, Path conf, Path wireguardGo) {
        String implPath = impl == Impl.JWG ? JwgLauncher.JWG.toString() : wireguardGo.toString();
        CommandResult r = ns.exec(WG_QUICK_TIMEOUT, "bash", "-c",
                "set -o pipefail; env -u LOG_LEVEL WG_QUICK_USERSPACE_IMPLEMENTATION=\"$1\" wg-quick up \"$2\" 2>&1 | cat",
                "bash", implPath, conf.toString());
        assertFalse(r.timedOut(), "wg-quick up did not return:\n" + r.describe());
        assertTrue(r.ok(), "wg-quick up (" + impl.label + ") failed:\n" + r.describe());
    }

    private static void wgQuickDown(Netns ns, Impl impl, Path conf) {
        CommandResult r = ns.exec(WG_QUICK_TIMEOUT, "wg-quick", "down", conf.toString());
        assertTrue(r.ok(), "wg-quick down (" + impl.label + "):\n" + r.describe());
    }

    private static String config(String address, int port, String privateKey, String peerKey, String psk, String endpoint,
            String allowed, int keepalive) {
        return """
                [Interface]
                Address = %s/24
                ListenPort = %d
                MTU = 1420
                PrivateKey = %s

                [Peer]
                PublicKey = %s
                PresharedKey = %s
                Endpoint = %s
                AllowedIPs = %s
                %s
                """.formatted(address, port, privateKey, peerKey, psk, endpoint, allowed,
                keepalive > 0 ? "PersistentKeepalive = " + keepalive : "");
    }

    /** Debian's wireguard-go, started so that it returns once its socket exists (as ./jwg does by itself). */
    private static String wireguardGoWrapper(Path logDir) {
        return """
                #!/bin/sh
                setsid env WG_PROCESS_FOREGROUND=1 wireguard-go -f "$1" </dev/null >"%s/$1.log" 2>&1 &
                i=0
                while [ ! -S "/var/run/wireguard/$1.sock" ]; do
                  i=$((i + 1)); [ "$i" -gt 200 ] && exit 1; sleep 0.05
                done
                """.formatted(logDir);
    }
}
