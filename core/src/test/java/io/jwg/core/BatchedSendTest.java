// SPDX-License-Identifier: MIT
package io.jwg.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.transport.Bind;
import io.jwg.core.transport.DatagramReceiver;
import io.jwg.core.transport.Endpoint;
import io.jwg.core.transport.netty.NettyBind;
import io.jwg.noise.PrivateKey;
import io.jwg.tun.memory.MemoryTun;
import io.jwg.tun.memory.Ping;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The TUN reader's send batching end to end, over real UDP on loopback (so through UDP GSO where
 * the kernel has it): a TUN read of many packets for one peer leaves in few batch sends, every
 * packet arrives once and in order (counter order: the replay window would drop stragglers), and
 * the peer's transfer counter is the sum of the datagrams.
 */
class BatchedSendTest {
    private static final int PACKETS = 300;
    private static final int TUN_BATCH = 64;

    /** Counts batch sends and holds the first data batch until the test has queued its burst. */
    private static final class GatedBind implements Bind {
        final NettyBind inner = new NettyBind();
        final CountDownLatch firstBatch = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicLong batches = new AtomicLong();
        final AtomicLong batchedDatagrams = new AtomicLong();
        final AtomicLong batchedBytes = new AtomicLong();
        volatile boolean gate;

        @Override
        public int open(int port, DatagramReceiver receiver) throws IOException {
            return inner.open(port, receiver);
        }

        @Override
        public void send(ByteBuffer buf, int off, int len, Endpoint to) throws IOException {
            inner.send(buf, off, len, to);
        }

        @Override
        public void send(ByteBuffer[] bufs, int[] offs, int[] lens, int count, Endpoint to) throws IOException {
            if (gate) {
                gate = false;
                firstBatch.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            batches.incrementAndGet();
            batchedDatagrams.addAndGet(count);
            for (int i = 0; i < count; i++) {
                batchedBytes.addAndGet(lens[i]);
            }
            inner.send(bufs, offs, lens, count, to);
        }

        @Override
        public void setMark(int mark) throws IOException {
            inner.setMark(mark);
        }

        @Override
        public int port() {
            return inner.port();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    @Test
    void aBurstLeavesInBatchesAndArrivesWholeAndInOrder() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        InetAddress tunA = InetAddress.getByName("10.0.0.1");
        InetAddress tunB = InetAddress.getByName("10.0.0.2");
        SystemRandom random = new SystemRandom();
        PrivateKey keyA = PrivateKey.generate(random);
        PrivateKey keyB = PrivateKey.generate(random);
        MemoryTun memA = new MemoryTun("wgA", 1420, 1024, TUN_BATCH);
        MemoryTun memB = new MemoryTun("wgB", 1420, 1024, TUN_BATCH);
        GatedBind bindA = new GatedBind();
        try (Device a = Device.create(memA, bindA, DeviceOptions.defaults());
                Device b = Device.create(memB, new NettyBind(), DeviceOptions.defaults())) {
            b.apply(DeviceConfig.builder().privateKey(keyB).listenPort(0)
                    .peer(PeerConfig.builder(keyA.publicKey()).allowedIp("10.0.0.1/32").build())
                    .build());
            b.up();
            a.apply(DeviceConfig.builder().privateKey(keyA).listenPort(0)
                    .peer(PeerConfig.builder(keyB.publicKey())
                            .endpoint(Endpoint.of(loopback, b.state().listenPort()))
                            .allowedIp("10.0.0.2/32")
                            .build())
                    .build());
            a.up();
            // A first packet brings up the session.
            assertTrue(memA.inject(Ping.echoRequest(tunA, tunB, 1, 0, new byte[8])));
            assertNotNull(memB.poll(10, TimeUnit.SECONDS), "the session came up");
            // A counts a datagram after sending it, so B may hand the first packet over before
            // A's count has it: wait until A has counted all that B received (handshake included).
            long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (a.state().peers().get(0).txBytes() != b.state().peers().get(0).rxBytes()
                    && System.nanoTime() < settle) {
                Thread.sleep(1);
            }
            long txBefore = a.state().peers().get(0).txBytes();
            assertEquals(b.state().peers().get(0).rxBytes(), txBefore, "A counted what B received");
            long bytesBefore = bindA.batchedBytes.get();
            long datagramsBefore = bindA.batchedDatagrams.get();
            long batchesBefore = bindA.batches.get();

            bindA.gate = true;
            assertTrue(memA.inject(Ping.echoRequest(tunA, tunB, 1, 1, new byte[1000])));
            assertTrue(bindA.firstBatch.await(10, TimeUnit.SECONDS));
            for (int seq = 2; seq <= PACKETS; seq++) {
                // Mostly full-sized, some short: runs of equal size with shorter ends.
                int size = seq % 7 == 0 ? 40 + seq : 1000;
                assertTrue(memA.inject(Ping.echoRequest(tunA, tunB, 1, seq, new byte[size])));
            }
            bindA.release.countDown();

            for (int seq = 1; seq <= PACKETS; seq++) {
                byte[] p = memB.poll(10, TimeUnit.SECONDS);
                assertNotNull(p, "packet " + seq + " arrived");
                assertEquals(seq, Ping.parse(p).sequence(), "in order");
            }
            long batches = bindA.batches.get() - batchesBefore;
            long datagrams = bindA.batchedDatagrams.get() - datagramsBefore;
            assertEquals(PACKETS, datagrams, "every packet went out through a batch send");
            assertTrue(batches <= 2 + PACKETS / TUN_BATCH + 1, batches + " batch sends for " + PACKETS + " packets");
            long tx = a.state().peers().get(0).txBytes() - txBefore;
            assertEquals(bindA.batchedBytes.get() - bytesBefore, tx, "tx counts every datagram byte");
            assertEquals(0, b.stats().replayed.sum() + b.stats().decryptionFailed.sum());
        }
    }
}
