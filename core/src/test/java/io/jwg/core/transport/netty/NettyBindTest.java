// SPDX-License-Identifier: MIT
package io.jwg.core.transport.netty;

import static io.jwg.core.transport.netty.TestDatagrams.V4;
import static io.jwg.core.transport.netty.TestDatagrams.V6;
import static io.jwg.core.transport.netty.TestDatagrams.direct;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.transport.Endpoint;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** NettyBind on loopback (127.0.0.1 and ::1) in the test's own network namespace. */
class NettyBindTest {
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
    void twoBindsExchangeDatagramsBothWaysOverIpv4() throws Exception {
        exchangeBothWays(V4);
    }

    @Test
    void twoBindsExchangeDatagramsBothWaysOverIpv6() throws Exception {
        exchangeBothWays(V6);
    }

    private void exchangeBothWays(InetAddress loopback) throws Exception {
        NettyBind a = newBind();
        NettyBind b = newBind();
        RecordingReceiver atA = new RecordingReceiver();
        RecordingReceiver atB = new RecordingReceiver();
        int portA = a.open(0, atA);
        int portB = b.open(0, atB);
        assertTrue(a.isDualStack() && b.isDualStack(), "IPv6 is on here, so both sockets are dual-stack");

        a.send(direct("a to b"), 0, 6, Endpoint.of(loopback, portB));
        RecordingReceiver.Datagram got = atB.await(1).get(0);
        assertArrayEquals("a to b".getBytes(), got.data());
        assertEquals(Endpoint.of(loopback, portA), Endpoint.of(got.source()), "source is a's address");

        // Reply to exactly the address the datagram came from, as the device does.
        b.send(direct("b to a"), 0, 6, Endpoint.of(got.source()));
        RecordingReceiver.Datagram reply = atA.await(1).get(0);
        assertArrayEquals("b to a".getBytes(), reply.data());
        assertEquals(Endpoint.of(loopback, portB), Endpoint.of(reply.source()));
    }

    @Test
    void ipv4OnlyPeerReachesTheDualStackSocketAndGetsAnAnswer() throws Exception {
        NettyBind bind = newBind();
        RecordingReceiver receiver = new RecordingReceiver();
        int port = bind.open(0, receiver);
        try (DatagramChannel peer = DatagramChannel.open(StandardProtocolFamily.INET)) {
            peer.bind(new InetSocketAddress(V4, 0));
            peer.send(ByteBuffer.wrap("from v4".getBytes()), new InetSocketAddress(V4, port));

            RecordingReceiver.Datagram got = receiver.await(1).get(0);
            assertArrayEquals("from v4".getBytes(), got.data());
            Endpoint source = Endpoint.of(got.source());
            assertEquals(peer.getLocalAddress(), source.address(), "v4-mapped source normalizes to the v4 peer");

            bind.send(direct("answer"), 0, 6, source);
            ByteBuffer in = ByteBuffer.allocate(100);
            peer.receive(in);
            assertEquals("answer", new String(in.array(), 0, in.position()));
        }
    }

    @Test
    void sendUsesTheGivenOffsetAndLengthOfDirectAndHeapBuffers() throws Exception {
        NettyBind a = newBind();
        NettyBind b = newBind();
        RecordingReceiver atB = new RecordingReceiver();
        a.open(0, new RecordingReceiver());
        int portB = b.open(0, atB);
        byte[] text = "xxxpayloadyy".getBytes();
        ByteBuffer directBuf = ByteBuffer.allocateDirect(text.length).put(text).flip();

        a.send(directBuf, 3, 7, Endpoint.of(V4, portB));
        a.send(ByteBuffer.wrap(text), 3, 7, Endpoint.of(V6, portB));

        List<RecordingReceiver.Datagram> got = atB.await(2);
        assertArrayEquals("payload".getBytes(), got.get(0).data());
        assertArrayEquals("payload".getBytes(), got.get(1).data());
        assertEquals(0, directBuf.position(), "send leaves the caller's buffer position alone");
    }

    @Test
    void portZeroBindsAKernelChosenPortAndPortReportsIt() throws Exception {
        NettyBind bind = newBind();
        assertEquals(0, bind.port(), "closed");
        int port = bind.open(0, new RecordingReceiver());
        assertTrue(port > 0);
        assertEquals(port, bind.port());
        bind.close();
        assertEquals(0, bind.port());
    }

    @Test
    void aPortInUseFailsWithBindException() throws Exception {
        NettyBind first = newBind();
        int port = first.open(0, new RecordingReceiver());
        BindException e = assertThrows(BindException.class, () -> newBind().open(port, new RecordingReceiver()));
        assertTrue(e.getMessage().contains("address already in use"), e.getMessage());

        // An IPv4-only socket on the port also blocks the dual-stack [::] bind.
        try (DatagramChannel v4 = DatagramChannel.open(StandardProtocolFamily.INET)) {
            v4.bind(new InetSocketAddress(0));
            int taken = ((InetSocketAddress) v4.getLocalAddress()).getPort();
            assertThrows(BindException.class, () -> newBind().open(taken, new RecordingReceiver()));
        }
    }

