// SPDX-License-Identifier: MIT
package io.jwg.tun.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PingTest {

    private static final HexFormat HEX = HexFormat.of();

    /**
     * Echo requests captured from a real TUN (LinuxTunNetnsTest): {@code ping -c 3 10.77.0.2} and
     * {@code ping -6 -c 3 fd00:77::2} on Linux 6.18 / iputils 20221126. The kernel wrote the IPv4
     * header checksum and the ICMPv6 checksum, ping wrote the ICMPv4 checksum.
     */
    private static final byte[] LINUX_V4_REQUEST = HEX.parseHex(
            "4500005446c440004001df480a4d00010a4d0002" + "0800632611db0001"
                    + "f769026b00000000bf550b0000000000"
                    + "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f"
                    + "3031323334353637");
    private static final byte[] LINUX_V6_REQUEST = HEX.parseHex(
            "6007f98000403a40fd000077000000000000000000000001fd000077000000000000000000000002"
                    + "8000599010d80001" + "f569026b000000005a81090000000000"
                    + "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f"
                    + "3031323334353637");

    @Test
    void checksumMatchesTheRfc1071Example() {
        // RFC 1071 section 3: the one's complement sum of 0001 f203 f4f5 f6f7 is ddf2.
        byte[] data = HEX.parseHex("0001f203f4f5f6f7");
        assertEquals(0xffff - 0xddf2, Ping.checksum(data, 0, data.length, 0));
    }

    @Test
    void checksumOfAKnownIpv4HeaderAndOfAnOddLength() {
        byte[] header = HEX.parseHex("450000730000400040110000c0a80001c0a800c7");
        assertEquals(0xb861, Ping.checksum(header, 0, header.length, 0));
        assertEquals(0xfeff, Ping.checksum(new byte[] {1}, 0, 1, 0), "odd byte padded with zero");
    }

    @Test
    void parsesAnIpv4EchoRequestCapturedFromLinux() throws Exception {
        Ping.Echo echo = Ping.parse(LINUX_V4_REQUEST);

        assertNotNull(echo);
        assertTrue(echo.request());
        assertFalse(echo.isIpv6());
        assertEquals(InetAddress.getByName("10.77.0.1"), echo.source());
        assertEquals(InetAddress.getByName("10.77.0.2"), echo.destination());
        assertEquals(0x11db, echo.identifier());
        assertEquals(1, echo.sequence());
        assertEquals(64, echo.hopLimit());
        assertEquals(56, echo.payload().length);
    }

    @Test
    void parsesAnIpv6EchoRequestCapturedFromLinux() throws Exception {
        Ping.Echo echo = Ping.parse(LINUX_V6_REQUEST);

        assertNotNull(echo);
        assertTrue(echo.request());
        assertTrue(echo.isIpv6());
        assertEquals(InetAddress.getByName("fd00:77::1"), echo.source());
        assertEquals(InetAddress.getByName("fd00:77::2"), echo.destination());
        assertEquals(0x10d8, echo.identifier());
        assertEquals(1, echo.sequence());
        assertEquals(56, echo.payload().length);
    }

    @Test
    void builtRequestsCarryTheSameIcmpBytesAsLinux() {
        for (byte[] linux : new byte[][] {LINUX_V4_REQUEST, LINUX_V6_REQUEST}) {
            Ping.Echo e = Ping.parse(linux);
            byte[] built = Ping.echoRequest(e.source(), e.destination(), e.identifier(),
                    e.sequence(), e.payload());

            // The IP headers differ (IPv4 ID, IPv6 flow label) but the ICMP message, checksum
            // included (over the pseudo-header for IPv6), must be what Linux computed.
            int icmp = e.isIpv6() ? Ping.IPV6_HEADER : Ping.IPV4_HEADER;
            assertEquals(linux.length, built.length);
            assertArrayEquals(Arrays.copyOfRange(linux, icmp, linux.length),
                    Arrays.copyOfRange(built, icmp, built.length));
            assertEquals(e, withPayload(Ping.parse(built), e.payload()));
        }
    }

    @Test
    void builtIpv4HeaderHasAValidChecksum() throws Exception {
        byte[] p = Ping.echoRequest(InetAddress.getByName("10.0.0.1"),
                InetAddress.getByName("10.0.0.2"), 7, 9, new byte[] {1, 2, 3});

        assertEquals(0x45, p[0] & 0xff);
        assertEquals(0, Ping.checksum(p, 0, Ping.IPV4_HEADER, 0), "a correct header sums to 0");
        assertEquals(p.length, ((p[2] & 0xff) << 8) | (p[3] & 0xff));
    }

    @Test
    void replyToIpv4RequestSwapsAddressesAndAdjustsTheChecksumPerRfc1624() {
        byte[] reply = Ping.reply(LINUX_V4_REQUEST);
        Ping.Echo request = Ping.parse(LINUX_V4_REQUEST);
        Ping.Echo echo = Ping.parse(reply);

        assertNotNull(echo);
        assertFalse(echo.request());
        assertEquals(request.destination(), echo.source());
        assertEquals(request.source(), echo.destination());
        assertEquals(request.identifier(), echo.identifier());
        assertEquals(request.sequence(), echo.sequence());
        assertArrayEquals(request.payload(), echo.payload());
        // Only the type changed in the ICMP message (8 -> 0 in the high byte of the first word),
        // so by RFC 1624 the checksum grows by exactly 0x0800.
        assertEquals(icmpChecksum(LINUX_V4_REQUEST, 20) + 0x0800, icmpChecksum(reply, 20));
    }

    @Test
    void replyToIpv6RequestSwapsAddressesAndAdjustsTheChecksumPerRfc1624() {
        byte[] reply = Ping.reply(LINUX_V6_REQUEST);
        Ping.Echo request = Ping.parse(LINUX_V6_REQUEST);
        Ping.Echo echo = Ping.parse(reply);

        assertNotNull(echo);
        assertFalse(echo.request());
        assertEquals(request.destination(), echo.source());
        assertEquals(request.source(), echo.destination());
        assertArrayEquals(request.payload(), echo.payload());
        // Swapping the addresses leaves the pseudo-header sum alone; the type goes 128 -> 129.
        assertEquals(icmpChecksum(LINUX_V6_REQUEST, 40) - 0x0100, icmpChecksum(reply, 40));
    }

    @Test
    void corruptedPacketsAreRejected() {
        assertNull(Ping.parse(flip(LINUX_V4_REQUEST, 8)), "IPv4 TTL changed: header checksum");
        assertNull(Ping.parse(flip(LINUX_V4_REQUEST, 60)), "payload changed: ICMP checksum");
        assertNull(Ping.parse(flip(LINUX_V6_REQUEST, 10)),
                "source address changed: the ICMPv6 checksum covers the pseudo-header");
        assertNull(Ping.parse(flip(LINUX_V6_REQUEST, 70)), "payload changed: ICMPv6 checksum");
        assertNull(Ping.parse(Arrays.copyOf(LINUX_V4_REQUEST, 50)), "truncated");
        assertNull(Ping.parse(new byte[0]));
    }

    @Test
    void replyRefusesAnythingButAnEchoRequest() {
        assertNull(Ping.reply(Ping.reply(LINUX_V4_REQUEST)), "a reply is not answered");
        assertNull(Ping.reply(flip(LINUX_V6_REQUEST, 60)), "bad checksum");
        byte[] udp = HEX.parseHex("450000730000400040110000c0a80001c0a800c7");
        assertNull(Ping.reply(udp));
    }

    @Test
    void parsesAPacketAtAnOffset() {
        byte[] framed = new byte[16 + LINUX_V6_REQUEST.length + 4];
        System.arraycopy(LINUX_V6_REQUEST, 0, framed, 16, LINUX_V6_REQUEST.length);

        Ping.Echo echo = Ping.parse(framed, 16, LINUX_V6_REQUEST.length);

        assertEquals(Ping.parse(LINUX_V6_REQUEST).source(), echo.source());
        assertArrayEquals(Ping.parse(LINUX_V6_REQUEST).payload(), echo.payload());
    }

    @Test
    void mixedAddressFamiliesAreRefused() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> Ping.echoRequest(
                InetAddress.getByName("10.0.0.1"), InetAddress.getByName("fd00::1"), 1, 1,
                new byte[0]));
    }

    private static int icmpChecksum(byte[] p, int icmp) {
        return ((p[icmp + 2] & 0xff) << 8) | (p[icmp + 3] & 0xff);
    }

    private static byte[] flip(byte[] packet, int index) {
        byte[] copy = packet.clone();
        copy[index] ^= 0x01;
        return copy;
    }

    /** Records compare arrays by identity; rebuild one holding the expected payload instance. */
    private static Ping.Echo withPayload(Ping.Echo e, byte[] payload) {
        assertArrayEquals(payload, e.payload());
        return new Ping.Echo(e.source(), e.destination(), e.request(), e.identifier(),
                e.sequence(), e.hopLimit(), payload);
    }
}
