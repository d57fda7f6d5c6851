// SPDX-License-Identifier: MIT
package io.jwg.cli.scenarios;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jwg.core.testing.CommandResult;
import io.jwg.core.testing.Commands;
import io.jwg.core.testing.UniqueNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A peer running the Linux kernel's WireGuard module: a QEMU guest started by the shared
 * {@code kernel-peer-vm} tool (found at {@code KERNEL_PEER_VM}, else {@code ../shared/tools/}
 * next to the repository). The tool creates a network namespace of its own, whose tap device
 * (192.0.2.1/24) reaches the guest's eth0 (192.0.2.2/24); the guest's wg0 (10.9.0.2/24) listens
 * on port 51820. {@link #close} stops the guest and deletes the namespace, also at JVM exit if a
 * test forgot to.
 */
public final class KernelPeerVm implements AutoCloseable {
    /** Software emulation boots in seconds, but a loaded machine can take minutes. */
    private static final Duration BOOT = Duration.ofSeconds(400);
    private static final Duration EXEC = Duration.ofSeconds(60);
    private static final Path REPO = Path.of(System.getProperty("jwg.repo", System.getProperty("user.dir") + "/.."));

    private final Path tool;
    private final String netns;
    private final Thread cleanupHook;
    private boolean stopped;

    private KernelPeerVm(Path tool, String netns) {
        this.tool = tool;
        this.netns = netns;
        this.cleanupHook = new Thread(this::stop, "kernel-peer-vm-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupHook);
    }

    /** The tool, or a skipped test saying what is missing (CI installs both: scripts/install-deps). */
    public static Path assumeAvailable() {
        String env = System.getenv("KERNEL_PEER_VM");
        Path tool = env != null && !env.isEmpty() ? Path.of(env)
                : REPO.toAbsolutePath().normalize().resolveSibling("shared").resolve("tools/kernel-peer-vm");
        assumeTrue(Files.isExecutable(tool), "skipped: kernel-peer-vm not found at " + tool
                + " (set KERNEL_PEER_VM to its path)");
        assumeTrue(Commands.run("sh", "-c", "command -v qemu-system-x86_64").ok(),
                "skipped: qemu-system-x86_64 is not installed (scripts/install-deps runs " + tool
                        + " --build, which installs it)");
        return tool;
    }

    /**
     * Boots a guest whose wg0 has private key {@code privateKey} and one peer, {@code peerPublicKey}
     * with {@code allowedIps}, no endpoint (so that it only answers until told otherwise).
     */
    public static KernelPeerVm boot(Path tool, String privateKey, String peerPublicKey, String allowedIps) {
        String name = UniqueNames.next("kpv");
        if (name.length() > 12) { // the tool's limit for namespace names
            name = "kpv" + name.substring(name.length() - 9);
        }
        Path keyFile;
        try {
            keyFile = Files.createTempFile("jwg-kpv-", ".key",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(keyFile, privateKey + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KernelPeerVm vm = new KernelPeerVm(tool, name);
        try {
            CommandResult r = Commands.run(BOOT, null, List.of(tool.toString(), "--netns", name,
                    "--private-key-file", keyFile.toString(), "--peer-public-key", peerPublicKey,
                    "--allowed-ips", allowedIps));
            if (!r.ok()) {
                throw new AssertionError("kernel-peer-vm did not start\n" + r.describe());
            }
            return vm;
        } catch (RuntimeException | AssertionError e) {
            vm.close();
            throw e;
        } finally {
            try {
                Files.deleteIfExists(keyFile);
            } catch (IOException ignored) {
                // a temp file
            }
        }
    }

    /** The namespace the tool created, where the host side of the guest's link is. */
    public String netns() {
        return netns;
    }

    /** Runs a shell command line in the guest; its output (stdout and stderr) and status. */
    public CommandResult guest(String commandLine) {
        // The tool's control shell gives no exit status: append one.
        CommandResult r = Commands.run(EXEC, null, List.of(tool.toString(), "--netns", netns, "--exec",
                commandLine + "\necho \"KPV-STATUS $?\""));
        String out = r.stdout();
        int at = out.lastIndexOf("KPV-STATUS ");
        int status = at < 0 ? -1 : Integer.parseInt(out.substring(at + 11).strip());
        return new CommandResult(r.command(), r.ok() ? status : r.exitCode(), at < 0 ? out : out.substring(0, at),
                r.stderr(), r.timedOut());
    }

    /** Runs a command in the tool's namespace (the host side). */
    public CommandResult host(Duration timeout, String... argv) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        cmd.addAll(List.of(argv));
        return Commands.run(timeout, null, cmd);
    }

    private synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        CommandResult r = Commands.run(Duration.ofSeconds(60), null, List.of(tool.toString(), "--stop", "--netns", netns));
        if (!r.ok()) {
            System.err.println("kernel-peer-vm --stop --netns " + netns + " failed\n" + r.describe());
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupHook);
        } catch (IllegalStateException ignored) {
            // the JVM is exiting: the hook runs (and finds the guest stopped)
        }
    }

    @Override
    public String toString() {
        return "kernel-peer-vm(" + netns + ")";
    }
}
