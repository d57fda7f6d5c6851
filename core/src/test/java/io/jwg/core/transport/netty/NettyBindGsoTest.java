// SPDX-License-Identifier: MIT
package io.jwg.core.transport.netty;

import static io.jwg.core.transport.netty.TestDatagrams.V4;
import static io.jwg.core.transport.netty.TestDatagrams.V6;
import static io.jwg.core.transport.netty.TestDatagrams.expected;
import static io.jwg.core.transport.netty.TestDatagrams.fill;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jwg.core.transport.Endpoint;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Batch sends through UDP GSO ({@link UdpGso}) and receives through UDP GRO, on loopback: the
 * receiver sees exactly the separate datagrams that were sent, in order and with their contents,
 * whatever mix of sizes a batch has, on the bind's recvmmsg thread and on Netty's read path alike; the per-datagram fallback (asked for, or forced by a kernel
 * that refuses segmentation) delivers the same.
 */
class NettyBindGsoTest {
    private final List<NettyBind> binds = new ArrayList<>();

    @AfterEach
    void closeBinds() {
        binds.forEach(NettyBind::close);
    }

    private NettyBind newBind(boolean gso, boolean gro) {
        return newBind(gso, gro, true);
    }

    private NettyBind newBind(boolean gso, boolean gro, boolean recvmmsgThread) {
        NettyBind b = new NettyBind(1, gso, gro, recvmmsgThread);
        binds.add(b);
        return b;
    }

    /** Sends {@code lens.length} datagrams (datagram i is expected(i, lens[i])) as one batch, each in its own buffer. */
    private static void sendBatch(NettyBind from, int[] lens, Endpoint to) throws Exception {
        int n = lens.length;
        ByteBuffer[] bufs = new ByteBuffer[n];
        int[] offs = new int[n];
        for (int i = 0; i < n; i++) {
            bufs[i] = ByteBuffer.allocateDirect(16 + lens[i]);
            offs[i] = 16; // not at the buffer's start, as the TUN reader's datagrams
            bufs[i].put(16, expected(i, lens[i]));
        }
        from.send(bufs, offs, lens, n, to);
    }

    private static void assertArrived(int[] lens, List<RecordingReceiver.Datagram> got, InetAddress from,
            int fromPort) {
        assertEquals(lens.length, got.size());
        for (int i = 0; i < lens.length; i++) {
            assertArrayEquals(expected(i, lens[i]), got.get(i).data(), "datagram " + i);
            // Each datagram reports its own source, as roaming needs (IPv4 unmapped).
            assertEquals(new InetSocketAddress(from, fromPort), got.get(i).source(), "source of datagram " + i);
        }
    }

    static int[] sizes(String which) {
        return switch (which) {
            case "equal" -> IntStream.range(0, 20).map(i -> 1000).toArray();
            case "shorterLast" -> IntStream.range(0, 20).map(i -> i == 19 ? 333 : 1000).toArray();
            // 150 datagrams: several runs of at most 64 segments and 65507 bytes each
            case "many" -> IntStream.range(0, 150).map(i -> i == 149 ? 17 : 1200).toArray();
            case "mixed" -> new int[] {500, 500, 1000, 1000, 200, 1400, 1400, 1400, 100, 50, 50, 1420, 32, 32, 1420};
            case "single" -> new int[] {1000};
            default -> throw new IllegalArgumentException(which);
        };
    }

    /** Receiving on the bind's recvmmsg thread and, as where it is unavailable, on Netty's read path. */
    private void sendAndCheck(String which, InetAddress dst, boolean gso, boolean gro) throws Exception {
        sendAndCheck(which, dst, gso, gro, true);
        sendAndCheck(which, dst, gso, gro, false);
    }

    private void sendAndCheck(String which, InetAddress dst, boolean gso, boolean gro, boolean recvmmsgThread)
            throws Exception {
        NettyBind a = newBind(gso, false);
        NettyBind b = newBind(false, gro, recvmmsgThread);
        RecordingReceiver atB = new RecordingReceiver();
        int portA = a.open(0, new RecordingReceiver());
        int portB = b.open(0, atB);
        assertEquals(gso, a.usesGso(), "GSO in use");
        assertEquals(gro, b.usesGro(), "GRO in use");
        assertEquals(recvmmsgThread, b.usesRecvmmsg(), "receive path");
        int[] lens = sizes(which);
        sendBatch(a, lens, Endpoint.of(dst, portB));
        assertArrived(lens, atB.await(lens.length), dst, portA);
        assertEquals(gso, a.usesGso(), "GSO still in use after the batch");
        assertEquals(0, a.sendDrops());
    }

    @ParameterizedTest
    @ValueSource(strings = {"equal", "shorterLast", "many", "mixed", "single"})
    void aSegmentedBatchArrivesAsTheSeparateDatagramsOverIpv4(String which) throws Exception {
        sendAndCheck(which, V4, true, false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"equal", "shorterLast", "many", "mixed"})
    void aSegmentedBatchArrivesAsTheSeparateDatagramsOverIpv6(String which) throws Exception {
        sendAndCheck(which, V6, true, false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"equal", "shorterLast", "many", "mixed"})
    void groSplitsCoalescedDatagramsBackApartOverIpv4(String which) throws Exception {
        sendAndCheck(which, V4, true, true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"equal", "shorterLast", "many", "mixed"})
    void groSplitsCoalescedDatagramsBackApartOverIpv6(String which) throws Exception {
        sendAndCheck(which, V6, true, true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"shorterLast", "many", "mixed"})
    void withoutOffloadsTheSameDatagramsArrive(String which) throws Exception {
        sendAndCheck(which, V4, false, false);
        sendAndCheck(which, V6, false, false);
    }

