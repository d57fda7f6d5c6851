// SPDX-License-Identifier: MIT
package io.jwg.core.uapi;

import io.jwg.core.Device;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Serves the UAPI on a unix socket, {@code /var/run/wireguard/IFNAME.sock} for the daemon, as the
 * cross-platform userspace implementation spec (wireguard.com/xplatform) and wireguard-go do:
 * wg(8) and wg-quick(8) find userspace interfaces there. See {@link SocketFile} for how the file
 * is created and {@link UapiConnection} for the protocol on each connection.
 *
 * <p>Resources are bounded: at most {@link Limits#maxConnections()} connections are served at a
 * time, each on its own virtual thread (further clients wait in the listen backlog); each request
 * must finish within {@link Limits#requestTimeout()}; request size is capped. The spec says the
 * daemon exits when its socket file is deleted: {@link #onSocketRemoved} reports that, polling
 * the file's identity every {@link Limits#socketCheckInterval()}.
 *
 * <p>Threads: one platform thread accepts, one watches timeouts and the socket file, one virtual
 * thread per connection. Thread-safe.
 */
public final class UapiServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(UapiServer.class.getName());

    /** Where wg(8) looks for userspace implementations' sockets. */
    public static final Path SOCKET_DIRECTORY = Path.of("/var/run/wireguard");

    /**
     * How much one server may take.
     *
     * @param requestTimeout time for one request, from waiting for it to its reply written
     * @param maxConnections connections served at once
     * @param maxRequestBytes bytes of one set request (more: errno=-5)
     * @param maxRequestLines lines of one set request (more: errno=-5)
     * @param socketCheckInterval how often the socket file is checked for removal
     * @param idleTimeout time a connection may wait before its operation line arrives: wg sends it
     *     at once, so idle connections give their slot back quickly and cannot lock wg out
     */
    record Limits(Duration requestTimeout, int maxConnections, long maxRequestBytes, int maxRequestLines,
            Duration socketCheckInterval, Duration idleTimeout) {
        /** Enough for configurations with hundreds of thousands of allowed IPs. */
        static final Limits DEFAULT = new Limits(Duration.ofSeconds(30), 256, 16L << 20, 1 << 20,
                Duration.ofSeconds(1), Duration.ofSeconds(3));

        Limits(Duration requestTimeout, int maxConnections, long maxRequestBytes, int maxRequestLines,
                Duration socketCheckInterval) {
            this(requestTimeout, maxConnections, maxRequestBytes, maxRequestLines, socketCheckInterval,
                    requestTimeout.compareTo(Duration.ofSeconds(3)) < 0 ? requestTimeout : Duration.ofSeconds(3));
        }
    }

    private static final int BACKLOG = 1024;
    private static final Duration ACCEPT_RETRY = Duration.ofMillis(100);

    private final Device device;
    private final SocketFile socket;
    private final Limits limits;
    private final Semaphore slots;
    private final Set<UapiConnection> connections = ConcurrentHashMap.newKeySet();
    private final List<Runnable> removalActions = new ArrayList<>();
    private final Thread acceptor;
    private final Thread watcher;
    private boolean removed; // guarded by removalActions
    private volatile boolean closed; // written under removalActions

    private UapiServer(Device device, SocketFile socket, Limits limits) {
        this.device = device;
        this.socket = socket;
        this.limits = limits;
        this.slots = new Semaphore(limits.maxConnections());
        this.acceptor = Thread.ofPlatform().daemon().name("uapi-" + device.name() + "-accept").unstarted(this::acceptLoop);
        this.watcher = Thread.ofPlatform().daemon().name("uapi-" + device.name() + "-watch").unstarted(this::watchLoop);
    }

    /** Creates {@code SOCKET_DIRECTORY/IFNAME.sock} and starts serving {@code device}. */
    public static UapiServer start(Device device, String interfaceName) throws IOException {
        return start(device, SOCKET_DIRECTORY.resolve(interfaceName + ".sock"));
    }

    /**
     * Creates the socket at {@code socket} (its directory 0755, the socket 0600) and serves.
     *
     * @throws IOException if another live process serves that socket, a non-socket file is in the
     *     way, or the socket cannot be created
     */
    public static UapiServer start(Device device, Path socket) throws IOException {
        return start(device, socket, Limits.DEFAULT);
    }

    static UapiServer start(Device device, Path socket, Limits limits) throws IOException {
        Objects.requireNonNull(device, "device");
        UapiServer server = new UapiServer(device, SocketFile.create(socket, BACKLOG), limits);
        server.acceptor.start();
        server.watcher.start();
        return server;
    }

    public Path socketPath() {
        return socket.path();
    }

    /**
     * Runs {@code action} once when the socket file is removed by someone else (wireguard-go
     * exits then, and so does our daemon). Runs at once if that already happened. The action runs
     * on the server's watcher thread; it may close this server.
     */
    public void onSocketRemoved(Runnable action) {
        Objects.requireNonNull(action, "action");
        synchronized (removalActions) {
            if (!removed) {
                removalActions.add(action);
                return;
            }
        }
        action.run();
    }

    /** Stops serving and removes the socket file; idempotent. */
    @Override
    public void close() {
        synchronized (removalActions) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            socket.channel().close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: closing the UAPI socket: {1}", device.name(), e.toString());
        }
        watcher.interrupt();
        // Not the acceptor: an interrupt that lands as accept() completes leaks the accepted socket
        // (the JDK throws ClosedByInterruptException without closing it). Closing the channel is
        // enough to stop it, and if it waits for a slot, closing the connections frees one.
        for (UapiConnection c : connections) {
            c.close();
        }
        try {
            socket.deleteIfOurs();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: removing {1}: {2}", device.name(), socket.path(), e.toString());
        }
        if (Thread.currentThread() != acceptor) {
            try {
                acceptor.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Connections being served now (for tests). */
    int connectionCount() {
        return connections.size();
    }

    void ended(UapiConnection c) {
        if (connections.remove(c)) {
            slots.release();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                return;
            }
            SocketChannel ch;
            try {
                ch = socket.channel().accept();
            } catch (ClosedChannelException e) {
                slots.release();
                return;
            } catch (IOException e) {
                // Typically out of file descriptors: wait for connections to end, keep serving.
                slots.release();
                LOG.log(System.Logger.Level.WARNING, "{0}: UAPI accept failed: {1}", device.name(), e.toString());
                LockSupport.parkNanos(ACCEPT_RETRY.toNanos());
                continue;
            }
            UapiConnection c = new UapiConnection(this, device, ch, limits);
            connections.add(c);
            if (closed) {
                c.close();
                ended(c);
                return;
            }
            Thread.ofVirtual().name("uapi-" + device.name() + "-conn").start(c);
        }
    }

    /** Closes connections past their deadline, and notices when the socket file goes away. */
    private void watchLoop() {
        long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(10),
                Math.min(Math.min(limits.requestTimeout().toNanos(), limits.idleTimeout().toNanos()) / 4,
                        limits.socketCheckInterval().toNanos()));
        long nextFileCheck = System.nanoTime() + limits.socketCheckInterval().toNanos();
        boolean watchingFile = true;
        while (!closed) {
            LockSupport.parkNanos(tick);
            if (Thread.interrupted() || closed) {
                return;
            }
            long now = System.nanoTime();
            for (UapiConnection c : connections) {
                if (c.expired(now)) {
                    LOG.log(System.Logger.Level.DEBUG, "{0}: UAPI request timed out", device.name());
                    c.close();
                }
            }
            if (watchingFile && now - nextFileCheck >= 0) {
                nextFileCheck = now + limits.socketCheckInterval().toNanos();
                if (!socket.isOurs()) {
                    watchingFile = false;
                    socketRemoved();
                }
            }
        }
    }

    private void socketRemoved() {
        List<Runnable> actions;
        synchronized (removalActions) {
            removed = true;
            actions = List.copyOf(removalActions);
            removalActions.clear();
        }
        LOG.log(System.Logger.Level.INFO, "{0}: UAPI socket {1} was removed", device.name(), socket.path());
        for (Runnable a : actions) {
            try {
                a.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, device.name() + ": socket-removal action failed", e);
            }
        }
    }
}
