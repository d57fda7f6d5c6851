// SPDX-License-Identifier: MIT
package io.jwg.core;

import io.jwg.core.transport.DatagramReceiver;
import io.jwg.noise.Messages;
import io.jwg.noise.MessageType;
import io.jwg.noise.Protocol;
import io.jwg.noise.crypto.Aead;
import io.jwg.tun.TunClosedException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Everything a device receives (the kernel's receive.c), fed by the bind in batches:
 *
 * <ol>
 *   <li>classify by type word and length; anything else is dropped silently;
 *   <li>handshake messages are copied to the {@link HandshakeQueue} (Diffie-Hellman happens there);
 *   <li>transport messages: find the keypair by receiver index, check its age, decrypt in place,
 *       check the counter against the replay window (only after it authenticated), confirm a
 *       responder's next session, roam the endpoint, drive the timers, check that the inner
 *       packet's source belongs to this peer (cryptokey routing), and queue it for the TUN;
 *   <li>at the end of the batch, write the queued packets to the TUN in one call.
 * </ol>
 *
 * Runs on the bind's receive thread; a bad datagram is counted and dropped, never thrown.
 */
final class Receiver implements DatagramReceiver {
    private static final System.Logger LOG = System.getLogger(Receiver.class.getName());
    private static final int MAX_BATCH = 128;

    private final Device device;
    private final ByteBuffer[] tunBufs = new ByteBuffer[MAX_BATCH];
    private final int[] tunOffs = new int[MAX_BATCH];
    private final int[] tunLens = new int[MAX_BATCH];
    private int tunCount;

    Receiver(Device device) {
        this.device = device;
    }

    @Override
    public void receive(ByteBuffer buf, int off, int len, InetSocketAddress source) {
        try {
            MessageType type = MessageType.classify(buf, off, len);
            if (type == null) {
                device.stats.invalidMessages.increment();
            } else if (type == MessageType.TRANSPORT) {
                receiveTransport(buf, off, len, source);
            } else {
                device.handshakeQueue.offer(type, buf, off, len, source);
            }
        } catch (RuntimeException e) {
            // A bug must not take the receive thread down with it; say so loudly.
            device.stats.internalErrors.increment();
            LOG.log(System.Logger.Level.ERROR, "unexpected failure handling a datagram", e);
        }
    }

    private void receiveTransport(ByteBuffer buf, int off, int len, InetSocketAddress source) {
        IndexTable.Entry entry = device.indexTable.lookup(Le.getInt(buf, off + Messages.RECEIVER_OFFSET));
        Keypair k = entry == null ? null : entry.keypair;
        long now = device.clock.nanoTime();
        if (k == null || !k.canReceive(now, device.timings)) {
            device.stats.unknownIndex.increment();
            return;
        }
        long counter = Le.getLong(buf, off + Messages.COUNTER_OFFSET);
        if (Long.compareUnsigned(counter, Protocol.REJECT_AFTER_MESSAGES) >= 0) {
            device.stats.replayed.increment();
            return;
        }
        int data = off + Messages.TRANSPORT_HEADER_SIZE;
        int sealed = len - Messages.TRANSPORT_HEADER_SIZE;
        if (!k.receiveCipher.open(counter, null, buf, data, sealed, buf, data)) {
            device.stats.decryptionFailed.increment();
            return;
        }
        if (!k.replay.accept(counter)) {
            device.stats.replayed.increment();
            return;
        }
        Peer peer = k.peer;
        if (peer.isRemoved()) {
            return;
        }
        if (peer.keypairs.receivedWith(k)) {
            // The initiator used the session we answered with: our handshake is complete.
            peer.timers.handshakeComplete();
            device.sender.sendStaged(peer);
        }
        keepKeyFresh(peer, now);
        peer.updateEndpointFrom(source);
        peer.addRx(len);
        peer.timers.anyAuthenticatedPacketReceived();
        peer.timers.anyAuthenticatedPacketTraversal();
        int plain = sealed - Aead.TAG_SIZE;
        if (plain == 0) {
            return; // keepalive
        }
        peer.timers.dataReceived();
        int ipLen = IpPacket.claimedLength(buf, data, plain);
        if (ipLen < 0 || !allowedSource(peer, buf, data)) {
            device.stats.disallowedSource.increment();
            return;
        }
        if (tunCount == MAX_BATCH) {
            endOfBatch();
        }
        tunBufs[tunCount] = buf;
        tunOffs[tunCount] = data;
        tunLens[tunCount] = ipLen;
        tunCount++;
    }

    /** Cryptokey routing on receive: the packet's source must be one of the sender's allowed IPs. */
    private boolean allowedSource(Peer peer, ByteBuffer buf, int data) {
        int version = (buf.get(data) & 0xff) >>> 4;
        int srcOff = data + (version == 4 ? IpPacket.IPV4_SRC : IpPacket.IPV6_SRC);
        return device.allowedIps.lookup(buf, srcOff, version) == peer;
    }

    /**
     * An initiator receiving on a session close to REJECT_AFTER_TIME starts a new handshake once,
     * so the session is replaced before it dies even if we have nothing to send (kernel:
     * keep_key_fresh on receive).
     */
    private void keepKeyFresh(Peer peer, long now) {
        Keypair current = peer.keypairs.current();
        if (current != null && current.initiator && current.sendingValid() && !peer.sentLastMinuteHandshake
                && now - current.createdNanos > device.timings.rekeyOnReceiveNanos()) {
            peer.sentLastMinuteHandshake = true;
            device.sender.queueHandshakeInitiation(peer, false);
        }
    }

    @Override
    public void endOfBatch() {
        if (tunCount == 0) {
            return;
        }
        try {
            device.tun.write(tunBufs, tunOffs, tunLens, tunCount);
        } catch (TunClosedException e) {
            device.tunClosed();
        } catch (IOException | RuntimeException e) {
            device.stats.tunWriteErrors.add(tunCount);
            LOG.log(System.Logger.Level.DEBUG, "TUN write failed: {0}", e.toString());
        } finally {
            for (int i = 0; i < tunCount; i++) {
                tunBufs[i] = null;
            }
            tunCount = 0;
        }
    }
}
