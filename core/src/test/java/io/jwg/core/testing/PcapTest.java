// SPDX-License-Identifier: MIT
package io.jwg.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pcap reader against the real kernel trace and against captures built here for every format variant. */
class PcapTest {
    private static final InetSocketAddress V4_SRC = sock("192.0.2.1", 51820);
    private static final InetSocketAddress V4_DST = sock("192.0.2.2", 47278);
    private static final InetSocketAddress V6_SRC = sock("2001:db8::1", 40000);
    private static final InetSocketAddress V6_DST = sock("2001:db8::2", 51820);
    private static final Instant T0 = Instant.ofEpochSecond(1_700_000_000L, 123_456_000L);

    @Test
    void readsTheKernelTraceAsEthernetWithAllItsDatagrams() throws IOException {
        Pcap capture = Pcap.read(TestVectors.require("kernel-trace.pcap"));
        assertEquals(Pcap.LINKTYPE_ETHERNET, capture.linkType());
        assertFalse(capture.nanosecondResolution());
        assertEquals(ByteOrder.LITTLE_ENDIAN, capture.byteOrder());
        assertEquals(1222, capture.packetCount());
        List<Pcap.UdpDatagram> udp = capture.udpDatagrams();
        assertEquals(1222, udp.size());
        assertEquals(1212, udp.stream().filter(d -> d.payload().length > 0 && d.payload()[0] == 4).count());

        Pcap.UdpDatagram first = udp.get(0);
        assertEquals(sock("10.0.4.2", 47278), first.source());
        assertEquals(sock("10.0.4.1", 51820), first.destination());
        assertEquals(148, first.payload().length, "a handshake initiation");
        assertEquals(1, first.payload()[0]);
        assertEquals(Instant.ofEpochSecond(1488326118L, 359_890_000L), first.timestamp());
        assertEquals(92, udp.get(1).payload().length, "a handshake response");
    }

