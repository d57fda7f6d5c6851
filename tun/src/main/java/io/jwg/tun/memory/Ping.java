// SPDX-License-Identifier: MIT
package io.jwg.tun.memory;

import io.jwg.tun.Checksums;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * ICMP echo ("ping") packets with their IP header, as they cross a TUN device: ICMPv4 echo
 * (RFC 792) in IPv4 (RFC 791) and ICMPv6 echo (RFC 4443 section 4) in IPv6 (RFC 8200).
 * Checksums are the Internet checksum (RFC 1071); the ICMPv6 one covers the IPv6 pseudo-header
 * (RFC 8200 section 8.1), the ICMPv4 one does not.
 *
 * <p>Tests use it to send pings through a tunnel and to answer pings that come out of one
 * ({@link #reply}). Built packets carry hop limit {@value #HOP_LIMIT}, and IPv4 ones set Don't
 * Fragment. Parsing accepts only what a ping produces: no IPv4 fragments, no IPv6 extension
 * headers.
 *
 * <p>Stateless and thread-safe.
 */
public final class Ping {

    public static final int ICMP_ECHO_REPLY = 0;
    public static final int ICMP_ECHO_REQUEST = 8;
    public static final int ICMPV6_ECHO_REQUEST = 128;
    public static final int ICMPV6_ECHO_REPLY = 129;

    /** TTL / hop limit of built packets (the Linux default). */
    public static final int HOP_LIMIT = 64;

    static final int IPV4_HEADER = 20;
    static final int IPV6_HEADER = 40;
    static final int ECHO_HEADER = 8;
    private static final int PROTO_ICMP = 1;
    private static final int PROTO_ICMPV6 = 58;
    private static final int IPV4_DONT_FRAGMENT = 0x4000;
    private static final int IPV4_FRAGMENT_BITS = 0x3fff; // More Fragments flag + offset

    /**
     * A parsed echo message. {@code payload} is a copy, owned by the record.
     *
     * @param request true for an echo request, false for an echo reply
     * @param hopLimit the IPv4 TTL or IPv6 hop limit
     */
    public record Echo(InetAddress source, InetAddress destination, boolean request,
                       int identifier, int sequence, int hopLimit, byte[] payload) {
        public boolean isIpv6() {
            return source instanceof Inet6Address;
        }
    }

    private Ping() {
    }

    /** An echo request from {@code source} to {@code destination}; both IPv4 or both IPv6. */
    public static byte[] echoRequest(InetAddress source, InetAddress destination, int identifier,
                                     int sequence, byte[] payload) {
        return echo(source, destination, true, identifier, sequence, payload);
    }

    /** An echo reply from {@code source} to {@code destination}; both IPv4 or both IPv6. */
    public static byte[] echoReply(InetAddress source, InetAddress destination, int identifier,
                                   int sequence, byte[] payload) {
        return echo(source, destination, false, identifier, sequence, payload);
    }

    private static byte[] echo(InetAddress source, InetAddress destination, boolean request,
                               int identifier, int sequence, byte[] payload) {
        boolean v6 = source instanceof Inet6Address;
        if (v6 != destination instanceof Inet6Address) {
            throw new IllegalArgumentException("mixed address families: " + source + " -> "
                    + destination);
        }
        int ipHeader = v6 ? IPV6_HEADER : IPV4_HEADER;
        int icmpLength = ECHO_HEADER + payload.length;
        if (ipHeader + icmpLength > 65535) {
            throw new IllegalArgumentException("payload too large: " + payload.length);
        }
        byte[] p = new byte[ipHeader + icmpLength];
        if (v6) {
            p[0] = 0x60;
            putShort(p, 4, icmpLength);
            p[6] = PROTO_ICMPV6;
            p[7] = HOP_LIMIT;
            System.arraycopy(source.getAddress(), 0, p, 8, 16);
            System.arraycopy(destination.getAddress(), 0, p, 24, 16);
            p[ipHeader] = (byte) (request ? ICMPV6_ECHO_REQUEST : ICMPV6_ECHO_REPLY);
        } else {
            p[0] = 0x45;
            putShort(p, 2, p.length);
            putShort(p, 6, IPV4_DONT_FRAGMENT);
            p[8] = HOP_LIMIT;
            p[9] = PROTO_ICMP;
            System.arraycopy(source.getAddress(), 0, p, 12, 4);
            System.arraycopy(destination.getAddress(), 0, p, 16, 4);
            p[ipHeader] = (byte) (request ? ICMP_ECHO_REQUEST : ICMP_ECHO_REPLY);
        }
        putShort(p, ipHeader + 4, identifier);
        putShort(p, ipHeader + 6, sequence);
        System.arraycopy(payload, 0, p, ipHeader + ECHO_HEADER, payload.length);
        fillChecksums(p, ipHeader, p.length);
        return p;
    }

    /** Parses a whole packet; see {@link #parse(byte[], int, int)}. */
    public static Echo parse(byte[] packet) {
        return parse(packet, 0, packet.length);
    }

    /**
     * Parses an IPv4 or IPv6 packet of {@code length} bytes at {@code offset} holding an ICMP echo
     * request or reply.
     *
     * @return the echo, or null if the packet is anything else, is truncated, or has a wrong
     *         checksum (IPv4 header or ICMP)
     */
    public static Echo parse(byte[] packet, int offset, int length) {
        int ipHeader = echoOffset(packet, offset, length);
        if (ipHeader < 0) {
            return null;
        }
        boolean v6 = (packet[offset] & 0xf0) == 0x60;
        int end = offset + packetLength(packet, offset, v6);
        int icmp = offset + ipHeader;
        int type = packet[icmp] & 0xff;
        boolean request = type == (v6 ? ICMPV6_ECHO_REQUEST : ICMP_ECHO_REQUEST);
        int addressOffset = v6 ? 8 : 12;
        int addressLength = v6 ? 16 : 4;
        InetAddress source = address(packet, offset + addressOffset, addressLength);
        InetAddress destination =
                address(packet, offset + addressOffset + addressLength, addressLength);
        return new Echo(source, destination, request, getShort(packet, icmp + 4),
                getShort(packet, icmp + 6), packet[offset + (v6 ? 7 : 8)] & 0xff,
                Arrays.copyOfRange(packet, icmp + ECHO_HEADER, end));
    }

    /**
     * The reply a host would send to echo request {@code request}: addresses swapped, the reply
     * type, a fresh hop limit, identifier, sequence and payload kept, checksums recomputed.
     *
     * @return the reply, or null if {@code request} is not a valid echo request
     */
    public static byte[] reply(byte[] request) {
        int ipHeader = echoOffset(request, 0, request.length);
        if (ipHeader < 0) {
            return null;
        }
        boolean v6 = (request[0] & 0xf0) == 0x60;
        int type = request[ipHeader] & 0xff;
        if (type != (v6 ? ICMPV6_ECHO_REQUEST : ICMP_ECHO_REQUEST)) {
            return null;
        }
        byte[] reply = Arrays.copyOf(request, packetLength(request, 0, v6));
        int addressOffset = v6 ? 8 : 12;
        int addressLength = v6 ? 16 : 4;
        System.arraycopy(request, addressOffset + addressLength, reply, addressOffset,
                addressLength);
        System.arraycopy(request, addressOffset, reply, addressOffset + addressLength,
                addressLength);
        reply[v6 ? 7 : 8] = HOP_LIMIT;
        reply[ipHeader] = (byte) (v6 ? ICMPV6_ECHO_REPLY : ICMP_ECHO_REPLY);
        fillChecksums(reply, ipHeader, reply.length);
        return reply;
    }

    /**
     * The RFC 1071 Internet checksum of {@code length} bytes at {@code offset}, continuing the
     * one's complement sum {@code initial} (0 to start): the value to store in a checksum field
     * that was zero while summing. Summing data that includes a correct checksum gives 0.
     */
    static int checksum(byte[] data, int offset, int length, long initial) {
        long sum = initial + Checksums.sum(ByteBuffer.wrap(data), offset, length);
        return Checksums.complement(Checksums.fold(sum));
    }

    /** One's complement sum of the IPv6 pseudo-header for an ICMPv6 message of this length. */
    private static long ipv6PseudoHeaderSum(byte[] packet, int offset, int icmpLength) {
        return Checksums.pseudoHeader(ByteBuffer.wrap(packet), offset, PROTO_ICMPV6, icmpLength);
    }

    private static void fillChecksums(byte[] p, int ipHeader, int end) {
        boolean v6 = (p[0] & 0xf0) == 0x60;
        int icmpLength = end - ipHeader;
        putShort(p, ipHeader + 2, 0);
        long initial = v6 ? ipv6PseudoHeaderSum(p, 0, icmpLength) : 0;
        putShort(p, ipHeader + 2, checksum(p, ipHeader, icmpLength, initial));
        if (!v6) {
            putShort(p, 10, 0);
            putShort(p, 10, checksum(p, 0, ipHeader, 0));
        }
    }

    /**
     * Validates an echo packet and returns the length of its IP header (where ICMP starts), or -1
     * when it is not a well-formed ICMP echo request or reply with correct checksums.
     */
    private static int echoOffset(byte[] p, int offset, int length) {
        if (length < 1 || offset < 0 || offset + length > p.length) {
            return -1;
        }
        int version = (p[offset] & 0xf0) >>> 4;
        if (version == 4) {
            if (length < IPV4_HEADER) {
                return -1;
            }
            int ipHeader = (p[offset] & 0x0f) * 4;
            int total = getShort(p, offset + 2);
            if (ipHeader < IPV4_HEADER || total > length || total < ipHeader + ECHO_HEADER
                    || (getShort(p, offset + 6) & IPV4_FRAGMENT_BITS) != 0
                    || p[offset + 9] != PROTO_ICMP
                    || checksum(p, offset, ipHeader, 0) != 0
                    || checksum(p, offset + ipHeader, total - ipHeader, 0) != 0) {
                return -1;
            }
            int type = p[offset + ipHeader] & 0xff;
            boolean echo = type == ICMP_ECHO_REQUEST || type == ICMP_ECHO_REPLY;
            return echo && p[offset + ipHeader + 1] == 0 ? ipHeader : -1;
        }
        if (version == 6) {
            if (length < IPV6_HEADER + ECHO_HEADER) {
                return -1;
            }
            int icmpLength = getShort(p, offset + 4);
            if (p[offset + 6] != PROTO_ICMPV6 || icmpLength < ECHO_HEADER
                    || IPV6_HEADER + icmpLength > length
                    || checksum(p, offset + IPV6_HEADER, icmpLength,
                            ipv6PseudoHeaderSum(p, offset, icmpLength)) != 0) {
                return -1;
            }
            int type = p[offset + IPV6_HEADER] & 0xff;
            boolean echo = type == ICMPV6_ECHO_REQUEST || type == ICMPV6_ECHO_REPLY;
            return echo && p[offset + IPV6_HEADER + 1] == 0 ? IPV6_HEADER : -1;
        }
        return -1;
    }

    /** Length of the IP packet per its own header (trailing bytes past it are not part of it). */
    private static int packetLength(byte[] p, int offset, boolean v6) {
        return v6 ? IPV6_HEADER + getShort(p, offset + 4) : getShort(p, offset + 2);
    }

    private static InetAddress address(byte[] p, int offset, int length) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(p, offset, offset + length));
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible); // only thrown for a wrong length
        }
    }

    private static int getShort(byte[] p, int offset) {
        return ((p[offset] & 0xff) << 8) | (p[offset + 1] & 0xff);
    }

    private static void putShort(byte[] p, int offset, int value) {
        p[offset] = (byte) (value >>> 8);
        p[offset + 1] = (byte) value;
    }
}
