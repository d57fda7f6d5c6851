// SPDX-License-Identifier: MIT
package io.jwg.core;

import io.jwg.core.transport.Endpoint;
import io.jwg.noise.CookieGenerator;
import io.jwg.noise.Handshake;
import io.jwg.noise.PresharedKey;
import io.jwg.noise.PublicKey;
import io.jwg.noise.SessionKeys;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One remote peer of a device (whitepaper section 2; the kernel's wg_peer): its static key and
 * handshake, its sessions, endpoint, timers, packets waiting for a session, and statistics. The
 * sending and receiving logic lives in {@link Sender} and {@link Receiver}; this class keeps the
 * state they share. Fields read on the data path are volatile or atomic; handshake and session
 * changes hold {@link #handshakeLock}.
 */
public final class Peer {
    /** The kernel's MAX_STAGED_PACKETS: packets kept while a handshake is under way. */
    static final int MAX_STAGED_PACKETS = 128;

    final Device device;
    final PublicKey publicKey;
    /** The handshake we initiate and the one we answer (see {@link HandshakeSlot} for why two). */
    final HandshakeSlot initiator;
    final HandshakeSlot responder;
    final CookieGenerator cookieGenerator;
    final Keypairs keypairs;
    final Timers timers;

    final Object handshakeLock = new Object();
    /** When we last sent an initiation, or NEVER; guarded by handshakeLock. */
    long lastSentHandshakeNanos = NEVER;
    volatile boolean sentLastMinuteHandshake;
    /** Set while an initiation request waits on the timer thread (see Sender#queueHandshakeInitiation). */
    final java.util.concurrent.atomic.AtomicBoolean initiationQueued = new java.util.concurrent.atomic.AtomicBoolean();
    static final long NEVER = Long.MIN_VALUE;

    private volatile Endpoint endpoint;
    private volatile int persistentKeepaliveInterval;
    private final AtomicLong rxBytes = new AtomicLong();
    private final AtomicLong txBytes = new AtomicLong();
    private volatile Instant lastHandshake;

    /** Packets (each with header room, see {@link Sender#stage}) waiting for a session. */
    private final ArrayDeque<ByteBuffer> staged = new ArrayDeque<>();
    private volatile boolean removed;

    Peer(Device device, PublicKey publicKey) {
        this.device = device;
        this.publicKey = publicKey;
        this.initiator = new HandshakeSlot(new Handshake(device.identity(), publicKey));
        this.responder = new HandshakeSlot(new Handshake(device.identity(), publicKey));
        this.cookieGenerator = new CookieGenerator(publicKey);
        this.keypairs = new Keypairs(device::retireKeypair);
        this.timers = new Timers(this, device.clock, device.scheduler, device.timings, device.random);
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    void setEndpoint(Endpoint e) {
        endpoint = e;
    }

    /**
     * Roaming (whitepaper section 2.1): call only after a message from {@code source} has
     * authenticated. Allocates only when the address really changed.
     */
    void updateEndpointFrom(InetSocketAddress source) {
        Endpoint current = endpoint;
        if (current == null || !current.sameAs(source)) {
            endpoint = Endpoint.of(source);
        }
    }

    public int persistentKeepaliveInterval() {
        return persistentKeepaliveInterval;
    }

    void setPersistentKeepaliveInterval(int seconds) {
        persistentKeepaliveInterval = seconds;
    }

    public PresharedKey presharedKey() {
        return initiator.handshake.presharedKey();
    }

    void setPresharedKey(PresharedKey psk) {
        synchronized (handshakeLock) {
            initiator.handshake.setPresharedKey(psk);
            responder.handshake.setPresharedKey(psk);
        }
    }

    /** Our private key changed: both handshakes restart with the new identity. */
    void setLocalIdentity(io.jwg.noise.StaticIdentity identity) {
        synchronized (handshakeLock) {
            initiator.handshake.setLocalIdentity(identity);
            responder.handshake.setLocalIdentity(identity);
            initiator.drop(device.indexTable);
            responder.drop(device.indexTable);
            lastSentHandshakeNanos = NEVER;
        }
    }

    void addRx(long n) {
        rxBytes.addAndGet(n);
    }

    void addTx(long n) {
        txBytes.addAndGet(n);
    }

    /** Bytes of WireGuard datagrams received from this peer (UDP payloads, as wireguard-go counts). */
    public long rxBytes() {
        return rxBytes.get();
    }

    /** Bytes of WireGuard datagrams sent to this peer. */
    public long txBytes() {
        return txBytes.get();
    }

    /** Wall-clock time of the last completed handshake, or null if none yet. */
    public Instant lastHandshake() {
        return lastHandshake;
    }

    boolean isRemoved() {
        return removed;
    }

    // ---- actions the timers take (names from the kernel's timers.c) ------------------------

    void sendHandshakeInitiation(boolean isRetry) {
        device.sender.queueHandshakeInitiation(this, isRetry);
    }

    void sendKeepalive() {
        device.sender.sendKeepalive(this);
    }

    void recordHandshakeComplete() {
        lastHandshake = device.clock.now();
        sentLastMinuteHandshake = false;
    }

    /** Forgets every session and the handshake under way (3 x REJECT_AFTER_TIME of silence). */
    void zeroKeyMaterial() {
        synchronized (handshakeLock) {
            keypairs.clear();
            initiator.clear(device.indexTable);
            responder.clear(device.indexTable);
        }
    }

    /**
     * Turns completed handshake keys into a session in the right slot; the session takes over the
     * handshake's index. Caller holds handshakeLock.
     */
    Keypair installSessionLocked(HandshakeSlot slot, SessionKeys keys) {
        Keypair k = new Keypair(this, keys, device.aead, device.clock.nanoTime());
        IndexTable.Entry entry = slot.takeEntry();
        k.indexEntry = entry;
        entry.keypair = k;
        keypairs.add(k);
        return k;
    }

    // ---- staged packets --------------------------------------------------------------------

    /** Queues a packet for when a session exists, dropping the oldest beyond MAX_STAGED_PACKETS. */
    void stage(ByteBuffer packet) {
        synchronized (staged) {
            if (staged.size() >= MAX_STAGED_PACKETS) {
                staged.pollFirst();
            }
            staged.addLast(packet);
        }
    }

    ByteBuffer pollStaged() {
        synchronized (staged) {
            return staged.pollFirst();
        }
    }

    void unpollStaged(ByteBuffer packet) {
        synchronized (staged) {
            staged.addFirst(packet);
        }
    }

    boolean hasStaged() {
        synchronized (staged) {
            return !staged.isEmpty();
        }
    }

    void purgeStagedPackets() {
        synchronized (staged) {
            staged.clear();
        }
    }

    /** Stops everything for good: the peer is being removed from its device. */
    void remove() {
        removed = true;
        timers.disable();
        purgeStagedPackets();
        zeroKeyMaterial();
    }

    @Override
    public String toString() {
        return publicKey.toString();
    }
}