    @Test
    void kernelTracePayloadsMatchTshark() throws Exception {
        Path file = TestVectors.require("kernel-trace.pcap");
        List<String> expected;
        try {
            Process p = new ProcessBuilder("tshark", "-r", file.toString(), "-T", "fields", "-e", "udp.payload")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            expected = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
            assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "tshark failed; skipping cross-check");
        } catch (IOException e) {
            assumeTrue(false, "tshark is not installed; skipping cross-check");
            return;
        }
        List<String> actual = Pcap.read(file).udpDatagrams().stream()
                .map(d -> HexFormat.of().formatHex(d.payload())).toList();
        assertEquals(expected, actual);
    }

    @ParameterizedTest(name = "linktype {0}, {1}, nanoseconds {2}")
    @CsvSource({
        "1, LITTLE_ENDIAN, false", "1, BIG_ENDIAN, true", "101, BIG_ENDIAN, false", "101, LITTLE_ENDIAN, true",
        "113, LITTLE_ENDIAN, false", "113, BIG_ENDIAN, false", "276, LITTLE_ENDIAN, true", "276, BIG_ENDIAN, false",
    })
    void decodesIpv4AndIpv6UdpForEveryLinkTypeByteOrderAndResolution(int linkType, String order, boolean nanos)
            throws IOException {
        CaptureWriter w = new CaptureWriter(linkType, "BIG_ENDIAN".equals(order) ? ByteOrder.BIG_ENDIAN
                : ByteOrder.LITTLE_ENDIAN, nanos);
        byte[] p1 = "first".getBytes(StandardCharsets.US_ASCII);
        byte[] p2 = new byte[1400];
        p2[0] = 4;
        p2[1399] = 9;
        w.packet(T0, linkFrame(linkType, ipv4Udp(V4_SRC, V4_DST, p1)));
        w.packet(T0.plusNanos(nanos ? 1_001 : 1_000), linkFrame(linkType, ipv6Udp(V6_SRC, V6_DST, p2, false)));
        w.packet(T0.plusSeconds(3), linkFrame(linkType, ipv4Udp(V4_DST, V4_SRC, new byte[0])));

        Pcap capture = Pcap.parse(w.bytes());
        assertEquals(linkType, capture.linkType());
        assertEquals(nanos, capture.nanosecondResolution());
        assertEquals(3, capture.packetCount());
        List<Pcap.UdpDatagram> udp = capture.udpDatagrams();
        assertEquals(3, udp.size());
        assertDatagram(udp.get(0), T0, V4_SRC, V4_DST, p1);
        assertDatagram(udp.get(1), T0.plusNanos(nanos ? 1_001 : 1_000), V6_SRC, V6_DST, p2);
        assertDatagram(udp.get(2), T0.plusSeconds(3), V4_DST, V4_SRC, new byte[0]);
    }

    @Test
    void decodesTheFamilySpecificRawLinkTypes() throws IOException {
        byte[] payload = {1, 2, 3};
        CaptureWriter v4 = new CaptureWriter(Pcap.LINKTYPE_IPV4, ByteOrder.LITTLE_ENDIAN, false);
        v4.packet(T0, ipv4Udp(V4_SRC, V4_DST, payload));
        assertDatagram(Pcap.parse(v4.bytes()).udpDatagrams().get(0), T0, V4_SRC, V4_DST, payload);
        CaptureWriter v6 = new CaptureWriter(Pcap.LINKTYPE_IPV6, ByteOrder.LITTLE_ENDIAN, false);
        v6.packet(T0, ipv6Udp(V6_SRC, V6_DST, payload, false));
        assertDatagram(Pcap.parse(v6.bytes()).udpDatagrams().get(0), T0, V6_SRC, V6_DST, payload);
    }

    @Test
    void skipsWhatIsNotACompleteUdpDatagram() throws IOException {
        byte[] payload = "keep".getBytes(StandardCharsets.US_ASCII);
        CaptureWriter w = new CaptureWriter(Pcap.LINKTYPE_ETHERNET, ByteOrder.LITTLE_ENDIAN, false);
        byte[] tcp = ipv4Udp(V4_SRC, V4_DST, payload);
        tcp[9] = 6;
        w.packet(T0, ethernet(0x0800, tcp));
        byte[] fragment = ipv4Udp(V4_SRC, V4_DST, payload);
        fragment[6] = 0x20; // more fragments follow
        w.packet(T0, ethernet(0x0800, fragment));
        w.packet(T0, ethernet(0x0806, new byte[28])); // ARP
        byte[] cut = ethernet(0x0800, ipv4Udp(V4_SRC, V4_DST, new byte[100]));
        w.packet(T0, Arrays.copyOf(cut, 60)); // snap length cut it short
        w.packet(T0, ethernet(0x86dd, ipv6Fragment(V6_SRC, V6_DST, payload)));
        w.packet(T0, ethernet(0x0800, ipv4Udp(V4_SRC, V4_DST, payload)));

        Pcap capture = Pcap.parse(w.bytes());
        assertEquals(6, capture.packetCount());
        assertEquals(1, capture.udpDatagrams().size());
        assertArrayEquals(payload, capture.udpDatagrams().get(0).payload());
    }

    @Test
    void trimsEthernetPaddingAndFollowsVlanTagsAndIpv6ExtensionHeaders() throws IOException {
        byte[] tiny = {7};
        byte[] padded = Arrays.copyOf(ethernet(0x0800, ipv4Udp(V4_SRC, V4_DST, tiny)), 64);
        byte[] tagged = vlan(ipv4Udp(V4_SRC, V4_DST, tiny));
        byte[] withHopByHop = ethernet(0x86dd, ipv6Udp(V6_SRC, V6_DST, tiny, true));
        CaptureWriter w = new CaptureWriter(Pcap.LINKTYPE_ETHERNET, ByteOrder.BIG_ENDIAN, false);
        w.packet(T0, padded);
        w.packet(T0, tagged);
        w.packet(T0, withHopByHop);
        List<Pcap.UdpDatagram> udp = Pcap.parse(w.bytes()).udpDatagrams();
        assertEquals(3, udp.size());
        assertDatagram(udp.get(0), T0, V4_SRC, V4_DST, tiny);
        assertDatagram(udp.get(1), T0, V4_SRC, V4_DST, tiny);
        assertDatagram(udp.get(2), T0, V6_SRC, V6_DST, tiny);
    }

    @Test
    void keepsIpv4MappedSourcesAsIpv6() throws IOException {
        InetSocketAddress mapped = new InetSocketAddress(
                Inet6Address.getByAddress(null, HexFormat.of().parseHex("00000000000000000000ffffc0000201"), -1), 9);
        CaptureWriter w = new CaptureWriter(Pcap.LINKTYPE_RAW, ByteOrder.LITTLE_ENDIAN, false);
        w.packet(T0, ipv6Udp(mapped, V6_DST, new byte[1], false));
        Pcap.UdpDatagram d = Pcap.parse(w.bytes()).udpDatagrams().get(0);
        assertEquals(16, d.source().getAddress().getAddress().length);
    }

    @Test
    void rejectsFilesItCannotRead() {
        IOException pcapng = assertThrows(IOException.class,
                () -> Pcap.parse(HexFormat.of().parseHex("0a0d0d0a1c0000004d3c2b1a01000000ffffffffffffffff")));
        assertTrue(pcapng.getMessage().contains("pcapng"), pcapng.getMessage());
        assertThrows(IOException.class, () -> Pcap.parse(new byte[10]));
        assertThrows(IOException.class, () -> Pcap.parse(new CaptureWriter(105, ByteOrder.LITTLE_ENDIAN, false).bytes()),
                "802.11 is not supported");
        CaptureWriter w = new CaptureWriter(Pcap.LINKTYPE_RAW, ByteOrder.LITTLE_ENDIAN, false);
        w.packet(T0, ipv4Udp(V4_SRC, V4_DST, new byte[20]));
        byte[] whole = w.bytes();
        IOException truncated = assertThrows(IOException.class,
                () -> Pcap.parse(Arrays.copyOf(whole, whole.length - 1)));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
    }

    private static void assertDatagram(Pcap.UdpDatagram d, Instant time, InetSocketAddress src, InetSocketAddress dst,
            byte[] payload) {
        assertEquals(time, d.timestamp());
        assertEquals(src, d.source());
        assertEquals(dst, d.destination());
        assertArrayEquals(payload, d.payload());
    }

    private static InetSocketAddress sock(String literal, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(literal), port);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Writes a classic pcap in either byte order and resolution. */
    static final class CaptureWriter {
        private final ByteOrder order;
        private final boolean nanos;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        CaptureWriter(int linkType, ByteOrder order, boolean nanos) {
            this.order = order;
            this.nanos = nanos;
            ByteBuffer h = ByteBuffer.allocate(24).order(order);
            h.putInt(nanos ? 0xa1b23c4d : 0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                    .putInt(65535).putInt(linkType);
            out.writeBytes(h.array());
        }

        void packet(Instant time, byte[] frame) {
            ByteBuffer h = ByteBuffer.allocate(16).order(order);
            h.putInt((int) time.getEpochSecond()).putInt(nanos ? time.getNano() : time.getNano() / 1000)
                    .putInt(frame.length).putInt(frame.length);
            out.writeBytes(h.array());
            out.writeBytes(frame);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    private static byte[] linkFrame(int linkType, byte[] ip) {
        int etherType = (ip[0] & 0xf0) == 0x40 ? 0x0800 : 0x86dd;
        return switch (linkType) {
            case Pcap.LINKTYPE_ETHERNET -> ethernet(etherType, ip);
            case Pcap.LINKTYPE_LINUX_SLL -> concat(ByteBuffer.allocate(16).putShort((short) 0).putShort((short) 1)
                    .putShort((short) 6).put(new byte[] {2, 0, 0, 0, 0, 1, 0, 0}).putShort((short) etherType).array(), ip);
            case Pcap.LINKTYPE_LINUX_SLL2 -> concat(ByteBuffer.allocate(20).putShort((short) etherType)
                    .putShort((short) 0).putInt(3).putShort((short) 1).put((byte) 0).put((byte) 6)
                    .put(new byte[] {2, 0, 0, 0, 0, 1, 0, 0}).array(), ip);
            default -> ip;
        };
    }

    private static byte[] ethernet(int etherType, byte[] ip) {
        byte[] header = new byte[14];
        header[0] = 2;
        header[6] = 2;
        header[11] = 1;
        header[12] = (byte) (etherType >>> 8);
        header[13] = (byte) etherType;
        return concat(header, ip);
    }

    private static byte[] vlan(byte[] ipv4) {
        byte[] header = new byte[18];
        header[12] = (byte) 0x81;
        header[14] = 0x00;
        header[15] = 42; // VLAN 42
        header[16] = 0x08;
        return concat(header, ipv4);
    }

    private static byte[] udp(InetSocketAddress src, InetSocketAddress dst, byte[] payload) {
        return concat(ByteBuffer.allocate(8).putShort((short) src.getPort()).putShort((short) dst.getPort())
                .putShort((short) (8 + payload.length)).putShort((short) 0).array(), payload);
    }

    private static byte[] ipv4Udp(InetSocketAddress src, InetSocketAddress dst, byte[] payload) {
        byte[] udp = udp(src, dst, payload);
        ByteBuffer h = ByteBuffer.allocate(20);
        h.put((byte) 0x45).put((byte) 0).putShort((short) (20 + udp.length)).putInt(0).put((byte) 64).put((byte) 17)
                .putShort((short) 0).put(src.getAddress().getAddress()).put(dst.getAddress().getAddress());
        return concat(h.array(), udp);
    }

    private static byte[] ipv6Udp(InetSocketAddress src, InetSocketAddress dst, byte[] payload, boolean hopByHop) {
        byte[] udp = udp(src, dst, payload);
        byte[] ext = hopByHop ? new byte[] {17, 0, 1, 4, 0, 0, 0, 0} : new byte[0]; // PadN option
        return concat(ipv6Header(src, dst, hopByHop ? 0 : 17, ext.length + udp.length), ext, udp);
    }

    private static byte[] ipv6Fragment(InetSocketAddress src, InetSocketAddress dst, byte[] payload) {
        byte[] udp = udp(src, dst, payload);
        byte[] fragmentHeader = {17, 0, 0, 1, 0, 0, 0, 7}; // offset 0, more fragments
        return concat(ipv6Header(src, dst, 44, 8 + udp.length), fragmentHeader, udp);
    }

    private static byte[] ipv6Header(InetSocketAddress src, InetSocketAddress dst, int next, int payloadLength) {
        byte[] s = src.getAddress().getAddress();
        byte[] d = dst.getAddress().getAddress();
        return ByteBuffer.allocate(40).putInt(0x60000000).putShort((short) payloadLength).put((byte) next)
                .put((byte) 64).put(s).put(d).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
