// SPDX-License-Identifier: MIT
package io.jwg.core.testing;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the UDP datagrams out of a classic libpcap capture (the format of
 * draft-ietf-opsawg-pcap, not pcapng), so tests can replay traffic captured from real WireGuard
 * implementations.
 *
 * <p>Accepts both byte orders and both microsecond and nanosecond magics, and the link types
 * {@link #LINKTYPE_ETHERNET} (with 802.1Q/802.1ad tags), {@link #LINKTYPE_RAW},
 * {@link #LINKTYPE_IPV4}, {@link #LINKTYPE_IPV6}, {@link #LINKTYPE_LINUX_SLL} and
 * {@link #LINKTYPE_LINUX_SLL2}. IPv6 extension headers are skipped. Packets that are not UDP, are
 * IP fragments or were cut short by the snap length are counted but yield no datagram.
 */
public final class Pcap {
    public static final int LINKTYPE_ETHERNET = 1;
    public static final int LINKTYPE_RAW = 101;
    public static final int LINKTYPE_LINUX_SLL = 113;
    public static final int LINKTYPE_IPV4 = 228;
    public static final int LINKTYPE_IPV6 = 229;
    public static final int LINKTYPE_LINUX_SLL2 = 276;

    private static final int MAGIC_MICROS = 0xa1b2c3d4;
    private static final int MAGIC_NANOS = 0xa1b23c4d;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86dd;
    private static final int PROTO_UDP = 17;

    /** One UDP datagram as captured. */
    public record UdpDatagram(Instant timestamp, InetSocketAddress source, InetSocketAddress destination,
            byte[] payload) {
        @Override
        public String toString() {
            return timestamp + " " + source + " -> " + destination + " (" + payload.length + " bytes)";
        }
    }

    private final int linkType;
    private final boolean nanosecond;
    private final ByteOrder byteOrder;
    private final int packetCount;
    private final List<UdpDatagram> udp;

    private Pcap(int linkType, boolean nanosecond, ByteOrder byteOrder, int packetCount, List<UdpDatagram> udp) {
        this.linkType = linkType;
        this.nanosecond = nanosecond;
        this.byteOrder = byteOrder;
        this.packetCount = packetCount;
        this.udp = udp;
    }

    /** Reads a capture file. */
    public static Pcap read(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    /** Parses a whole capture held in memory. */
    public static Pcap parse(byte[] file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (in.remaining() < 24) {
            throw new IOException("not a pcap file: " + file.length + " bytes is shorter than the header");
        }
        int magic = in.getInt(0);
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            in.order(ByteOrder.BIG_ENDIAN);
            magic = in.getInt(0);
        }
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            throw new IOException(String.format("not a classic pcap file (magic %08x; pcapng is not supported)",
                    in.getInt(0)));
        }
        boolean nanos = magic == MAGIC_NANOS;
        // The upper bits of the link type field carry FCS information, not the type.
        int linkType = in.getInt(20) & 0xffff;
        if (!supported(linkType)) {
            throw new IOException("unsupported pcap link type " + linkType);
        }
        List<UdpDatagram> out = new ArrayList<>();
        int packets = 0;
        int at = 24;
        while (at < file.length) {
            if (file.length - at < 16) {
                throw new IOException("truncated record header at offset " + at);
            }
            long seconds = in.getInt(at) & 0xffffffffL;
            long fraction = in.getInt(at + 4) & 0xffffffffL;
            int captured = in.getInt(at + 8);
            if (captured < 0 || captured > file.length - at - 16) {
                throw new IOException("truncated record at offset " + at + " (captured length " + captured + ")");
            }
            Instant time = Instant.ofEpochSecond(seconds, nanos ? fraction : fraction * 1000);
            ByteBuffer frame = ByteBuffer.wrap(file, at + 16, captured).slice();
            packets++;
            UdpDatagram d = decodeFrame(linkType, frame, time);
            if (d != null) {
                out.add(d);
            }
            at += 16 + captured;
        }
        return new Pcap(linkType, nanos, in.order(), packets, List.copyOf(out));
    }

    /** The capture's link type (LINKTYPE_* value). */
    public int linkType() {
        return linkType;
    }

    /** Whether timestamps have nanosecond (rather than microsecond) resolution. */
    public boolean nanosecondResolution() {
        return nanosecond;
    }

    /** The byte order the capture was written in. */
    public ByteOrder byteOrder() {
        return byteOrder;
    }

    /** Number of packet records, UDP or not. */
    public int packetCount() {
        return packetCount;
    }

    /** The UDP datagrams in capture order. */
    public List<UdpDatagram> udpDatagrams() {
        return udp;
    }

    private static boolean supported(int linkType) {
        return switch (linkType) {
            case LINKTYPE_ETHERNET, LINKTYPE_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_LINUX_SLL,
                    LINKTYPE_LINUX_SLL2 -> true;
            default -> false;
        };
    }

    private static UdpDatagram decodeFrame(int linkType, ByteBuffer f, Instant time) {
        int etherType;
        int ip;
        switch (linkType) {
            case LINKTYPE_ETHERNET -> {
                ip = 14;
                etherType = f.limit() >= 14 ? f.getShort(12) & 0xffff : -1;
                while ((etherType == 0x8100 || etherType == 0x88a8) && f.limit() >= ip + 4) {
                    etherType = f.getShort(ip + 2) & 0xffff;
                    ip += 4;
                }
            }
            case LINKTYPE_LINUX_SLL -> {
                ip = 16;
                etherType = f.limit() >= 16 ? f.getShort(14) & 0xffff : -1;
            }
            case LINKTYPE_LINUX_SLL2 -> {
                ip = 20;
                etherType = f.limit() >= 20 ? f.getShort(0) & 0xffff : -1;
            }
            default -> {
                ip = 0;
                int version = f.limit() > 0 ? (f.get(0) & 0xff) >>> 4 : 0;
                etherType = version == 4 ? ETHERTYPE_IPV4 : version == 6 ? ETHERTYPE_IPV6 : -1;
            }
        }
        if (etherType == ETHERTYPE_IPV4) {
            return decodeIpv4(f, ip, time);
        }
        if (etherType == ETHERTYPE_IPV6) {
            return decodeIpv6(f, ip, time);
        }
        return null;
    }

    private static UdpDatagram decodeIpv4(ByteBuffer f, int ip, Instant time) {
        if (f.limit() - ip < 20 || (f.get(ip) & 0xf0) != 0x40) {
            return null;
        }
        int headerLength = (f.get(ip) & 0x0f) * 4;
        int totalLength = f.getShort(ip + 2) & 0xffff;
        int fragment = f.getShort(ip + 6) & 0x3fff; // more-fragments flag and offset
        if (headerLength < 20 || totalLength < headerLength || totalLength > f.limit() - ip || fragment != 0
                || (f.get(ip + 9) & 0xff) != PROTO_UDP) {
            return null;
        }
        return decodeUdp(f, ip + headerLength, ip + totalLength, bytes(f, ip + 12, 4), bytes(f, ip + 16, 4), time);
    }

    private static UdpDatagram decodeIpv6(ByteBuffer f, int ip, Instant time) {
        if (f.limit() - ip < 40 || (f.get(ip) & 0xf0) != 0x60) {
            return null;
        }
        int end = ip + 40 + (f.getShort(ip + 4) & 0xffff);
        if (end > f.limit()) {
            return null;
        }
        int next = f.get(ip + 6) & 0xff;
        int at = ip + 40;
        // Hop-by-hop, routing and destination options share one length encoding; AH has its own.
        while (next == 0 || next == 43 || next == 60 || next == 51) {
            if (end - at < 8) {
                return null;
            }
            int length = next == 51 ? ((f.get(at + 1) & 0xff) + 2) * 4 : ((f.get(at + 1) & 0xff) + 1) * 8;
            next = f.get(at) & 0xff;
            at += length;
        }
        if (next != PROTO_UDP) {
            return null; // includes fragments (44): a test utility need not reassemble
        }
        return decodeUdp(f, at, end, bytes(f, ip + 8, 16), bytes(f, ip + 24, 16), time);
    }

    private static UdpDatagram decodeUdp(ByteBuffer f, int udp, int end, byte[] src, byte[] dst, Instant time) {
        if (end - udp < 8) {
            return null;
        }
        int length = f.getShort(udp + 4) & 0xffff;
        if (length < 8 || length > end - udp) {
            return null;
        }
        return new UdpDatagram(time, socket(src, f.getShort(udp) & 0xffff), socket(dst, f.getShort(udp + 2) & 0xffff),
                bytes(f, udp + 8, length - 8));
    }

    private static byte[] bytes(ByteBuffer f, int at, int length) {
        byte[] b = new byte[length];
        f.get(at, b);
        return b;
    }

    private static InetSocketAddress socket(byte[] addr, int port) {
        try {
            // Inet6Address keeps IPv4-mapped sources as IPv6, as they were on the wire.
            InetAddress a = addr.length == 4 ? InetAddress.getByAddress(addr) : Inet6Address.getByAddress(null, addr, -1);
            return new InetSocketAddress(a, port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address of length " + addr.length + " from " + Arrays.toString(addr), e);
        }
    }
}
