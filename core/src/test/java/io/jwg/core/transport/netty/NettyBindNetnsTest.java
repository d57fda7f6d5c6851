// SPDX-License-Identifier: MIT
package io.jwg.core.transport.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.transport.Endpoint;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * NettyBind in network namespaces of the test's own: the socket lands in the namespace of the
 * thread that opens it, and where IPv6 is switched off the bind falls back to an IPv4 socket.
 */
@Tag("netns")
class NettyBindNetnsTest {
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private PrivateNetns namespace() throws Exception {
        PrivateNetns ns = PrivateNetns.create();
        cleanup.add(ns);
        return ns;
    }

    private NettyBind newBind() {
        NettyBind b = new NettyBind();
        cleanup.add(b);
        return b;
    }

    @Test
    void theSocketIsCreatedInTheNamespaceOfTheThreadThatOpens() throws Exception {
        PrivateNetns ns = namespace();
        NettyBind bind = newBind();

        int port = ns.call(() -> bind.open(0, new RecordingReceiver()));

        assertTrue(bind.isDualStack(), "IPv6 is on in a fresh namespace");
        String filter = "sport = :" + port;
        assertTrue(ns.exec("ss", "-Hunl", filter).contains(":" + port), "listening inside the namespace");
        assertFalse(PrivateNetns.run("ss", "-Hunl", filter).contains(":" + port), "not in the test's namespace");
    }

    @Test
    void withIpv6DisabledTheBindFallsBackToIpv4AndStillWorksBothWays() throws Exception {
        PrivateNetns ns = namespace();
        ns.disableIpv6();
        NettyBind a = newBind();
        NettyBind b = newBind();
        RecordingReceiver atA = new RecordingReceiver();
        RecordingReceiver atB = new RecordingReceiver();
        InetAddress v4 = InetAddress.getLoopbackAddress();

        int portA = ns.call(() -> a.open(0, atA));
        int portB = ns.call(() -> b.open(0, atB));

        assertFalse(a.isDualStack(), "IPv6 is off in the namespace: IPv4-only socket");
        assertFalse(b.isDualStack());
        // Sends come from the test thread (outside the namespace): the socket decides, not the caller.
        a.send(TestDatagrams.direct("ping"), 0, 4, Endpoint.of(v4, portB));
        RecordingReceiver.Datagram ping = atB.await(1).get(0);
        assertArrayEquals("ping".getBytes(), ping.data());
        assertTrue(ping.source().getAddress() instanceof Inet4Address, "plain IPv4 source: " + ping.source());
        assertEquals(portA, ping.source().getPort());
        b.send(TestDatagrams.direct("pong"), 0, 4, Endpoint.of(ping.source()));
        assertArrayEquals("pong".getBytes(), atA.await(1).get(0).data());

        IOException e = assertThrows(IOException.class,
                () -> a.send(TestDatagrams.direct("v6"), 0, 2, Endpoint.of(InetAddress.getByName("::1"), portB)));
        assertTrue(e.getMessage().contains("IPv4-only"), e.getMessage());
        assertEquals(1, a.sendErrors());
    }

    @Test
    void aPortInUseInsideTheNamespaceIsABindExceptionThere() throws Exception {
        PrivateNetns ns = namespace();
        ns.disableIpv6();
        NettyBind first = newBind();
        int port = ns.call(() -> first.open(0, new RecordingReceiver()));

        assertThrows(BindException.class,
                () -> ns.call(() -> newBind().open(port, new RecordingReceiver())));
        // The same port is free in the test's own namespace.
        assertEquals(port, newBind().open(port, new RecordingReceiver()));
    }

    @Test
    void aFullSendBufferDropsAndCountsWithoutAnException() throws Exception {
        PrivateNetns ns = namespace();
        // A link that drains at 1 kB/s behind a huge queue: sent datagrams stay charged to the
        // socket's send buffer until it is full and sendto(2) says EAGAIN.
        ns.exec("ip", "link", "add", "va", "type", "veth", "peer", "name", "vb");
        ns.exec("ip", "addr", "add", "192.0.2.1/24", "dev", "va");
        ns.exec("ip", "link", "set", "va", "up");
        ns.exec("ip", "link", "set", "vb", "up");
        ns.exec("ip", "neigh", "add", "192.0.2.2", "lladdr", "02:00:00:00:00:02", "dev", "va");
        ns.exec("tc", "qdisc", "add", "dev", "va", "root", "tbf", "rate", "8kbit", "burst", "1600",
                "limit", "100000000");
        NettyBind bind = newBind();
        ns.call(() -> bind.open(0, new RecordingReceiver()));
        Endpoint to = Endpoint.of(InetAddress.getByName("192.0.2.2"), 9);
        ByteBuffer buf = ByteBuffer.allocateDirect(1400);

        // 7 MiB of send buffer holds a few thousand 1400-byte datagrams; send well past that.
        for (int i = 0; i < 20_000; i++) {
            bind.send(buf, 0, 1400, to);
        }

        assertTrue(bind.sendDrops() > 0, "EAGAIN was counted as drops");
        assertEquals(0, bind.sendErrors(), "a full buffer is not an error");
    }

    @Test
    void sendingWhereThereIsNoRouteIsAnIOExceptionNotACrash() throws Exception {
        PrivateNetns ns = namespace();
        NettyBind bind = newBind();
        ns.call(() -> bind.open(0, new RecordingReceiver()));

        // Only loopback exists in the namespace: 192.0.2.1 (TEST-NET-1) has no route.
        IOException e = assertThrows(IOException.class, () -> bind.send(
                TestDatagrams.direct("lost"), 0, 4, Endpoint.of(InetAddress.getByName("192.0.2.1"), 51820)));
        assertTrue(e.getMessage().toLowerCase().contains("unreachable"), e.getMessage());
        assertEquals(1, bind.sendErrors());

        // The socket still works afterwards.
        RecordingReceiver self = new RecordingReceiver();
        int port = ns.call(() -> bind.open(0, self));
        bind.send(TestDatagrams.direct("ok"), 0, 2, Endpoint.of(InetAddress.getLoopbackAddress(), port));
        assertArrayEquals("ok".getBytes(), self.await(1).get(0).data());
    }
}
