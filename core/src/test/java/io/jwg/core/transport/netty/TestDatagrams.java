// SPDX-License-Identifier: MIT
package io.jwg.core.transport.netty;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Loopback addresses and recognizable payloads shared by the transport tests. */
final class TestDatagrams {
    static final InetAddress V4 = InetAddress.getLoopbackAddress();
    static final InetAddress V6 = loopbackV6();

    private TestDatagrams() {
    }

    static ByteBuffer direct(String s) {
        byte[] b = s.getBytes();
        return ByteBuffer.allocateDirect(b.length).put(b).flip();
    }

    /** Datagram {@code seq} of length {@code len}: every byte depends on both. */
    static byte[] expected(int seq, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (seq * 31 + i);
        }
        return b;
    }

    static void fill(ByteBuffer buf, int seq, int len) {
        buf.put(0, expected(seq, len));
    }

    /** For receivers that hold the event loop on purpose; never waits forever. */
    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static InetAddress loopbackV6() {
        try {
            return InetAddress.getByName("::1");
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
