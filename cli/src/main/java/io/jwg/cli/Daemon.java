// SPDX-License-Identifier: MIT
package io.jwg.cli;

import io.jwg.core.ConfigException;
import io.jwg.core.Device;
import io.jwg.core.DeviceOptions;
import io.jwg.core.transport.netty.NettyBind;
import io.jwg.core.uapi.UapiServer;
import io.jwg.noise.crypto.ChaCha20Poly1305;
import io.jwg.tun.LinuxTun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The daemon behind {@code jwg [-f|--foreground] IFNAME}, following the cross-platform userspace
 * contract (wireguard.com/xplatform) as wireguard-go implements it: create the TUN interface
 * (MTU 1420, left down for wg-quick or the administrator to bring up), bind a random UDP port at
 * once (a fresh wireguard-go already reports a {@code listen_port}), serve the UAPI on
 * {@code /var/run/wireguard/IFNAME.sock}, then run until one of: the interface disappears
 * ({@code ip link del}, which {@code wg-quick down} does), the socket file is removed, or SIGTERM /
 * SIGINT. Each ends in the same clean exit, status 0, with the socket removed and everything
 * closed.
 *
 * <p>Start-up failures (bad or busy name, no privilege, no TUN driver, socket directory not
 * writable, another daemon on that name) are one line for the user and status 1; whatever was
 * created is removed first. In the background the launcher prints that line (see
 * {@link Readiness}); in the foreground it goes to standard error.
 *
 * <p>Threads: the main thread starts and stops the daemon; a shutdown hook turns a signal into a
 * stop request and waits for the main thread's cleanup, then halts with status 0 (a JVM ended by
 * a signal would otherwise exit 143). Any other stop ends in an ordinary exit.
 */
final class Daemon {
    /** wireguard-go's default TUN MTU: 1500 minus the 80 bytes of IPv6 + UDP + WireGuard overhead. */
    static final int DEFAULT_MTU = 1420;
    /** How long a signal waits for the cleanup before the JVM is halted regardless. */
    private static final long SIGNAL_CLEANUP_SECONDS = 10;

    private static final String NETTY_MACHINE_ID = "io.netty.machineId";

    private static final Logger LOG = Logger.getLogger(Daemon.class.getName());

    private final String name;
    private final Device device;
    private final UapiServer uapi;
    private final MetricsServer metrics;
    private final CompletableFuture<String> stopRequest = new CompletableFuture<>();
    private final CountDownLatch cleanedUp = new CountDownLatch(1);

    private Daemon(String name, Device device, UapiServer uapi, MetricsServer metrics) {
        this.name = name;
        this.device = device;
        this.uapi = uapi;
        this.metrics = metrics;
    }

