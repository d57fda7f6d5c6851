// SPDX-License-Identifier: MIT
package io.jwg.core.transport.netty;

import static io.jwg.core.transport.netty.TestDatagrams.V4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jwg.core.transport.DatagramReceiver;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The bind's own receive thread: steady-state receiving allocates nothing on that thread (the
 * figure the performance issue asks for, read from the JVM's per-thread allocation counter), and
 * the thread goes away with the socket, so that reopening works and no thread is left reading.
 */
class RecvmmsgLoopTest {

    /** Counts datagrams and bytes; allocates nothing itself. */
    private static final class Counting implements DatagramReceiver {
        final AtomicLong datagrams = new AtomicLong();
        final AtomicLong batches = new AtomicLong();
        volatile InetSocketAddress lastSource;

        @Override
        public void receive(ByteBuffer buf, int off, int len, InetSocketAddress source) {
            lastSource = source;
            datagrams.incrementAndGet();
        }

        @Override
        public void endOfBatch() {
            batches.incrementAndGet();
        }
    }

    private static Thread receiveThread() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("jwg-udp-receive")).findFirst().orElse(null);
    }

    private static void sendUntil(DatagramSocket from, int port, Counting counting, long total) throws Exception {
        byte[] payload = new byte[148]; // a transport-data message with 116 bytes of IP inside
        DatagramPacket p = new DatagramPacket(payload, payload.length, new InetSocketAddress(V4, port));
        long deadline = System.nanoTime() + 20_000_000_000L;
        long start = counting.datagrams.get();
        while (counting.datagrams.get() - start < total && System.nanoTime() < deadline) {
            for (int i = 0; i < 64; i++) {
                from.send(p);
            }
            Thread.onSpinWait();
        }
        assertTrue(counting.datagrams.get() - start >= total, "datagrams did not arrive");
    }

    @Test
    void steadyStateReceivingAllocatesNothingOnTheReceiveThread() throws Exception {
        assumeTrue(RecvmmsgLoop.SUPPORTED, "recvmmsg via JNA needs 64-bit Linux");
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "this JVM does not count allocations per thread");
        Counting counting = new Counting();
        try (NettyBind bind = new NettyBind(1, true, true, true);
                DatagramSocket sender = new DatagramSocket(new InetSocketAddress(V4, 0))) {
            int port = bind.open(0, counting);
            assertTrue(bind.usesRecvmmsg());
            sendUntil(sender, port, counting, 50_000); // warm-up: the JIT compiles the loop
            Thread receive = receiveThread();
            assertNotNull(receive, "no jwg-udp-receive thread");
            long before = threads.getThreadAllocatedBytes(receive.threadId());
            long datagramsBefore = counting.datagrams.get();
            sendUntil(sender, port, counting, 100_000);
            long allocated = threads.getThreadAllocatedBytes(receive.threadId()) - before;
            long datagrams = counting.datagrams.get() - datagramsBefore;
            assertEquals(new InetSocketAddress(V4, sender.getLocalPort()), counting.lastSource);
            // Nothing per datagram; a few hundred bytes in all would be noise (a JIT deopt, say).
            assertTrue(allocated < 4096, allocated + " bytes allocated receiving " + datagrams + " datagrams");
        }
    }

    @Test
    void closingStopsTheThreadAndTheSamePortCanBeReopened() throws Exception {
        assumeTrue(RecvmmsgLoop.SUPPORTED, "recvmmsg via JNA needs 64-bit Linux");
        Counting counting = new Counting();
        try (NettyBind bind = new NettyBind(1, true, true, true);
                DatagramSocket sender = new DatagramSocket(new InetSocketAddress(V4, 0))) {
            int port = bind.open(0, counting);
            sendUntil(sender, port, counting, 10);
            bind.close();
            assertEquals(null, receiveThread(), "the receive thread outlived the socket");
            assertFalse(bind.usesRecvmmsg());
            assertEquals(port, bind.open(port, counting));
            sendUntil(sender, port, counting, 10);
            assertEquals(0, bind.readErrors());
            assertEquals(0, bind.truncated());
        }
    }
}
