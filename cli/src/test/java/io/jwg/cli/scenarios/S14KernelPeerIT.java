// SPDX-License-Identifier: MIT
package io.jwg.cli.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.testing.CommandResult;
import io.jwg.core.testing.Commands;
import io.jwg.core.testing.Requirements;
import io.jwg.core.testing.UniqueNames;
import io.jwg.core.testing.WgKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 14: jwg against the Linux kernel's WireGuard module, from examples/14-kernel-peer. The
 * kernel runs in a QEMU guest ({@link KernelPeerVm}); jwg runs in the namespace on the other end
 * of the guest's link, brought up with wg-quick. Four rounds, each from fresh peer state on both
 * ends ({@code wg setconf}): jwg initiates, then the kernel does, each with and without a
 * preshared key. The side that must not initiate has no endpoint for the other, so the handshake
 * can only come from the intended side, and the responder's learning the initiator's endpoint
 * shows it arrived. Each round pings both ways and moves TCP both ways with iperf3.
 */
@Tag(Requirements.TAG)
@ExtendWith(ScenarioReport.class)
class S14KernelPeerIT {
    private static final Path REPO = Path.of(System.getProperty("jwg.repo", System.getProperty("user.dir") + "/.."));
    private static final Duration CMD = Duration.ofSeconds(60);
    /** A first handshake needs the guest's crypto, emulated: generous. */
    private static final Duration HANDSHAKE = Duration.ofSeconds(45);
    private static final Pattern RECEIVED = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*?\"bytes\"\\s*:\\s*(\\d+)");
    private static final long MIN_TCP_BYTES = 64 * 1024;

    private record Round(boolean jwgInitiates, boolean psk) {
        @Override
        public String toString() {
            return (jwgInitiates ? "jwg initiates" : "kernel initiates") + (psk ? ", with PSK" : ", no PSK");
        }
    }

    @Test
    @DisplayName("14 kernel module peer: both roles, with/without PSK, ping + TCP")
    void jwgAndTheKernelModuleHandshakeInBothRolesWithAndWithoutAPresharedKey() throws Exception {
        Requirements.assumeNetns();
        Requirements.assumeWg();
        Requirements.assumeIperf3();
        Path tool = KernelPeerVm.assumeAvailable();
        WgKeys jwg = WgKeys.generate();
        WgKeys kernel = WgKeys.generate();
        String psk = WgKeys.generatePresharedKey();
        Map<String, String> values = Map.of("jwg.private", jwg.privateKey(), "jwg.public", jwg.publicKey(),
                "kernel.private", kernel.privateKey(), "kernel.public", kernel.publicKey(), "psk", psk);
        String ifname = UniqueNames.next("kp");
        Path dir = Files.createTempDirectory("jwg-s14-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path conf = dir.resolve(ifname + ".conf");

        try (KernelPeerVm vm = KernelPeerVm.boot(tool, kernel.privateKey(), jwg.publicKey(), "10.9.0.1/32")) {
            boolean up = false;
            try {
                for (Round round : List.of(new Round(true, true), new Round(true, false),
                        new Round(false, true), new Round(false, false))) {
                    // The guest first: fresh peer state, the round's PSK, an endpoint only if it initiates.
                    String kernelConf = variant(Examples.render("14-kernel-peer/kernel.conf", values),
                            round.psk, !round.jwgInitiates);
                    CommandResult set = vm.guest("cat > /run/wg0.conf <<'KPVEOF'\n" + strip(dir, kernelConf)
                            + "KPVEOF\nwg setconf wg0 /run/wg0.conf");
                    assertEquals(0, set.exitCode(), "guest wg setconf\n" + set.describe());
                    String jwgConf = variant(Examples.render("14-kernel-peer/jwg.conf", values),
                            round.psk, round.jwgInitiates);
                    if (!up) {
                        Files.writeString(conf, jwgConf);
                        ok(vm.host(CMD, "env", "WG_QUICK_USERSPACE_IMPLEMENTATION=" + REPO.resolve("jwg"),
                                "wg-quick", "up", conf.toString()), "wg-quick up");
                        up = true;
                    } else {
                        Path stripped = dir.resolve("stripped.conf");
                        Files.writeString(stripped, strip(dir, jwgConf));
                        ok(vm.host(CMD, "wg", "setconf", ifname, stripped.toString()), "wg setconf");
                    }
                    assertEquals(0, jwgHandshake(vm, ifname, kernel.publicKey()), round + ": jwg starts fresh");
                    assertEquals(0, kernelHandshake(vm, jwg.publicKey()), round + ": the kernel starts fresh");

                    long start = System.nanoTime();
                    boolean through = round.jwgInitiates
                            ? poll(() -> vm.host(CMD, "ping", "-n", "-c", "1", "-W", "2", "10.9.0.2").ok())
                            : poll(() -> vm.guest("ping -c 1 -W 2 10.9.0.1").exitCode() == 0);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    assertTrue(through, round + ": no ping through the tunnel within " + HANDSHAKE.toSeconds() + " s\n"
                            + vm.host(CMD, "wg", "show", ifname).stdout() + vm.guest("wg show wg0").stdout());
                    System.out.printf(Locale.ROOT, "S14 %s: first ping answered after %.1f s%n", round, seconds);

                    assertTrue(jwgHandshake(vm, ifname, kernel.publicKey()) > 0, round + ": jwg has a handshake");
                    assertTrue(kernelHandshake(vm, jwg.publicKey()) > 0, round + ": the kernel has a handshake");
                    // The responder had no endpoint: it learned the initiator's from the handshake.
                    if (round.jwgInitiates) {
                        assertTrue(vm.guest("wg show wg0 endpoints").stdout().contains(jwg.publicKey() + "\t192.0.2.1:51821"),
                                round + ": the kernel learned jwg's endpoint");
                    } else {
                        assertTrue(vm.host(CMD, "wg", "show", ifname, "endpoints").stdout()
                                .contains(kernel.publicKey() + "\t192.0.2.2:51820"), round + ": jwg learned the kernel's endpoint");
                    }
                    String expectedPsk = round.psk ? psk : "(none)";
                    assertTrue(vm.host(CMD, "wg", "show", ifname, "preshared-keys").stdout()
                            .contains(kernel.publicKey() + "\t" + expectedPsk), round + ": jwg's PSK");
                    assertTrue(vm.guest("wg show wg0 preshared-keys").stdout().contains(jwg.publicKey() + "\t" + expectedPsk),
                            round + ": the kernel's PSK");

                    ok(vm.host(CMD, "ping", "-n", "-c", "3", "-i", "0.2", "-W", "3", "10.9.0.2"), round + ": jwg pings the kernel");
                    CommandResult back = vm.guest("ping -c 3 -W 3 10.9.0.1");
                    assertEquals(0, back.exitCode(), round + ": the kernel pings jwg\n" + back.describe());
                    long sent = tcp(vm, false);
                    long received = tcp(vm, true);
                    System.out.printf(Locale.ROOT, "S14 %s: TCP jwg->kernel %d bytes, kernel->jwg %d bytes in 2 s each%n",
                            round, sent, received);
                    assertTrue(sent >= MIN_TCP_BYTES && received >= MIN_TCP_BYTES,
                            round + ": TCP both ways: " + sent + " and " + received + " bytes");
                }
            } finally {
                if (up) {
                    vm.host(CMD, "wg-quick", "down", conf.toString());
                }
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(dir);
            }
        }
    }

    /** The example with the PresharedKey line only if {@code psk}, the Endpoint line only if {@code endpoint}. */
    private static String variant(String config, boolean psk, boolean endpoint) {
        StringBuilder out = new StringBuilder();
        for (String line : config.split("\n", -1)) {
            if ((!psk && line.startsWith("PresharedKey")) || (!endpoint && line.startsWith("Endpoint"))) {
                continue;
            }
            out.append(line).append('\n');
        }
        return out.toString().stripTrailing() + "\n";
    }

    /** {@code wg-quick strip}: the wg-quick file as {@code wg setconf} takes it. */
    private static String strip(Path dir, String config) throws Exception {
        Path named = dir.resolve("strip.conf"); // wg-quick wants a file named like an interface
        Files.writeString(named, config);
        try {
            return Commands.run(CMD, null, List.of("wg-quick", "strip", named.toString())).orThrow().stdout();
        } finally {
            Files.deleteIfExists(named);
        }
    }

    private static long jwgHandshake(KernelPeerVm vm, String ifname, String peer) {
        return handshake(ok(vm.host(CMD, "wg", "show", ifname, "latest-handshakes"), "wg show").stdout(), peer);
    }

    private static long kernelHandshake(KernelPeerVm vm, String peer) {
        CommandResult r = vm.guest("wg show wg0 latest-handshakes");
        assertEquals(0, r.exitCode(), r.describe());
        return handshake(r.stdout(), peer);
    }

    private static long handshake(String latestHandshakes, String peer) {
        for (String line : latestHandshakes.split("\n")) {
            String[] f = line.strip().split("\t");
            if (f.length == 2 && f[0].equals(peer)) {
                return Long.parseLong(f[1]);
            }
        }
        throw new AssertionError("no latest-handshakes line for " + peer + " in:\n" + latestHandshakes);
    }

    /** Bytes the receiving end got in a 2 s iperf3 TCP run from jwg's side: to the kernel, or back with -R. */
    private static long tcp(KernelPeerVm vm, boolean reverse) {
        CommandResult r = reverse
                ? vm.host(CMD, "iperf3", "-c", "10.9.0.2", "-t", "2", "-J", "-R")
                : vm.host(CMD, "iperf3", "-c", "10.9.0.2", "-t", "2", "-J");
        ok(r, "iperf3" + (reverse ? " -R" : ""));
        Matcher m = RECEIVED.matcher(r.stdout());
        assertTrue(m.find(), "no sum_received in iperf3's output\n" + r.describe());
        return Long.parseLong(m.group(1));
    }

    private static boolean poll(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + HANDSHAKE.toNanos();
        while (System.nanoTime() < deadline) {
            if (done.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static CommandResult ok(CommandResult r, String what) {
        assertTrue(r.ok(), what + " failed\n" + r.describe());
        return r;
    }
}