    @Test
    void aPlainSocketReceivesTheSegmentsSeparately() throws Exception {
        NettyBind a = newBind(true, false);
        a.open(0, new RecordingReceiver());
        try (DatagramSocket plain = new DatagramSocket(new InetSocketAddress(V4, 0))) {
            plain.setSoTimeout(10_000);
            int[] lens = sizes("shorterLast");
            sendBatch(a, lens, Endpoint.of(V4, plain.getLocalPort()));
            byte[] buf = new byte[65536];
            for (int i = 0; i < lens.length; i++) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                plain.receive(p);
                assertEquals(lens[i], p.getLength(), "datagram " + i);
                assertArrayEquals(expected(i, lens[i]), java.util.Arrays.copyOf(buf, p.getLength()));
                assertEquals(a.port(), p.getPort());
            }
        }
    }

    @Test
    void aKernelThatRefusesSegmentationGetsEveryDatagramSeparatelyAndGsoIsGivenUp() throws Exception {
        NettyBind a = newBind(true, false);
        NettyBind b = newBind(false, false);
        RecordingReceiver atB = new RecordingReceiver();
        int portA = a.open(0, new RecordingReceiver());
        int portB = b.open(0, atB);
        // Without UDP checksums the kernel answers every segmented send with EINVAL.
        TestLibc.setsockopt(a.fd(), TestLibc.SOL_SOCKET, TestLibc.SO_NO_CHECK, new int[] {1}, 4);
        int[] lens = sizes("shorterLast");
        int rounds = BatchSends.REFUSALS_BEFORE_GIVING_UP + 2;
        for (int r = 0; r < rounds; r++) {
            sendBatch(a, lens, Endpoint.of(V4, portB));
        }
        List<RecordingReceiver.Datagram> got = atB.await(rounds * lens.length);
        for (int r = 0; r < rounds; r++) {
            assertArrived(lens, got.subList(r * lens.length, (r + 1) * lens.length), V4, portA);
        }
        assertFalse(a.usesGso(), "GSO given up after repeated refusals");
        assertEquals(0, a.sendErrors());
    }

    @Test
    void anIpv4OnlySocketSendsAndReceivesSegmentedBatchesToo() throws Exception {
        // Where IPv6 is off the socket is AF_INET: a plain sockaddr_in, no v4-mapped address.
        try (PrivateNetns ns = PrivateNetns.create()) {
            ns.disableIpv6();
            NettyBind a = newBind(true, false);
            NettyBind b = newBind(false, true);
            RecordingReceiver atB = new RecordingReceiver();
            int portA = ns.call(() -> a.open(0, new RecordingReceiver()));
            int portB = ns.call(() -> b.open(0, atB));
            assertFalse(a.isDualStack());
            assertTrue(a.usesGso());
            assertTrue(b.usesGro());
            int[] lens = sizes("many");
            sendBatch(a, lens, Endpoint.of(V4, portB));
            assertArrived(lens, atB.await(lens.length), V4, portA);
            assertTrue(a.usesGso());
            a.close();
            b.close();
        }
    }

    @Test
    void groIsSetOnTheSocketOnlyWhenAskedFor() throws Exception {
        NettyBind on = newBind(true, true);
        NettyBind off = newBind(true, false);
        on.open(0, new RecordingReceiver());
        off.open(0, new RecordingReceiver());
        assertEquals(1, TestLibc.intOption(on.fd(), TestLibc.SOL_UDP, TestLibc.UDP_GRO));
        assertEquals(0, TestLibc.intOption(off.fd(), TestLibc.SOL_UDP, TestLibc.UDP_GRO));
    }

    @Test
    void aSegmentedBatchSendAllocatesNothing() throws Exception {
        NettyBind a = newBind(true, false);
        NettyBind b = newBind(false, false);
        a.open(0, new RecordingReceiver());
        int portB = b.open(0, new io.jwg.core.transport.DatagramReceiver() {
            @Override
            public void receive(ByteBuffer buf, int off, int len, InetSocketAddress source) {
            }

            @Override
            public void endOfBatch() {
            }
        });
        assumeTrue(a.usesGso());
        int n = 45;
        ByteBuffer[] bufs = new ByteBuffer[n];
        int[] offs = new int[n];
        int[] lens = new int[n];
        for (int i = 0; i < n; i++) {
            bufs[i] = ByteBuffer.allocateDirect(1500);
            offs[i] = 16;
            lens[i] = i == n - 1 ? 200 : 1400;
            fill(bufs[i], i, 1400);
        }
        Endpoint to = Endpoint.of(V4, portB);
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 2; round++) { // the first round warms up (class loading, caches)
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 256; i++) {
                a.send(bufs, offs, lens, n, to);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (round == 1) {
                assertTrue(allocated < 4096, "256 batch sends allocated " + allocated + " bytes");
            }
        }
        assertTrue(a.usesGso());
    }
}