    @Test
    void openingAgainMovesToTheNewPortAndReceiver() throws Exception {
        NettyBind sender = newBind();
        NettyBind bind = newBind();
        sender.open(0, new RecordingReceiver());
        RecordingReceiver first = new RecordingReceiver();
        RecordingReceiver second = new RecordingReceiver();
        int oldPort = bind.open(0, first);

        int newPort = bind.open(0, second);

        assertNotEquals(oldPort, newPort);
        assertEquals(newPort, bind.port());
        sender.send(direct("hello"), 0, 5, Endpoint.of(V4, newPort));
        assertArrayEquals("hello".getBytes(), second.await(1).get(0).data());
        // The old port is free again: the old socket is closed.
        try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            probe.bind(new InetSocketAddress(oldPort));
        }
        assertEquals(0, first.batchSizes().size());
    }

    @Test
    void setMarkSetsSoMarkBeforeAndAfterOpen() throws Exception {
        NettyBind bind = newBind();
        bind.setMark(0x51820);
        bind.open(0, new RecordingReceiver());
        assertEquals(0x51820, TestLibc.intOption(bind.fd(), TestLibc.SOL_SOCKET, TestLibc.SO_MARK),
                "mark set before open is applied at open");

        bind.setMark(7);
        assertEquals(7, TestLibc.intOption(bind.fd(), TestLibc.SOL_SOCKET, TestLibc.SO_MARK));
        bind.setMark(0);
        assertEquals(0, TestLibc.intOption(bind.fd(), TestLibc.SOL_SOCKET, TestLibc.SO_MARK));
        bind.setMark(9);
        bind.open(0, new RecordingReceiver());
        assertEquals(9, TestLibc.intOption(bind.fd(), TestLibc.SOL_SOCKET, TestLibc.SO_MARK),
                "a re-opened socket keeps the mark");
    }

    @Test
    void socketIsDualStackWithLargeBuffers() throws Exception {
        NettyBind bind = newBind();
        bind.open(0, new RecordingReceiver());
        int fd = bind.fd();
        assertEquals(0, TestLibc.intOption(fd, TestLibc.IPPROTO_IPV6, TestLibc.IPV6_V6ONLY));
        // As root the FORCE options apply; the kernel reports twice the request (socket(7)).
        assertTrue(TestLibc.intOption(fd, TestLibc.SOL_SOCKET, TestLibc.SO_RCVBUF) >= NettyBind.SOCKET_BUFFER_SIZE);
        assertTrue(TestLibc.intOption(fd, TestLibc.SOL_SOCKET, TestLibc.SO_SNDBUF) >= NettyBind.SOCKET_BUFFER_SIZE);
    }

    @Test
    void closeIsIdempotentStopsItsThreadsAndLaterSendsFail() throws Exception {
        NettyBind bind = newBind();
        bind.open(0, new RecordingReceiver());
        bind.send(direct("x"), 0, 1, Endpoint.of(V4, bind.port()));
        assertTrue(udpThreads() > 0, "the event loop runs while open");

        bind.close();
        bind.close();

        assertEquals(0, udpThreads(), "no event-loop thread survives close");
        assertEquals(0, bind.port());
        assertThrows(IOException.class, () -> bind.send(direct("x"), 0, 1, Endpoint.of(V4, 9)));
        // Closed is not final: the device may bring the interface up again.
        int port = bind.open(0, new RecordingReceiver());
        assertTrue(port > 0);
    }

    @Test
    void epollIsAvailableOnThisLinuxMachine() {
        assertTrue(io.netty.channel.epoll.Epoll.isAvailable(), String.valueOf(
                io.netty.channel.epoll.Epoll.unavailabilityCause()));
    }

    static long udpThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("jwg-udp") && t.isAlive()).count();
    }

    @Test
    void sendingFromADirectOrHeapBufferAllocatesNothing() throws Exception {
        // The data path sends from direct buffers (the TUN reader's) and heap ones (staged packets,
        // handshakes); neither may allocate per datagram (issue 6: Netty's sendTo did).
        NettyBind a = newBind();
        a.open(0, new RecordingReceiver());
        try (DatagramChannel sink = DatagramChannel.open(StandardProtocolFamily.INET)) {
            sink.bind(new InetSocketAddress(V4, 0));
            Endpoint to = Endpoint.of(V4, ((InetSocketAddress) sink.getLocalAddress()).getPort());
            ByteBuffer direct = ByteBuffer.allocateDirect(256);
            ByteBuffer heap = ByteBuffer.allocate(256);
            var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            for (int round = 0; round < 2; round++) { // the first round warms up (class loading, caches)
                long allocated = 0;
                for (int batch = 0; batch < 32; batch++) {
                    long before = threads.getCurrentThreadAllocatedBytes();
                    for (int i = 0; i < 64; i++) {
                        a.send(direct, 16, 100, to);
                        a.send(heap, 16, 100, to);
                    }
                    allocated += threads.getCurrentThreadAllocatedBytes() - before;
                    drain(sink); // not counted: the receiving side is not under test
                }
                if (round == 1) {
                    assertTrue(allocated < 4096, "4096 sends allocated " + allocated + " bytes");
                }
            }
        }
    }

    private static void drain(DatagramChannel sink) throws IOException {
        sink.configureBlocking(false);
        ByteBuffer b = DRAIN;
        do {
            b.clear();
        } while (sink.receive(b) != null);
    }

    private static final ByteBuffer DRAIN = ByteBuffer.allocateDirect(2048);
}
