// SPDX-License-Identifier: MIT
package io.jwg.core;

import io.jwg.core.transport.Endpoint;
import io.jwg.noise.Messages;
import io.jwg.noise.MessageType;
import io.jwg.noise.Protocol;
import io.jwg.noise.SessionKeys;
import io.jwg.noise.crypto.Aead;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Everything a device sends (the kernel's send.c):
 *
 * <ol>
 *   <li>data: a packet from the TUN, already routed to its peer, is sealed in place into a
 *       transport message (type 4) under the peer's current keypair and joins a {@link SendBatch};
 *       the batch leaves in one batch send (UDP GSO where the bind has it) when the TUN read is
 *       done or the next packet goes elsewhere; without a usable session it is staged and a
 *       handshake is queued;
 *   <li>staged packets and keepalives (an empty transport message) go out once a session exists;
 *   <li>handshake initiations (rate-limited to one per REKEY_TIMEOUT), responses and cookie replies.
 * </ol>
 *
 * Threads: data comes from the TUN reader thread; staged packets, keepalives and handshakes from
 * the timer and handshake threads. Counters are atomic, so senders never share a nonce; staged
 * packets drain under the peer's staged-queue order. Nothing here throws per packet.
 */
final class Sender {
    private static final System.Logger LOG = System.getLogger(Sender.class.getName());
    /** Room kept in front of every packet for the transport header, so sealing is in place. */
    static final int HEADROOM = Messages.TRANSPORT_HEADER_SIZE;
    /** Room needed after a packet: padding to 16 and the tag. */
    static final int TAILROOM = Protocol.PADDING_MULTIPLE - 1 + Aead.TAG_SIZE;

    private final Device device;

    Sender(Device device) {
        this.device = device;
    }

    /**
     * Seals one packet that lies at {@code buf[off, off+len)} with HEADROOM bytes free before it
     * and TAILROOM after, and adds it to {@code batch}; the buffer is borrowed (sealed in place)
     * until the batch is flushed. The batch is flushed first when this packet cannot join it
     * (another peer, keypair or endpoint, or the packet must be staged), so each peer's datagrams
     * leave in counter order. The caller flushes at the end of its TUN read.
     */
    void sendData(Peer peer, ByteBuffer buf, int off, int len, SendBatch batch) {
        long now = device.clock.nanoTime();
        Keypair k = peer.keypairs.current();
        Endpoint ep = peer.endpoint();
        if (!batch.accepts(peer, k, ep)) {
            flush(batch);
        }
        if (k == null || ep == null || peer.hasStaged()) {
            flush(batch);
            peer.stage(copyForStaging(buf, off, len));
            sendStaged(peer);
            return;
        }
        long counter = k.nextSendCounter(now, device.timings);
        if (counter < 0) {
            flush(batch);
            peer.stage(copyForStaging(buf, off, len));
            queueHandshakeInitiation(peer, false);
            return;
        }
        int datagram = seal(k, counter, buf, off - HEADROOM, len);
        batch.add(peer, k, ep, buf, off - HEADROOM, datagram, counter, len > 0, now);
    }

    /** Sends the datagrams of {@code batch} in one batch send, counts them and empties it. */
    void flush(SendBatch batch) {
        if (batch.count == 0) {
            return;
        }
        Peer peer = batch.peer;
        // Timer hooks run before the datagrams leave: the answer may be handled before send returns.
        peer.timers.anyAuthenticatedPacketTraversal();
        peer.timers.anyAuthenticatedPacketSent();
        if (batch.carriesData) {
            peer.timers.dataSent();
        }
        try {
            device.bind.send(batch.bufs, batch.offs, batch.lens, batch.count, batch.endpoint);
            peer.addTx(batch.bytes);
        } catch (IOException | RuntimeException e) {
            device.stats.sendErrors.increment();
            if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                LOG.log(System.Logger.Level.DEBUG, "{0}: failed to send {1} datagrams to {2}: {3}", peer,
                        batch.count, batch.endpoint, e.toString());
            }
        }
        keepKeyFresh(peer, batch.keypair, batch.lastCounter, batch.nowNanos);
        batch.clear();
    }

    /** Sends an empty transport message, unless staged packets go out anyway (kernel: send_keepalive). */
    void sendKeepalive(Peer peer) {
        if (!peer.hasStaged()) {
            peer.stage(ByteBuffer.allocate(HEADROOM + TAILROOM).order(ByteOrder.LITTLE_ENDIAN).limit(HEADROOM));
        }
        sendStaged(peer);
    }

    /** Sends the staged packets under the current session, or asks for a handshake if there is none. */
    void sendStaged(Peer peer) {
        long now = device.clock.nanoTime();
        Keypair k = peer.keypairs.current();
        Endpoint ep = peer.endpoint();
        if (k == null || ep == null || !k.sendingValid() || !k.canReceive(now, device.timings)) {
            queueHandshakeInitiation(peer, false);
            return;
        }
        boolean sentAny = false;
        long lastCounter = 0;
        synchronized (peer.keypairs) {
            ByteBuffer p;
            while ((p = peer.pollStaged()) != null) {
                long counter = k.nextSendCounter(now, device.timings);
                if (counter < 0) {
                    peer.unpollStaged(p);
                    queueHandshakeInitiation(peer, false);
                    break;
                }
                int plain = p.limit() - HEADROOM;
                p.limit(p.capacity()); // absolute puts of padding and tag are bounded by the limit
                int datagram = seal(k, counter, p, 0, plain);
                // Timer hooks run before the datagram leaves: the answer may be handled before send returns.
                peer.timers.anyAuthenticatedPacketTraversal();
                peer.timers.anyAuthenticatedPacketSent();
                if (plain > 0) {
                    peer.timers.dataSent();
                }
                transmit(peer, p, 0, datagram, ep);
                sentAny = true;
                lastCounter = counter;
            }
        }
        if (sentAny) {
            keepKeyFresh(peer, k, lastCounter, now);
        }
    }

    /**
     * Seals the plaintext at {@code buf[headerOff+16, +plainLen)} in place: pads it with zeros to a
     * multiple of 16 (capped at the MTU, whitepaper section 5.4.6), writes the header, encrypts.
     *
     * @return the length of the transport message from {@code headerOff}
     */
    private int seal(Keypair k, long counter, ByteBuffer buf, int headerOff, int plainLen) {
        int padded = (plainLen + Protocol.PADDING_MULTIPLE - 1) & -Protocol.PADDING_MULTIPLE;
        int mtu = device.mtu();
        if (padded > mtu) {
            padded = Math.max(mtu, plainLen);
        }
        int data = headerOff + HEADROOM;
        for (int i = data + plainLen; i < data + padded; i++) {
            buf.put(i, (byte) 0);
        }
        Le.putInt(buf, headerOff, MessageType.TRANSPORT.code);
        Le.putInt(buf, headerOff + Messages.RECEIVER_OFFSET, k.remoteIndex);
        Le.putLong(buf, headerOff + Messages.COUNTER_OFFSET, counter);
        k.sendCipher.seal(counter, null, buf, data, padded, buf, data);
        return HEADROOM + padded + Aead.TAG_SIZE;
    }

    /**
     * An initiator whose session is getting old asks for a new one before it expires (kernel:
     * keep_key_fresh on send): after REKEY_AFTER_MESSAGES, or after REKEY_AFTER_TIME when we
     * initiated it (only the initiator rekeys by time, so both sides don't at once).
     */
    private void keepKeyFresh(Peer peer, Keypair k, long counter, long now) {
        if (Long.compareUnsigned(counter, Protocol.REKEY_AFTER_MESSAGES) > 0
                || (k.initiator && now - k.createdNanos > device.timings.rekeyAfterTimeNanos())) {
            queueHandshakeInitiation(peer, false);
        }
    }

    private static ByteBuffer copyForStaging(ByteBuffer src, int off, int len) {
        ByteBuffer copy = ByteBuffer.allocate(HEADROOM + len + TAILROOM).order(ByteOrder.LITTLE_ENDIAN);
        copy.put(HEADROOM, src, off, len);
        copy.limit(HEADROOM + len);
        return copy;
    }

    /** Sends a whole datagram and counts it; a failure is logged and the datagram dropped. */
    private void transmit(Peer peer, ByteBuffer buf, int off, int len, Endpoint ep) {
        try {
            device.bind.send(buf, off, len, ep);
            peer.addTx(len);
        } catch (IOException | RuntimeException e) {
            device.stats.sendErrors.increment();
            if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                LOG.log(System.Logger.Level.DEBUG, "{0}: failed to send to {1}: {2}", peer, ep, e.toString());
            }
        }
    }

    // ---- handshakes ------------------------------------------------------------------------

    /**
     * Asks for an initiation on the timer thread: creating one costs Diffie-Hellman work that the
     * data-path threads must not do. At most one request per peer is queued at a time.
     */
    void queueHandshakeInitiation(Peer peer, boolean isRetry) {
        if (peer.isRemoved() || !peer.initiationQueued.compareAndSet(false, true)) {
            return;
        }
        device.scheduler.schedule(() -> {
            peer.initiationQueued.set(false);
            sendHandshakeInitiation(peer, isRetry);
        }, 0);
    }

    /** Creates and sends an initiation unless one went out less than REKEY_TIMEOUT ago. */
    void sendHandshakeInitiation(Peer peer, boolean isRetry) {
        if (peer.isRemoved() || !device.isUp()) {
            return;
        }
        if (!isRetry) {
            peer.timers.resetHandshakeAttempts();
        }
        Endpoint ep = peer.endpoint();
        if (ep == null) {
            return;
        }
        byte[] msg = new byte[Messages.INITIATION_SIZE];
        long now = device.clock.nanoTime();
        synchronized (peer.handshakeLock) {
            if (peer.lastSentHandshakeNanos != Peer.NEVER
                    && now - peer.lastSentHandshakeNanos < device.timings.rekeyTimeoutNanos()) {
                return;
            }
            HandshakeSlot slot = peer.initiator;
            int index = slot.freshIndex(device.indexTable, peer);
            if (!slot.handshake.createInitiation(msg, index, device.clock.now(), device.random)) {
                slot.drop(device.indexTable);
                return;
            }
            peer.cookieGenerator.addMacs(msg, msg.length, now);
            peer.lastSentHandshakeNanos = now;
        }
        peer.timers.anyAuthenticatedPacketTraversal();
        peer.timers.anyAuthenticatedPacketSent();
        // Armed before sending, so that a response handled before send returns finds it to cancel.
        peer.timers.handshakeInitiated();
        debug("{0} - Sending handshake initiation to {1}", peer, ep);
        transmit(peer, ByteBuffer.wrap(msg), 0, msg.length, ep);
    }

    /** Answers an initiation that {@code peer}'s handshake just consumed, and derives the session. */
    void sendHandshakeResponse(Peer peer) {
        byte[] msg = new byte[Messages.RESPONSE_SIZE];
        synchronized (peer.handshakeLock) {
            HandshakeSlot slot = peer.responder;
            int index = slot.freshIndex(device.indexTable, peer);
            if (!slot.handshake.createResponse(msg, index, device.random)) {
                slot.drop(device.indexTable);
                return;
            }
            peer.cookieGenerator.addMacs(msg, msg.length, device.clock.nanoTime());
            SessionKeys keys = slot.handshake.beginSession();
            peer.installSessionLocked(slot, keys);
            peer.lastSentHandshakeNanos = device.clock.nanoTime();
        }
        peer.timers.sessionDerived();
        peer.timers.anyAuthenticatedPacketTraversal();
        peer.timers.anyAuthenticatedPacketSent();
        Endpoint ep = peer.endpoint();
        if (ep != null) {
            debug("{0} - Sending handshake response to {1}", peer, ep);
            transmit(peer, ByteBuffer.wrap(msg), 0, msg.length, ep);
        }
    }

    private static void debug(String format, Object... args) {
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(System.Logger.Level.DEBUG, format, args);
        }
    }

    /** Tells an initiator under load to come back with a cookie (whitepaper section 5.4.7). */
    void sendCookieReply(byte[] msg, int len, Endpoint to) {
        byte[] reply = device.cookieChecker().createReply(msg, len, to.addressBytes(), to.port(),
                device.clock.nanoTime());
        if (reply == null) {
            return;
        }
        try {
            device.bind.send(ByteBuffer.wrap(reply), 0, reply.length, to);
        } catch (IOException | RuntimeException e) {
            device.stats.sendErrors.increment();
        }
    }
}
