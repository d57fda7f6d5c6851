// SPDX-License-Identifier: MIT
package io.jwg.core;

import io.jwg.tun.PacketBuffers;
import io.jwg.tun.Tun;
import io.jwg.tun.TunClosedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The outbound loop (the kernel's xmit and wireguard-go's RoutineReadFromTUN): reads batches of
 * packets from the TUN into reused direct buffers, routes each by destination address through
 * the allowed-IPs table (cryptokey routing, whitepaper section 2) and hands it to the
 * {@link Sender}, which seals it in place into a {@link SendBatch}; the batch is flushed (sent)
 * at the end of each read, so one read's packets for one peer leave in one batch send. A packet
 * no peer owns is dropped. Runs on its own
 * thread until the TUN closes.
 */
final class TunReader implements Runnable {
    private static final System.Logger LOG = System.getLogger(TunReader.class.getName());
    /** Largest IP packet plus the transport header in front and padding and tag behind. */
    static final int BUFFER_SIZE = Sender.HEADROOM + 65535 + Sender.TAILROOM;

    private final Device device;
    private final Tun tun;
    /** Packets read and fully routed; written once per batch (tests compare it with what they injected). */
    private volatile long routed;

    TunReader(Device device, Tun tun) {
        this.device = device;
        this.tun = tun;
    }

    @Override
    public void run() {
        int batch = Math.max(1, tun.batchSize());
        // Untouched until used: a batch of 64 KiB buffers costs resident memory only for its packets.
        ByteBuffer[] bufs = PacketBuffers.allocate(batch, BUFFER_SIZE, ByteOrder.LITTLE_ENDIAN);
        int[] sizes = new int[batch];
        SendBatch sendBatch = new SendBatch(batch);
        int consecutiveErrors = 0;
        while (!device.isClosed()) {
            int n;
            try {
                n = tun.read(bufs, sizes, Sender.HEADROOM);
                consecutiveErrors = 0;
            } catch (TunClosedException e) {
                device.tunClosed();
                return;
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "TUN read failed: {0}", e.toString());
                if (++consecutiveErrors > 100) {
                    // A TUN that fails every read is broken for good; don't spin.
                    device.tunClosed();
                    return;
                }
                continue;
            }
            for (int i = 0; i < n; i++) {
                route(bufs[i], Sender.HEADROOM, sizes[i], sendBatch);
            }
            device.sender.flush(sendBatch);
            routed += n; // one writer: this thread
        }
    }

    long routed() {
        return routed;
    }

    private void route(ByteBuffer buf, int off, int len, SendBatch sendBatch) {
        int version = IpPacket.version(buf, off, len);
        Peer peer;
        if (version == 4 && len >= IpPacket.IPV4_HEADER) {
            peer = device.allowedIps.lookup(buf, off + IpPacket.IPV4_DST, 4);
        } else if (version == 6 && len >= IpPacket.IPV6_HEADER) {
            peer = device.allowedIps.lookup(buf, off + IpPacket.IPV6_DST, 6);
        } else {
            device.stats.invalidMessages.increment();
            return;
        }
        if (peer == null || !device.isUp()) {
            device.stats.noRoute.increment();
            return;
        }
        device.sender.sendData(peer, buf, off, len, sendBatch);
    }
}
