// SPDX-License-Identifier: MIT
package io.jwg.core.transport.netty;

import static io.jwg.core.transport.netty.TestDatagrams.V4;
import static io.jwg.core.transport.netty.TestDatagrams.V6;
import static io.jwg.core.transport.netty.TestDatagrams.awaitQuietly;
import static io.jwg.core.transport.netty.TestDatagrams.direct;
import static io.jwg.core.transport.netty.TestDatagrams.expected;
import static io.jwg.core.transport.netty.TestDatagrams.fill;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.transport.DatagramReceiver;
import io.jwg.core.transport.Endpoint;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * NettyBind's receive batches and its data under load, on loopback: every datagram arrives whole
 * and once, batches are closed and bounded, lent buffers hold until the batch ends, and a
 * throwing receiver costs only its datagram.
 */
class NettyBindBatchTest {
    private final List<NettyBind> binds = new ArrayList<>();

    @AfterEach
    void closeBinds() {
        binds.forEach(NettyBind::close);
    }

    private NettyBind newBind() {
        NettyBind b = new NettyBind();
        binds.add(b);
        return b;
    }

    @Test
    void aBurstOfAThousandDatagramsArrivesIntactInBatches() throws Exception {
        NettyBind a = newBind();
        NettyBind b = newBind();
        CountDownLatch firstSeen = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RecordingReceiver atB = new RecordingReceiver() {
            @Override
            public void receive(ByteBuffer buf, int off, int len, InetSocketAddress source) {
                super.receive(buf, off, len, source);
                if (firstSeen.getCount() == 1) {
                    // Hold the event loop so the rest queue up in the socket: the next read
                    // cycle must then deliver many datagrams in one batch.
                    firstSeen.countDown();
                    awaitQuietly(release);
                }
            }
        };
        a.open(0, new RecordingReceiver());
        int portB = b.open(0, atB);
        Endpoint to = Endpoint.of(V4, portB);
        ByteBuffer buf = ByteBuffer.allocateDirect(1500);

        for (int i = 0; i < 1000; i++) {
            int len = 100 + i % 1300;
            fill(buf, i, len);
            a.send(buf, 0, len, to);
            if (i == 0) {
                assertTrue(firstSeen.await(10, TimeUnit.SECONDS));
            }
        }
        release.countDown();

        List<RecordingReceiver.Datagram> got = atB.await(1000);
        assertEquals(1000, got.size());
        for (int i = 0; i < 1000; i++) {
            assertArrayEquals(expected(i, 100 + i % 1300), got.get(i).data(), "datagram " + i);
        }
        List<Integer> batches = atB.batchSizes();
        assertEquals(1000, batches.stream().mapToInt(Integer::intValue).sum(), "every datagram was in a closed batch");
        assertTrue(batches.stream().anyMatch(n -> n > 1), "queued datagrams came as one batch: " + batches);
        assertTrue(batches.stream().allMatch(n -> n <= NettyBind.MAX_BATCH), "batches are bounded: " + batches);
        assertEquals(0, a.sendDrops());
    }

    @Test
    void lentDatagramsStayIntactUntilEndOfBatch() throws Exception {
        NettyBind a = newBind();
        NettyBind b = newBind();
        CountDownLatch firstSeen = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> checked = new ArrayList<>();
        CountDownLatch allChecked = new CountDownLatch(1);
        DatagramReceiver holdsBatch = new DatagramReceiver() {
            private final List<ByteBuffer> views = new ArrayList<>();
            private final List<int[]> spans = new ArrayList<>();
            private boolean first = true;

            @Override
            public void receive(ByteBuffer buf, int off, int len, InetSocketAddress source) {
                // Decrypt-in-place stand-in: move position and limit, change the bytes.
                buf.limit(off + len).position(off);
                buf.put(off, (byte) Character.toUpperCase(buf.get(off)));
                views.add(buf);
                spans.add(new int[] {off, len});
                if (first) {
                    first = false;
                    firstSeen.countDown();
                    awaitQuietly(release);
                }
            }

            @Override
            public void endOfBatch() {
                for (int i = 0; i < views.size(); i++) {
                    byte[] copy = new byte[spans.get(i)[1]];
                    views.get(i).get(spans.get(i)[0], copy);
                    checked.add(new String(copy));
                }
                views.clear();
                spans.clear();
                if (checked.size() == 21) {
                    allChecked.countDown();
                }
            }
        };
        a.open(0, new RecordingReceiver());
        int portB = b.open(0, holdsBatch);
        Endpoint to = Endpoint.of(V4, portB);

        a.send(direct("datagram-00"), 0, 11, to);
        assertTrue(firstSeen.await(10, TimeUnit.SECONDS));
        for (int i = 1; i <= 20; i++) {
            a.send(direct(String.format("datagram-%02d", i)), 0, 11, to);
        }
        release.countDown();

        assertTrue(allChecked.await(10, TimeUnit.SECONDS), "checked " + checked);
        for (int i = 0; i <= 20; i++) {
            assertEquals(String.format("Datagram-%02d", i), checked.get(i), "read back at end of its batch");
        }
    }

