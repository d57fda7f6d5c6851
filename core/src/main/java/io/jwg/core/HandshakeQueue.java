// SPDX-License-Identifier: MIT
package io.jwg.core;

import io.jwg.core.transport.Endpoint;
import io.jwg.noise.CookieChecker;
import io.jwg.noise.Messages;
import io.jwg.noise.MessageType;
import io.jwg.noise.OpenedInitiation;
import io.jwg.noise.Reason;
import io.jwg.noise.Handshake;
import io.jwg.noise.SessionKeys;
import io.jwg.noise.crypto.Bytes;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Incoming handshake messages and the thread that consumes them (the kernel's handshake queue
 * and wg_packet_handshake_receive_worker). Handshakes cost Diffie-Hellman work, so they wait here
 * instead of blocking the data path, and the queue's length is how the device knows it is under
 * load (whitepaper section 5.3): then an initiation or response without a valid mac2 gets a cookie
 * reply instead of any DH, and a valid one is still rate-limited per source address.
 */
final class HandshakeQueue implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(HandshakeQueue.class.getName());
    /** The kernel's MAX_QUEUED_INCOMING_HANDSHAKES. */
    static final int MAX_QUEUED_INCOMING_HANDSHAKES = 4096;
    /** Once under load, stay so for a second after the queue drains (the kernel's last_under_load). */
    private static final long UNDER_LOAD_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long NEVER = Long.MIN_VALUE;

    private record Job(MessageType type, byte[] msg, InetSocketAddress source) {}

    private final Device device;
    private final ArrayBlockingQueue<Job> queue;
    private final int underLoadThreshold;
    private final Thread thread;
    private volatile long lastUnderLoadNanos = NEVER;
    private volatile boolean closed;
    /** Messages accepted into the queue and not yet fully handled. */
    private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();

    HandshakeQueue(Device device, int capacity, int underLoadThreshold, String threadName) {
        this.device = device;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.underLoadThreshold = underLoadThreshold;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Copies a handshake message into the queue; drops it when the queue is full. */
    void offer(MessageType type, ByteBuffer buf, int off, int len, InetSocketAddress source) {
        byte[] msg = new byte[len];
        buf.get(off, msg);
        pending.incrementAndGet();
        if (!queue.offer(new Job(type, msg, source))) {
            pending.decrementAndGet();
            device.stats.handshakeDropped.increment();
        }
    }

    /** Under load while the queue holds at least the threshold, and for a second afterwards. */
    boolean underLoad() {
        long now = device.clock.nanoTime();
        if (queue.size() >= underLoadThreshold) {
            lastUnderLoadNanos = now;
            return true;
        }
        long last = lastUnderLoadNanos;
        return last != NEVER && now - last < UNDER_LOAD_GRACE_NANOS;
    }

    private void run() {
        while (!closed) {
            Job job;
            try {
                job = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                process(job);
            } catch (RuntimeException e) {
                device.stats.internalErrors.increment();
                LOG.log(System.Logger.Level.ERROR, "unexpected failure handling a handshake message", e);
            } finally {
                pending.decrementAndGet();
            }
        }
    }

    private void process(Job job) {
        Endpoint src = Endpoint.of(job.source);
        byte[] msg = job.msg;
        if (job.type == MessageType.COOKIE_REPLY) {
            consumeCookieReply(msg);
            return;
        }
        boolean underLoad = underLoad();
        CookieChecker.MacCheck mac = device.cookieChecker().check(msg, msg.length, src.addressBytes(), src.port(),
                underLoad, device.clock.nanoTime());
        if (mac == CookieChecker.MacCheck.INVALID_MAC) {
            reject(Reason.BAD_MAC1, src);
            return;
        }
        if (underLoad) {
            if (mac != CookieChecker.MacCheck.VALID_MAC_WITH_COOKIE) {
                device.sender.sendCookieReply(msg, msg.length, src);
                device.stats.cookieRepliesSent.increment();
                return;
            }
            if (!device.rateLimiter.allow(src.addressBytes())) {
                device.stats.handshakeDropped.increment();
                return;
            }
        }
        if (job.type == MessageType.INITIATION) {
            consumeInitiation(msg, job.source, src);
        } else {
            consumeResponse(msg, job.source, src);
        }
    }

    private void consumeInitiation(byte[] msg, InetSocketAddress source, Endpoint src) {
        OpenedInitiation opened = Handshake.openInitiation(device.identity(), msg, 0, msg.length);
        if (opened.reason() != Reason.ACCEPTED) {
            reject(opened.reason(), src);
            return;
        }
        Peer peer = device.peer(opened.remoteStatic());
        if (peer == null) {
            reject(Reason.UNKNOWN_PEER, src);
            return;
        }
        Reason r;
        synchronized (peer.handshakeLock) {
            r = peer.responder.handshake.consumeInitiation(opened, device.clock.nanoTime());
        }
        if (r != Reason.ACCEPTED) {
            reject(r, src);
            return;
        }
        authenticated(peer, msg.length, source);
        debug("{0} - Received handshake initiation from {1}", peer, src);
        device.sender.sendHandshakeResponse(peer);
    }

    private void consumeResponse(byte[] msg, InetSocketAddress source, Endpoint src) {
        IndexTable.Entry entry = device.indexTable.lookup(Bytes.getIntLE(msg, Messages.RESPONSE_RECEIVER_OFFSET));
        if (entry == null || entry.keypair != null) {
            reject(Reason.WRONG_INDEX, src);
            return;
        }
        Peer peer = entry.peer;
        Reason r;
        synchronized (peer.handshakeLock) {
            HandshakeSlot slot = peer.initiator;
            r = slot.owns(entry) ? slot.handshake.consumeResponse(msg, 0, msg.length) : Reason.WRONG_INDEX;
            if (r == Reason.ACCEPTED) {
                SessionKeys keys = slot.handshake.beginSession();
                peer.installSessionLocked(slot, keys);
            }
        }
        if (r != Reason.ACCEPTED) {
            reject(r, src);
            return;
        }
        authenticated(peer, msg.length, source);
        debug("{0} - Received handshake response from {1}", peer, src);
        peer.timers.sessionDerived();
        peer.timers.handshakeComplete();
        // Sends what waited for this session, or a keepalive that confirms it to the responder.
        device.sender.sendKeepalive(peer);
    }

    private void consumeCookieReply(byte[] msg) {
        IndexTable.Entry entry = device.indexTable.lookup(Bytes.getIntLE(msg, Messages.RECEIVER_OFFSET));
        if (entry == null) {
            reject(Reason.WRONG_INDEX, null);
            return;
        }
        Reason r = entry.peer.cookieGenerator.consumeReply(msg, 0, msg.length, device.clock.nanoTime());
        if (r != Reason.ACCEPTED) {
            reject(r, null);
        }
    }

    private void authenticated(Peer peer, int len, InetSocketAddress source) {
        peer.addRx(len);
        peer.updateEndpointFrom(source);
        peer.timers.anyAuthenticatedPacketReceived();
        peer.timers.anyAuthenticatedPacketTraversal();
    }

    private static void debug(String format, Object... args) {
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(System.Logger.Level.DEBUG, format, args);
        }
    }

    private void reject(Reason r, Endpoint src) {
        device.stats.handshakeRejected.increment();
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(System.Logger.Level.DEBUG, "handshake message from {0} dropped: {1}", src, r);
        }
    }

    /** True when no handshake message waits or is being handled (tests wait for this). */
    boolean idle() {
        return pending.get() == 0;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