    /** Runs the daemon to its end; returns the exit status. */
    static int run(String interfaceName, boolean foreground) {
        DaemonLog.Verbosity verbosity = DaemonLog.install(interfaceName, System.err);
        Readiness readiness = Readiness.fromEnvironment();
        LOG.info(() -> "Starting jwg " + version() + " (pid " + ProcessHandle.current().pid() + ", Java "
                + Runtime.version() + ", " + (readiness.hasListener() ? "background" : "foreground")
                + ", log level " + verbosity.name().toLowerCase(Locale.ROOT) + ")");
        LOG.fine(() -> "JVM " + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version")
                + ", max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
        if (!foreground && !readiness.hasListener()) {
            LOG.fine("Started without the ./jwg launcher: a JVM cannot fork, so this stays in the foreground");
        }
        Daemon daemon;
        try {
            daemon = start(interfaceName);
        } catch (StartupFailure f) {
            LOG.log(Level.FINE, "start-up failed", f.getCause());
            if (readiness.hasListener()) {
                readiness.failed(f.getMessage());
            } else {
                System.err.println(Main.PROG + ": " + f.getMessage());
            }
            return 1;
        }
        daemon.watchStopEvents();
        readiness.ready();
        LOG.info("Device started");
        warmUp();
        daemon.shutdown(daemon.awaitStopRequest());
        return 0;
    }

    /**
     * Compiles the crypto before the first peer needs it, on a low-priority thread so that it never
     * delays a real handshake (see {@link io.jwg.noise.Warmup}).
     */
    private static void warmUp() {
        Thread t = new Thread(() -> {
            long start = System.nanoTime();
            io.jwg.noise.Warmup.exercise(8, 4_000, new io.jwg.core.SystemRandom());
            LOG.fine(() -> "Crypto warmed up in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            awaitVectorEngine();
            // Start-up (class loading, both warm-ups) grew the heap well past what an idle daemon
            // keeps alive; the serial collector returns committed heap to the OS only after a full
            // collection, so have one now, once, rather than carry the start-up peak forever.
            System.gc();
        }, "jwg-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    private static void awaitVectorEngine() {
        try {
            io.jwg.noise.crypto.ChaCha20Poly1305.awaitWarmUp(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Creates the interface, the device (its UDP offloads as {@code JWG_UDP_OFFLOAD} says), the
     * metrics server if {@code JWG_METRICS} asks for one, and the UAPI socket, or nothing at all.
     */
    static Daemon start(String requestedName) throws StartupFailure {
        String invalid = invalidNameReason(requestedName);
        if (invalid != null) {
            throw new StartupFailure(invalid);
        }
        MetricsAddress metricsAddress = MetricsAddress.fromEnvironment();
        UdpOffload offload = UdpOffload.fromEnvironment();
        UapiSocketProbe.claim(UapiServer.SOCKET_DIRECTORY.resolve(requestedName + ".sock"), requestedName);
        avoidNettyMachineIdScan();
        LinuxTun tun = createTun(requestedName);
        String name = tun.name();
        Device device = null;
        MetricsServer metrics = null;
        try {
            NettyBind bind = offload.newBind();
            device = Device.create(tun, bind, DeviceOptions.builder().name(name).build());
            device.up();
            int port = device.state().listenPort();
            LOG.info(() -> "Interface " + name + " created (MTU " + DEFAULT_MTU + "), UDP port " + port
                    + ", TUN offloads " + (tun.offloads() ? "on" : "off")
                    + ", UDP GSO " + (bind.usesGso() ? "on" : "off") + ", GRO " + (bind.usesGro() ? "on" : "off")
                    + ", receive " + (bind.usesRecvmmsg() ? "recvmmsg" : "netty")
                    + ", ChaCha20-Poly1305 engine " + ChaCha20Poly1305.preferredEngineName());
            if (metricsAddress != null) {
                metrics = startMetrics(metricsAddress, name, device);
            }
            UapiServer uapi;
            try {
                uapi = UapiServer.start(device, name);
            } catch (IOException e) {
                throw new StartupFailure("cannot create the UAPI socket "
                        + UapiServer.SOCKET_DIRECTORY.resolve(name + ".sock") + ": " + describe(e), e);
            }
            LOG.info(() -> "UAPI listener started on " + uapi.socketPath());
            return new Daemon(name, device, uapi, metrics);
        } catch (ConfigException e) {
            closeQuietly(metrics, device, tun);
            throw new StartupFailure("cannot open a UDP port: " + e.getMessage(), e);
        } catch (StartupFailure e) {
            closeQuietly(metrics, device, tun);
            throw e;
        } catch (RuntimeException | LinkageError e) {
            closeQuietly(metrics, device, tun);
            throw new StartupFailure("cannot start the device: " + oneLine(e), e);
        }
    }

    /** Prometheus metrics over HTTP, on an address that need not exist yet (IP_FREEBIND). */
    private static MetricsServer startMetrics(MetricsAddress at, String name, Device device) throws StartupFailure {
        try {
            MetricsServer server = MetricsServer.start(at.socketAddress(),
                    () -> MetricsText.render(name, device.state(), device.stats()));
            LOG.info(() -> "Metrics served on http://" + at + MetricsServer.PATH);
            return server;
        } catch (IOException e) {
            throw new StartupFailure("cannot serve metrics on " + at + " (" + MetricsAddress.VARIABLE + "): "
                    + describe(e), e);
        }
    }

    /**
     * Netty names channels after a MAC address it searches every interface for; in a namespace
     * without one (a fresh netns has only lo) it logs a warning at start. The name only has to be
     * unique-ish, so random bytes given up front serve as well and skip the search.
     */
    private static void avoidNettyMachineIdScan() {
        if (System.getProperty(NETTY_MACHINE_ID) == null) {
            byte[] id = new byte[8];
            ThreadLocalRandom.current().nextBytes(id);
            id[0] |= 0x02; // a locally administered address, as Netty makes up itself
            StringBuilder sb = new StringBuilder(23);
            for (byte b : id) {
                sb.append(sb.isEmpty() ? "" : ":").append(String.format("%02x", b & 0xff));
            }
            System.setProperty(NETTY_MACHINE_ID, sb.toString());
        }
    }

    /**
     * Whether the TUN uses TSO/GRO offloads: yes unless {@code JWG_TUN_OFFLOAD=off} (for
     * measuring what they bring, or a kernel that mishandles them).
     */
    static boolean tunOffloads(String setting) throws StartupFailure {
        if (setting == null || setting.isEmpty() || setting.equals("on")) {
            return true;
        }
        if (setting.equals("off")) {
            return false;
        }
        throw new StartupFailure("JWG_TUN_OFFLOAD must be 'on' or 'off', not '" + setting + "'");
    }

    private static LinuxTun createTun(String name) throws StartupFailure {
        boolean offloads = tunOffloads(System.getenv("JWG_TUN_OFFLOAD"));
        try {
            return LinuxTun.create(name, DEFAULT_MTU, offloads);
        } catch (IOException | IllegalArgumentException e) {
            throw new StartupFailure(e.getMessage(), e);
        } catch (LinkageError e) {
            throw new StartupFailure("cannot load the native TUN code (JNA): " + oneLine(e), e);
        }
    }

    /**
     * Linux's rules for interface names ({@code dev_valid_name}), checked before the name is used
     * in the socket path, so that nothing like {@code ../x} ever reaches the file system.
     */
    static String invalidNameReason(String name) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0) {
            return "the interface name is empty";
        }
        if (bytes > LinuxTun.MAX_NAME_BYTES) {
            return "interface name '" + name + "' is too long (" + bytes + " bytes; Linux allows at most "
                    + LinuxTun.MAX_NAME_BYTES + ")";
        }
        if (name.equals(".") || name.equals("..")) {
            return "'" + name + "' is not a valid interface name";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || c == 0 || Character.isWhitespace(c)) {
                return "interface name '" + name + "' is invalid: Linux forbids '/', ':' and whitespace";
            }
        }
        return null;
    }

    /** A signal, the interface going away, or the socket being removed: each requests the stop. */
    private void watchStopEvents() {
        Thread hook = new Thread(() -> {
            // False when the JVM is exiting because run() returned: the cleanup is done then.
            boolean signalled = stopRequest.complete("Received a signal");
            boolean clean;
            try {
                clean = cleanedUp.await(SIGNAL_CLEANUP_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                clean = false;
            }
            if (!clean) {
                DaemonLog.direct(Level.SEVERE, "Shutdown took longer than " + SIGNAL_CLEANUP_SECONDS + " s; exiting");
                try {
                    Files.deleteIfExists(UapiServer.SOCKET_DIRECTORY.resolve(name + ".sock"));
                } catch (IOException ignored) {
                    // Exiting anyway; the next daemon of this name removes a stale socket.
                }
            }
            if (signalled) {
                // Otherwise the JVM reports the signal (143 for SIGTERM); other hooks may be cut short.
                Runtime.getRuntime().halt(clean ? 0 : 1);
            }
        }, "jwg-signal");
        Runtime.getRuntime().addShutdownHook(hook);
        device.closedFuture().thenRun(() -> stopRequest.complete("Interface " + name + " is gone"));
        uapi.onSocketRemoved(() -> stopRequest.complete("UAPI socket " + uapi.socketPath() + " was removed"));
    }

    private String awaitStopRequest() {
        for (;;) {
            try {
                return stopRequest.get();
            } catch (InterruptedException e) {
                // Only a stop request ends the daemon.
            } catch (ExecutionException e) {
                return "Stopping: " + oneLine(e.getCause());
            }
        }
    }

    /** Removes the socket (so wg stops listing us at once), then closes the device and the TUN. */
    private void shutdown(String reason) {
        DaemonLog.direct(Level.INFO, reason + ", shutting down");
        try {
            uapi.close();
            if (metrics != null) {
                metrics.close();
            }
        } finally {
            device.close();
            cleanedUp.countDown();
        }
        DaemonLog.direct(Level.INFO, "Shutdown complete");
    }

    private static void closeQuietly(MetricsServer metrics, Device device, LinuxTun tun) {
        try {
            if (metrics != null) {
                metrics.close();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "cleanup after a failed start", e);
        }
        try {
            if (device != null) {
                device.close();
            } else {
                tun.close();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "cleanup after a failed start", e);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return oneLine(e);
    }

    private static String oneLine(Throwable t) {
        String m = t.getMessage();
        return (m == null || m.isBlank() ? t.getClass().getSimpleName() : m).replace('\n', ' ');
    }

    private static String version() {
        String v = Daemon.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }
}