    @Test
    void everyDatagramSizeUpToTheUdpMaximumArrivesWhole() throws Exception {
        NettyBind a = newBind();
        NettyBind b = newBind();
        RecordingReceiver atB = new RecordingReceiver();
        a.open(0, new RecordingReceiver());
        int portB = b.open(0, atB);
        ByteBuffer buf = ByteBuffer.allocateDirect(65527);
        List<Integer> sizes = new ArrayList<>();
        for (int len = 1; len < 65507; len += 509) {
            sizes.add(len);
        }
        sizes.addAll(List.of(1419, 1420, 1421, 1500, 65506, 65507));

        for (int i = 0; i < sizes.size(); i++) {
            fill(buf, i, sizes.get(i));
            a.send(buf, 0, sizes.get(i), Endpoint.of(V4, portB));
        }
        // 65507 is the IPv4 limit (65535 - 20 - 8); IPv6 carries up to 65527 (65535 - 8).
        fill(buf, sizes.size(), 65527);
        a.send(buf, 0, 65527, Endpoint.of(V6, portB));

        List<RecordingReceiver.Datagram> got = atB.await(sizes.size() + 1);
        for (int i = 0; i < sizes.size(); i++) {
            assertArrayEquals(expected(i, sizes.get(i)), got.get(i).data(), "size " + sizes.get(i));
        }
        assertArrayEquals(expected(sizes.size(), 65527), got.get(sizes.size()).data(), "IPv6 maximum");
    }

    @Test
    void sendsFromFourThreadsAtOnceAllArrive() throws Exception {
        NettyBind a = newBind();
        NettyBind b = newBind();
        RecordingReceiver atB = new RecordingReceiver();
        a.open(0, new RecordingReceiver());
        int portB = b.open(0, atB);
        int perThread = 250;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    ByteBuffer buf = ByteBuffer.allocateDirect(8);
                    Endpoint to = Endpoint.of(thread % 2 == 0 ? V4 : V6, portB);
                    for (int i = 0; i < perThread; i++) {
                        buf.putInt(0, thread).putInt(4, i);
                        a.send(buf, 0, 8, to);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        Set<Long> seen = new HashSet<>();
        for (RecordingReceiver.Datagram d : atB.await(4 * perThread)) {
            seen.add(ByteBuffer.wrap(d.data()).getLong());
        }
        assertEquals(4 * perThread, seen.size(), "every (thread, sequence) pair arrived once");
        assertEquals(0, a.sendDrops() + a.sendErrors());
    }

    @Test
    void aReceiverThatThrowsDoesNotStopDelivery() throws Exception {
        NettyBind a = newBind();
        NettyBind b = newBind();
        RecordingReceiver recorder = new RecordingReceiver();
        DatagramReceiver flaky = new DatagramReceiver() {
            @Override
            public void receive(ByteBuffer buf, int off, int len, InetSocketAddress source) {
                if (buf.get(off) == 'X') {
                    throw new IllegalStateException("malformed on purpose");
                }
                recorder.receive(buf, off, len, source);
            }

            @Override
            public void endOfBatch() {
                recorder.endOfBatch();
            }
        };
        a.open(0, new RecordingReceiver());
        int portB = b.open(0, flaky);
        Endpoint to = Endpoint.of(V4, portB);

        a.send(direct("Xbad"), 0, 4, to);
        a.send(direct("good1"), 0, 5, to);
        a.send(direct("Xbad"), 0, 4, to);
        a.send(direct("good2"), 0, 5, to);

        List<RecordingReceiver.Datagram> got = recorder.await(2);
        assertArrayEquals("good1".getBytes(), got.get(0).data());
        assertArrayEquals("good2".getBytes(), got.get(1).data());
        assertEquals(2, b.receiverFailures());
    }
}
