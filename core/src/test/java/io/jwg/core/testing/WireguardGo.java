// SPDX-License-Identifier: MIT
package io.jwg.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A real wireguard-go peer (the reference userspace implementation, Debian's package) running in
 * a namespace: the other side that jwg must interoperate with.
 *
 * <p>It is started the way Debian's wireguard-go must be run in the foreground:
 * {@code ip netns exec NS setsid env WG_PROCESS_FOREGROUND=1 LOG_LEVEL=verbose wireguard-go -f NAME},
 * stdin from {@code /dev/null}, output to a log file, and it is ready once its UAPI socket
 * {@code /var/run/wireguard/NAME.sock} exists. That directory is shared by all namespaces, which
 * is why the interface name is {@linkplain UniqueNames unique} machine-wide. It is configured
 * with the real {@code wg} tool (wg(8)) and read back with {@code wg show NAME dump}.
 *
 * <p>{@link #close()} stops the process (SIGTERM, then SIGKILL), removes a socket file left
 * behind (removing it is also what makes a stray wireguard-go exit), deletes the interface if it
 * survived, and deletes the temporary directory with the log and key files. The namespace owns
 * the instance, so closing the namespace closes it too.
 *
 * <p>Thread-safe as far as {@code wg} is: configuration calls may come from any thread.
 */
public final class WireguardGo implements AutoCloseable {

    /** Where wireguard-go puts its UAPI sockets; shared by every namespace on the machine. */
    public static final Path SOCKET_DIR = Path.of("/var/run/wireguard");

    /** How long wireguard-go may take to create its UAPI socket (it normally takes milliseconds). */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(5);

    private static final Duration STOP_GRACE = Duration.ofSeconds(2);
    private static final Duration POLL = Duration.ofMillis(10);

    private final Netns netns;
    private final String name;
    private final Path dir;
    private final Process process;
    private final AtomicBoolean closed = new AtomicBoolean();

    private WireguardGo(Netns netns, String name, Path dir, Process process) {
        this.netns = netns;
        this.name = name;
        this.dir = dir;
        this.process = process;
    }

    /** Starts wireguard-go in {@code netns} on a fresh interface {@code wgg<unique>}, down and unconfigured. */
    public static WireguardGo start(Netns netns) {
        String name = UniqueNames.next("wgg");
        Path dir;
        try {
            dir = Files.createTempDirectory("jwg-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process process = netns.start(dir.resolve("wireguard-go.log"), "setsid", "env",
                "WG_PROCESS_FOREGROUND=1", "LOG_LEVEL=verbose", "wireguard-go", "-f", name);
        WireguardGo wg = netns.own(new WireguardGo(netns, name, dir, process));
        try {
            wg.awaitSocket();
        } catch (RuntimeException | Error e) {
            try {
                wg.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return wg;
    }

    /** The interface name, also the name {@code wg} knows it by. */
    public String name() {
        return name;
    }

    public Netns netns() {
        return netns;
    }

    /** The UAPI socket wireguard-go listens on. */
    public Path socket() {
        return SOCKET_DIR.resolve(name + ".sock");
    }

    /** The wireguard-go process ({@code ip netns exec}, {@code setsid} and {@code env} exec in place). */
    public ProcessHandle process() {
        return process.toHandle();
    }

    /** Everything wireguard-go has logged so far (verbose level), for failure messages. */
    public String log() {
        try {
            return Files.readString(dir.resolve("wireguard-go.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unavailable: " + e + ")";
        }
    }

    /** Sets the private key (passed to {@code wg} through a 0600 file, as wg(8) requires) and listen port. */
    public WireguardGo configure(String privateKeyBase64, int listenPort) {
        return wgSet("private-key", secretFile("private", privateKeyBase64).toString(),
                "listen-port", Integer.toString(listenPort));
    }

    /** As {@link #configure(String, int)} with the private half of {@code keys}. */
    public WireguardGo configure(WgKeys keys, int listenPort) {
        return configure(keys.privateKey(), listenPort);
    }

    /** Adds or updates a peer with {@code wg set NAME peer ...}. */
    public WireguardGo peer(WgPeerConfig peer) {
        List<String> args = new ArrayList<>(List.of("peer", peer.publicKey()));
        if (!peer.allowedIps().isEmpty()) {
            args.addAll(List.of("allowed-ips", String.join(",", peer.allowedIps())));
        }
        if (peer.endpoint() != null) {
            args.addAll(List.of("endpoint", peer.endpoint()));
        }
        if (peer.presharedKey() != null) {
            args.addAll(List.of("preshared-key", secretFile("psk", peer.presharedKey()).toString()));
        }
        args.addAll(List.of("persistent-keepalive",
                peer.persistentKeepalive() == 0 ? "off" : Integer.toString(peer.persistentKeepalive())));
        return wgSet(args.toArray(String[]::new));
    }

    /** Removes the peer with {@code publicKey}. */
    public WireguardGo removePeer(String publicKey) {
        return wgSet("peer", publicKey, "remove");
    }

    /** Runs {@code wg set NAME args...} inside the namespace, failing the test with the log if it fails. */
    public WireguardGo wgSet(String... args) {
        List<String> argv = new ArrayList<>(List.of("wg", "set", name));
        argv.addAll(List.of(args));
        execWithLog(argv.toArray(String[]::new));
        return this;
    }

    /** Replaces the whole configuration with {@code config} (wg(8) configuration-file syntax) via {@code wg setconf}. */
    public WireguardGo setConf(String config) {
        execWithLog("wg", "setconf", name, secretFile("conf", config).toString());
        return this;
    }

    /** Adds a tunnel address such as {@code 10.0.0.1/24} (IPv6 ones without duplicate address detection). */
    public WireguardGo address(String cidr) {
        if (cidr.contains(":")) {
            netns.execOk("ip", "-6", "addr", "add", cidr, "dev", name, "nodad");
        } else {
            netns.execOk("ip", "addr", "add", cidr, "dev", name);
        }
        return this;
    }

    /** Sets the interface MTU (wireguard-go's default is 1420). */
    public WireguardGo mtu(int mtu) {
        netns.execOk("ip", "link", "set", name, "mtu", Integer.toString(mtu));
        return this;
    }

    /** Brings the interface up, which also installs the routes of its addresses. */
    public WireguardGo up() {
        netns.execOk("ip", "link", "set", name, "up");
        return this;
    }

    /** The current state from {@code wg show NAME dump}. */
    public WgDump dump() {
        return WgDump.parse(execWithLog("wg", "show", name, "dump").stdout());
    }

    /**
     * Polls {@link #dump()} until a handshake with {@code peerPublicKey} has completed.
     *
     * @throws AssertionError with the dump and the wireguard-go log when none completes in time
     */
    public WgDump.Peer awaitHandshake(String peerPublicKey, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        WgDump last;
        do {
            last = dump();
            var peer = last.peer(peerPublicKey);
            if (peer.isPresent() && peer.get().hasHandshake()) {
                return peer.get();
            }
            pause();
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no handshake with " + peerPublicKey + " on " + this + " within " + timeout
                + "\nlast dump: " + last + "\nwireguard-go log:\n" + log());
    }

    /** Stops wireguard-go and removes its socket, interface, log and key files. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Processes.kill(process.toHandle(), STOP_GRACE);
        List<Exception> failures = new ArrayList<>();
        try {
            Files.deleteIfExists(socket());
        } catch (IOException e) {
            failures.add(e);
        }
        if (netns.exists() && netns.exec("ip", "link", "show", name).ok()) {
            CommandResult del = netns.exec("ip", "link", "del", name);
            if (!del.ok()) {
                failures.add(new IllegalStateException(del.describe()));
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            failures.add(e);
        }
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("cleanup of " + this + " failed");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    @Override
    public String toString() {
        return "wireguard-go " + name + " in " + netns.name();
    }

    private void awaitSocket() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(socket())) {
            if (!process.isAlive()) {
                throw new AssertionError("wireguard-go " + name + " exited with status " + process.exitValue()
                        + " before creating " + socket() + "\nlog:\n" + log());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("wireguard-go " + name + " did not create " + socket() + " within "
                        + START_TIMEOUT + "\nlog:\n" + log());
            }
            pause();
        }
    }

    private CommandResult execWithLog(String... argv) {
        CommandResult r = netns.exec(argv);
        if (!r.ok()) {
            throw new AssertionError(r.describe() + "wireguard-go log:\n" + log(), new CommandFailedError(r));
        }
        return r;
    }

    /** Writes a key or configuration to an owner-only file, the way {@code wg} expects secrets. */
    private Path secretFile(String kind, String content) {
        try {
            Path f = Files.createTempFile(dir, kind + "-", ".txt",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(f, content + "\n", StandardCharsets.UTF_8);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
