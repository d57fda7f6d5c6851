// SPDX-License-Identifier: MIT
package io.jwg.core.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Raw sockaddrs become the addresses Netty would report, and recent senders cost no allocation. */
class SourceAddressesTest {

    private final SourceAddresses sources = new SourceAddresses();

    private static ByteBuffer sockaddrIn(String ip, int port) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder());
        b.putShort(0, (short) SourceAddresses.AF_INET);
        b.put(2, (byte) (port >>> 8)).put(3, (byte) port);
        b.put(4, InetAddress.getByName(ip).getAddress());
        return b;
    }

    private static ByteBuffer sockaddrIn6(byte[] address, int port, int scope) {
        ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder());
        b.putShort(0, (short) SourceAddresses.AF_INET6);
        b.put(2, (byte) (port >>> 8)).put(3, (byte) port);
        b.put(8, address);
        b.putInt(24, scope);
        return b;
    }

    @Test
    void ipv4SendersAreInet4AddressesWhetherPlainOrV4Mapped() throws Exception {
        InetSocketAddress plain = sources.of(sockaddrIn("192.0.2.7", 51820), 0);
        assertEquals(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 51820), plain);
        assertInstanceOf(Inet4Address.class, plain.getAddress());

        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(InetAddress.getByName("198.51.100.9").getAddress(), 0, mapped, 12, 4);
        InetSocketAddress fromDualStack = sources.of(sockaddrIn6(mapped, 443, 0), 0);
        assertEquals(new InetSocketAddress(InetAddress.getByName("198.51.100.9"), 443), fromDualStack);
        assertInstanceOf(Inet4Address.class, fromDualStack.getAddress());
    }

    @Test
    void ipv6SendersKeepTheirScope() throws Exception {
        byte[] global = InetAddress.getByName("2001:db8::1").getAddress();
        assertEquals(new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 1), sources.of(sockaddrIn6(global, 1, 0), 0));
        byte[] linkLocal = InetAddress.getByName("fe80::2").getAddress();
        InetSocketAddress scoped = sources.of(sockaddrIn6(linkLocal, 2, 3), 0);
        assertEquals(3, ((Inet6Address) scoped.getAddress()).getScopeId());
        assertEquals(Inet6Address.getByAddress(null, linkLocal, 3), scoped.getAddress());
    }

    @Test
    void aRecentSenderIsTheSameObjectAndAnyDifferenceMakesANewOne() throws Exception {
        InetSocketAddress first = sources.of(sockaddrIn("192.0.2.1", 1000), 0);
        assertSame(first, sources.of(sockaddrIn("192.0.2.1", 1000), 0));
        assertNotSame(first, sources.of(sockaddrIn("192.0.2.1", 1001), 0));
        assertEquals(new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 1000),
                sources.of(sockaddrIn("192.0.2.2", 1000), 0));
        byte[] linkLocal = InetAddress.getByName("fe80::2").getAddress();
        InetSocketAddress scope1 = sources.of(sockaddrIn6(linkLocal, 9, 1), 0);
        assertEquals(2, ((Inet6Address) sources.of(sockaddrIn6(linkLocal, 9, 2), 0).getAddress()).getScopeId());
        assertSame(scope1, sources.of(sockaddrIn6(linkLocal, 9, 1), 0));
    }

    @Test
    void moreSendersThanEntriesAreStillReportedCorrectly() throws Exception {
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 3 * SourceAddresses.ENTRIES; i++) {
                assertEquals(new InetSocketAddress(InetAddress.getByName("192.0.2." + i), 7000 + i),
                        sources.of(sockaddrIn("192.0.2." + i, 7000 + i), 0));
            }
        }
    }

    @Test
    void otherFamiliesAreNotSenders() {
        ByteBuffer unix = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder()).putShort(0, (short) 1);
        assertNull(sources.of(unix, 0));
    }
}
