// SPDX-License-Identifier: MIT
package io.jwg.core;

import io.jwg.core.transport.Bind;
import io.jwg.noise.CookieChecker;
import io.jwg.noise.PrivateKey;
import io.jwg.noise.PublicKey;
import io.jwg.noise.StaticIdentity;
import io.jwg.noise.crypto.AeadProvider;
import io.jwg.tun.Tun;
import java.io.IOException;
import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * A WireGuard interface: a private key, a UDP port, peers, and the data path between a {@link Tun}
 * and a {@link Bind}. This is both what the daemon runs and the API a JVM application embeds:
 *
 * <pre>{@code
 * Device dev = Device.create(tun, bind, DeviceOptions.defaults());
 * dev.apply(DeviceConfig.builder().privateKey(key).listenPort(51820)
 *         .peer(PeerConfig.builder(peerKey).endpoint(Endpoint.of(addr, 51820)).allowedIp("10.0.0.2/32").build())
 *         .build());
 * dev.up();
 * ... dev.state().peers() ...   // statistics
 * dev.close();
 * }</pre>
 *
 * Configuration changes ({@link #apply}, {@link #up}, {@link #down}) are serialized and applied
 * whole or not at all, while traffic flows; the data path reads what they publish without locks.
 * The device owns the TUN and bind it is given and closes them with itself. Threads: one reads
 * the TUN, one consumes handshakes, one runs timers, and the bind's own receive thread(s).
 */
public final class Device implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Device.class.getName());

    final Tun tun;
    final Bind bind;
    final Clock clock;
    final Scheduler scheduler;
    final RandomGenerator random;
    final AeadProvider aead;
    final Timings timings;
    final DeviceStats stats = new DeviceStats();
    final IndexTable indexTable;
    final AllowedIps<Peer> allowedIps = new AllowedIps<>();
    final RateLimiter rateLimiter;
    final Sender sender;
    final Receiver receiver;
    final HandshakeQueue handshakeQueue;

    private final DeviceOptions options;
    private final CookieChecker cookieChecker;
    private final Map<PublicKey, Peer> peers = new ConcurrentHashMap<>();
    /** Peers in the order they were added, as wg shows them. Guarded by configLock. */
    private final List<Peer> peerOrder = new ArrayList<>();
    private final Object configLock = new Object();
    private final Thread tunThread;
    private final TunReader tunReader;
    private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();

    private volatile StaticIdentity identity;
    /** Guarded by configLock. */
    private int listenPort;
    private int fwmark;
    private volatile boolean up;
    private volatile boolean closed;

    private Device(Tun tun, Bind bind, DeviceOptions o) {
        this.tun = tun;
        this.bind = bind;
        this.options = o;
        this.clock = o.clock;
        this.scheduler = o.ownsScheduler ? Scheduler.newThread(o.name + "-timers") : o.scheduler;
        this.random = new LockedRandom(o.random);
        this.aead = o.aead;
        this.timings = o.timings;
        this.indexTable = new IndexTable(random);
        this.rateLimiter = new RateLimiter(clock);
        this.cookieChecker = new CookieChecker(null, random);
        this.sender = new Sender(this);
        this.receiver = new Receiver(this);
        this.handshakeQueue = new HandshakeQueue(this, o.handshakeQueueCapacity, o.underLoadThreshold,
                o.name + "-handshake");
        this.tunReader = new TunReader(this, tun);
        this.tunThread = new Thread(tunReader, o.name + "-tun");
        tunThread.setDaemon(true);
    }

    /** Makes a device, down and without a key, and starts reading its TUN. */
    public static Device create(Tun tun, Bind bind, DeviceOptions options) {
        Device d = new Device(tun, bind, options);
        d.tunThread.start();
        return d;
    }

    // ---- lifecycle ---------------------------------------------------------------------------

    /** Opens the UDP port and starts the peers (persistent keepalives go out at once). */
    public void up() throws ConfigException {
        synchronized (configLock) {
            if (up || closed) {
                return;
            }
            openBindLocked(listenPort);
            up = true;
            for (Peer p : peerOrder) {
                if (p.persistentKeepaliveInterval() > 0) {
                    sender.sendKeepalive(p);
                }
            }
        }
    }

    /** Closes the UDP port and forgets every session (as wireguard-go's Down); configuration stays. */
    public void down() {
        synchronized (configLock) {
            if (!up) {
                return;
            }
            up = false;
            bind.close();
            for (Peer p : peerOrder) {
                p.timers.stopAll();
                p.purgeStagedPackets();
                p.zeroKeyMaterial();
                synchronized (p.handshakeLock) {
                    // A peer starting anew may initiate at once (wireguard-go's Peer.Start does the same).
                    p.lastSentHandshakeNanos = Peer.NEVER;
                }
            }
        }
    }

    public boolean isUp() {
        return up;
    }

    boolean isClosed() {
        return closed;
    }

    /** Completes when the device has closed, including when its TUN disappeared under it. */
    public CompletableFuture<Void> closedFuture() {
        return closedFuture;
    }

    /** The TUN is gone (deleted with {@code ip link del}, or failing): close, off the calling thread. */
    void tunClosed() {
        if (!closed) {
            LOG.log(System.Logger.Level.INFO, "{0}: TUN device closed; shutting down", options.name);
            Thread t = new Thread(this::close, options.name + "-close");
            t.setDaemon(true);
            t.start();
        }
    }

    @Override
    public void close() {
        synchronized (configLock) {
            if (closed) {
                return;
            }
            down();
            closed = true;
            for (Peer p : peerOrder) {
                p.remove();
            }
        }
        handshakeQueue.close();
        tun.close();
        bind.close();
        if (Thread.currentThread() != tunThread) {
            try {
                tunThread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (options.ownsScheduler) {
            scheduler.close();
        }
        closedFuture.complete(null);
    }

    // ---- configuration -----------------------------------------------------------------------

    /**
     * Applies a configuration change whole, or nothing of it: the port and mark (the only steps
     * that can fail) are changed first and rolled back if either fails.
     */
    public void apply(DeviceConfig c) throws ConfigException {
        synchronized (configLock) {
            if (closed) {
                throw new ConfigException(ConfigException.Kind.IO, "device is closed", null);
            }
            int oldMark = fwmark;
            if (c.fwmark != null && c.fwmark != fwmark) {
                setMarkLocked(c.fwmark);
            }
            if (c.listenPort != null && c.listenPort != listenPort) {
                if (up) {
                    try {
                        openBindLocked(c.listenPort);
                    } catch (ConfigException e) {
                        restoreLocked(oldMark);
                        throw e;
                    }
                } else {
                    listenPort = c.listenPort;
                }
            }
            if (c.privateKey != null) {
                setPrivateKeyLocked(c.privateKey);
            }
            if (c.replacePeers) {
                for (Peer p : List.copyOf(peerOrder)) {
                    removePeerLocked(p);
                }
            }
            for (PeerConfig pc : c.peers) {
                applyPeerLocked(pc);
            }
        }
    }

    private void restoreLocked(int oldMark) {
        if (oldMark != fwmark) {
            try {
                setMarkLocked(oldMark);
            } catch (ConfigException ignored) {
                // Best effort: the mark was settable a moment ago.
            }
        }
        if (up && bind.port() == 0) {
            try {
                openBindLocked(listenPort); // the failed open closed the old socket
            } catch (ConfigException e) {
                LOG.log(System.Logger.Level.WARNING, "{0}: could not reopen port {1}", options.name, listenPort);
            }
        }
    }

    private void openBindLocked(int port) throws ConfigException {
        try {
            int bound = bind.open(port, receiver);
            listenPort = bound;
            if (fwmark != 0) {
                bind.setMark(fwmark);
            }
        } catch (BindException e) {
            throw new ConfigException(ConfigException.Kind.ADDRESS_IN_USE, "port " + port + " is in use", e);
        } catch (IOException e) {
            throw new ConfigException(ConfigException.Kind.IO, "cannot listen on port " + port + ": " + e.getMessage(), e);
        }
    }

    private void setMarkLocked(int mark) throws ConfigException {
        try {
            bind.setMark(mark);
            fwmark = mark;
        } catch (IOException e) {
            throw new ConfigException(ConfigException.Kind.IO, "cannot set fwmark: " + e.getMessage(), e);
        }
    }

    /**
     * A new private key: peers with the same public key are removed, every handshake restarts and
     * current sessions stop sending (they keep receiving until they expire), as in the kernel.
     */
    private void setPrivateKeyLocked(PrivateKey key) {
        StaticIdentity current = identity;
        if (current != null ? current.privateKey().equals(key) : key.isZero()) {
            return;
        }
        StaticIdentity next = key.isZero() ? null : new StaticIdentity(key);
        if (next != null) {
            Peer same = peers.get(next.publicKey());
            if (same != null) {
                removePeerLocked(same);
            }
        }
        identity = next;
        cookieChecker.setIdentity(next);
        for (Peer p : peerOrder) {
            p.setLocalIdentity(next);
            p.keypairs.expireForSending();
        }
    }

    private void applyPeerLocked(PeerConfig pc) {
        StaticIdentity id = identity;
        if (id != null && id.publicKey().equals(pc.publicKey)) {
            return; // a peer with our own key makes no sense; wireguard-go ignores it too
        }
        Peer p = peers.get(pc.publicKey);
        if (pc.remove) {
            if (p != null) {
                removePeerLocked(p);
            }
            return;
        }
        if (p == null) {
            if (pc.updateOnly) {
                return;
            }
            p = new Peer(this, pc.publicKey);
            peers.put(pc.publicKey, p);
            peerOrder.add(p);
        }
        if (pc.presharedKey != null) {
            p.setPresharedKey(pc.presharedKey);
        }
        if (pc.endpoint != null) {
            p.setEndpoint(pc.endpoint);
        }
        boolean keepaliveTurnedOn = false;
        if (pc.persistentKeepalive != null) {
            keepaliveTurnedOn = p.persistentKeepaliveInterval() == 0 && pc.persistentKeepalive != 0;
            p.setPersistentKeepaliveInterval(pc.persistentKeepalive);
        }
        if (pc.replaceAllowedIps) {
            allowedIps.removeByPeer(p);
        }
        for (AllowedIps.Prefix prefix : pc.removeAllowedIps) {
            allowedIps.remove(prefix, p);
        }
        for (AllowedIps.Prefix prefix : pc.addAllowedIps) {
            allowedIps.insert(prefix, p);
        }
        if (keepaliveTurnedOn && up) {
            sender.sendKeepalive(p);
        }
    }

    private void removePeerLocked(Peer p) {
        peers.remove(p.publicKey);
        peerOrder.remove(p);
        allowedIps.removeByPeer(p);
        p.remove();
    }

    // ---- state -------------------------------------------------------------------------------

    /** A consistent snapshot of the configuration and every peer's statistics. */
    public DeviceState state() {
        synchronized (configLock) {
            List<PeerState> list = new ArrayList<>(peerOrder.size());
            for (Peer p : peerOrder) {
                list.add(new PeerState(p.publicKey, p.presharedKey(), p.endpoint(), p.persistentKeepaliveInterval(),
                        p.lastHandshake(), p.rxBytes(), p.txBytes(), allowedIps.entriesForPeer(p)));
            }
            StaticIdentity id = identity;
            return new DeviceState(id == null ? null : id.privateKey(), id == null ? null : id.publicKey(),
                    up ? bind.port() : listenPort, fwmark, List.copyOf(list));
        }
    }

    /** Counters of dropped and refused packets. */
    public DeviceStats stats() {
        return stats;
    }

    /** The device's name (its interface name when run by the daemon). */
    public String name() {
        return options.name;
    }

    /** Packets taken from the TUN and routed so far (tests use it to know the TUN side is idle). */
    long packetsRouted() {
        return tunReader.routed();
    }

    /** No handshake message is waiting or being handled (for tests). */
    boolean handshakesIdle() {
        return handshakeQueue.idle();
    }

    Peer peer(PublicKey key) {
        return peers.get(key);
    }

    StaticIdentity identity() {
        return identity;
    }

    CookieChecker cookieChecker() {
        return cookieChecker;
    }

    int mtu() {
        return tun.mtu();
    }

    /** A keypair left its slot: forget its index and zero its keys. */
    void retireKeypair(Keypair k) {
        if (k.indexEntry != null) {
            indexTable.remove(k.indexEntry);
        }
        k.destroy();
    }
}
