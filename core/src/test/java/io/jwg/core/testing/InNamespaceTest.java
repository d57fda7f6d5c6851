// SPDX-License-Identifier: MIT
package io.jwg.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag(Requirements.TAG)
class InNamespaceTest {

    private static final int TIMEOUT_MS = 5000;

    @BeforeEach
    void requireNamespaces() {
        Requirements.assumeNetns();
    }

    @Test
    void udpDatagramCrossesVethBetweenSocketsCreatedInTwoNamespaces() throws Exception {
        try (Netns a = Netns.create(); Netns b = Netns.create();
                NamespaceThread inA = new NamespaceThread(a); NamespaceThread inB = new NamespaceThread(b)) {
            Veth.connectDualStack(a, b);
            // 192.0.2.x exists only inside the namespaces: binding succeeds only on their threads.
            try (DatagramSocket sa = inA.call(() -> bound("192.0.2.1", 40001));
                    DatagramSocket sb = inB.call(() -> bound("192.0.2.2", 40002))) {
                Future<String> received = inB.submit(() -> receive(sb));
                send(sa, "hello from A", new InetSocketAddress("192.0.2.2", 40002));
                assertEquals("hello from A", received.get());

                send(sb, "reply from B", new InetSocketAddress("192.0.2.1", 40001));
                assertEquals("reply from B", inA.call(() -> receive(sa)));
            }
        }
    }

    @Test
    void socketKeepsItsNamespaceAfterTheCreatingThreadEnds() throws Exception {
        try (Netns a = Netns.create(); Netns b = Netns.create()) {
            Veth.connectDualStack(a, b);
            try (DatagramSocket sa = InNamespace.call(a, () -> bound("2001:db8::1", 40001));
                    DatagramSocket sb = InNamespace.call(b, () -> bound("2001:db8::2", 40002))) {
                // Used from the test's own thread, in the host namespace, like Netty's event loop would.
                send(sa, "over IPv6", new InetSocketAddress("2001:db8::2", 40002));
                assertEquals("over IPv6", receive(sb));
            }
        }
    }

    @Test
    void nettyEpollChannelBoundFromNamespaceThreadReceivesInThatNamespace() throws Exception {
        assumeTrue(Epoll.isAvailable(), () -> "Netty native epoll unavailable: " + Epoll.unavailabilityCause());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try (Netns a = Netns.create(); Netns b = Netns.create()) {
            Veth.connectDualStack(a, b);
            CompletableFuture<String> received = new CompletableFuture<>();
            Bootstrap bootstrap = new Bootstrap().group(group).channel(EpollDatagramChannel.class)
                    .handler(new SimpleChannelInboundHandler<io.netty.channel.socket.DatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, io.netty.channel.socket.DatagramPacket p) {
                            received.complete(p.content().toString(StandardCharsets.UTF_8));
                        }
                    });
            // bind() creates the channel's socket on the calling thread; the event loop does the rest.
            Channel channel = InNamespace.call(b, () -> bootstrap.bind("192.0.2.2", 40002).sync().channel());
            try (DatagramSocket sa = InNamespace.call(a, () -> bound("192.0.2.1", 40001))) {
                send(sa, "to netty in B", new InetSocketAddress("192.0.2.2", 40002));
                assertEquals("to netty in B", received.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
            } finally {
                channel.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void codeInNamespaceSeesOnlyThatNamespacesInterfaces() throws Exception {
        try (Netns a = Netns.create(); Netns b = Netns.create()) {
            Veth veth = Veth.connect(a, b);
            Set<String> names = InNamespace.call(a, () -> interfacesOfThisThread());
            assertEquals(Set.of("lo", veth.a().ifname()), names);
        }
    }

    @Test
    void namespaceThreadRunsEveryTaskOnItsOneThreadAndRethrowsUnchanged() throws Exception {
        try (Netns ns = Netns.create(); NamespaceThread inNs = new NamespaceThread(ns)) {
            Thread first = inNs.call(Thread::currentThread);
            assertSame(first, inNs.call(Thread::currentThread));
            IOException thrown = new IOException("from the task");
            assertSame(thrown, assertThrows(IOException.class, () -> inNs.call(() -> {
                throw thrown;
            })));
            assertSame(first, inNs.call(Thread::currentThread), "a failing task must not end the thread");
        }
    }

    @Test
    void unknownNamespaceIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> InNamespace.call("jwgnosuchns", () -> 1));
        assertTrue(e.getMessage().contains("/var/run/netns/jwgnosuchns"), e.getMessage());
    }

    /** Interface names from the calling thread's own view of /proc (one "name: counters" line each). */
    private static Set<String> interfacesOfThisThread() throws IOException {
        return Files.readAllLines(Path.of("/proc/thread-self/net/dev")).stream()
                .filter(l -> l.contains(":")).map(l -> l.substring(0, l.indexOf(':')).strip())
                .collect(Collectors.toSet());
    }

    private static DatagramSocket bound(String address, int port) throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(address, port));
        s.setSoTimeout(TIMEOUT_MS);
        return s;
    }

    private static void send(DatagramSocket s, String text, InetSocketAddress to) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        s.send(new DatagramPacket(b, b.length, to));
    }

    private static String receive(DatagramSocket s) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
        s.receive(p);
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }
}
