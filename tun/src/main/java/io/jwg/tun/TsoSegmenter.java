// SPDX-License-Identifier: MIT
package io.jwg.tun;

import static io.jwg.tun.IpFields.*;

import java.nio.ByteBuffer;

/**
 * Turns one packet read from a TUN descriptor with offloads on ({@code IFF_VNET_HDR} and
 * {@code TUNSETOFFLOAD TUN_F_CSUM|TUN_F_TSO4|TUN_F_TSO6}) into the wire packets a peer expects:
 * what a NIC does for the kernel in hardware, done here before encryption.
 *
 * <ul>
 *   <li>{@code gso_type} TCPV4/TCPV6 (TSO): a TCP packet carrying up to 64 KiB is cut into
 *       segments of {@code gso_size} payload bytes, each with its own copy of the IP and TCP
 *       headers: IPv4 total length, identification (+1 per segment, as the kernel's own
 *       segmentation does) and header checksum; IPv6 payload length; TCP sequence number, FIN
 *       and PSH on the last segment only, CWR on the first only; and a full TCP checksum.
 *   <li>{@code gso_type} NONE with {@code NEEDS_CSUM}: the transport checksum the kernel left
 *       partial is completed.
 *   <li>anything else we did not ask for (UDP fragmentation offload) is refused and dropped.
 * </ul>
 *
 * <p>A TSO packet can hold more segments than the caller has buffers for (a small MSS), so the
 * segmenter keeps its place: {@link #emit} hands out what fits and {@link #pending()} says whether
 * the next read must start with the rest. The source buffer is this object's caller's; it must not
 * change between {@link #load} and the last {@link #emit}. Not thread-safe; allocates nothing.
 */
final class TsoSegmenter {
    /** Why the last {@link #load} refused a packet, for counting; null if it did not. */
    private String refusal;

    private ByteBuffer in;
    private int pkt;
    private int len;
    private boolean tso;
    private boolean v4;
    private int ipLen;
    private int hdrLen;
    private int gsoSize;
    private int segments;
    private int next;

    /**
     * Takes the packet read into {@code src[0, n)}: a virtio_net_hdr followed by the IP packet.
     *
     * @return false if the packet is malformed or uses an offload we did not ask for (drop it)
     */
    boolean load(ByteBuffer src, int n) {
        in = src;
        next = segments = 0;
        refusal = null;
        pkt = VirtioNetHdr.SIZE;
        len = n - VirtioNetHdr.SIZE;
        if (len <= 0) {
            return refuse("shorter than its virtio_net_hdr");
        }
        int flags = src.get(VirtioNetHdr.FLAGS) & 0xff;
        int gsoType = src.get(VirtioNetHdr.GSO_TYPE) & 0xff & ~VirtioNetHdr.GSO_ECN;
        int csumStart = VirtioNetHdr.u16(src, VirtioNetHdr.CSUM_START);
        int csumOffset = VirtioNetHdr.u16(src, VirtioNetHdr.CSUM_OFFSET);
        int version = u8(src, pkt) >>> 4;
        if (gsoType == VirtioNetHdr.GSO_NONE) {
            tso = false;
            segments = 1;
            if ((flags & VirtioNetHdr.F_NEEDS_CSUM) != 0) {
                return completeChecksum(csumStart, csumOffset, version);
            }
            return true;
        }
        if (gsoType != VirtioNetHdr.GSO_TCPV4 && gsoType != VirtioNetHdr.GSO_TCPV6) {
            return refuse("gso_type " + gsoType + " was not asked for");
        }
        v4 = gsoType == VirtioNetHdr.GSO_TCPV4;
        ipLen = csumStart;
        if (v4 ? version != 4 || (u8(src, pkt) & 0x0f) * 4 != ipLen : version != 6 || ipLen < IPV6_HEADER) {
            return refuse("TSO header does not match its IP header");
        }
        if (csumOffset != VirtioNetHdr.TCP_CSUM_OFFSET || ipLen + TCP_MIN_HEADER > len) {
            return refuse("TSO packet without a TCP header");
        }
        int tcpLen = tcpHeaderLength(src, pkt + ipLen);
        hdrLen = ipLen + tcpLen;
        gsoSize = VirtioNetHdr.u16(src, VirtioNetHdr.GSO_SIZE);
        if (tcpLen < TCP_MIN_HEADER || hdrLen > len || gsoSize == 0) {
            return refuse("TSO packet with a bad TCP header or segment size");
        }
        tso = true;
        int payload = len - hdrLen;
        segments = Math.max(1, (payload + gsoSize - 1) / gsoSize);
        return true;
    }

    /** Whether segments of the last loaded packet are still to be emitted. */
    boolean pending() {
        return next < segments;
    }

    /** Why the last load refused its packet. */
    String refusal() {
        return refusal;
    }

    /**
     * Writes the next segments into {@code bufs[i]} at {@code offset}, their lengths into
     * {@code sizes[i]}, starting at index {@code first}.
     *
     * @return the index after the last buffer filled
     */
    int emit(ByteBuffer[] bufs, int[] sizes, int first, int offset) {
        int i = first;
        while (next < segments && i < bufs.length) {
            ByteBuffer out = bufs[i];
            // Absolute accessors stop at the limit, which Tun.read says it ignores: lift it for
            // the copy and put it back, so the caller sees no change.
            int limit = out.limit();
            out.limit(out.capacity());
            int n = tso ? segment(out, offset, next) : copyWhole(out, offset);
            out.limit(limit);
            next++;
            if (n > 0) {
                sizes[i++] = n;
            }
        }
        return i;
    }

    private int copyWhole(ByteBuffer out, int offset) {
        if (len > out.capacity() - offset) {
            return 0;
        }
        out.put(offset, in, pkt, len);
        return len;
    }

    private int segment(ByteBuffer out, int o, int index) {
        int start = hdrLen + index * gsoSize;
        int chunk = Math.max(0, Math.min(gsoSize, len - start));
        int total = hdrLen + chunk;
        if (total > out.capacity() - o) {
            return 0;
        }
        out.put(o, in, pkt, hdrLen);
        out.put(o + hdrLen, in, pkt + start, chunk);
        if (v4) {
            putU16(out, o + IPV4_TOTAL_LENGTH, total);
            putU16(out, o + IPV4_ID, u16(out, o + IPV4_ID) + index);
            putU16(out, o + IPV4_CHECKSUM, Checksums.ipv4Header(out, o));
        } else {
            putU16(out, o + IPV6_PAYLOAD_LENGTH, total - IPV6_HEADER);
        }
        int tcp = o + ipLen;
        putI32(out, tcp + TCP_SEQ, i32(out, tcp + TCP_SEQ) + index * gsoSize);
        int flags = u8(out, tcp + TCP_FLAGS);
        if (index != segments - 1) {
            flags &= ~(TCP_FIN | TCP_PSH);
        }
        if (index != 0) {
            flags &= ~TCP_CWR;
        }
        out.put(tcp + TCP_FLAGS, (byte) flags);
        putU16(out, tcp + TCP_CHECKSUM, 0);
        int l4 = total - ipLen;
        int sum = Checksums.fold((long) Checksums.pseudoHeader(out, o, Checksums.PROTO_TCP, l4)
                + Checksums.sum(out, tcp, l4));
        putU16(out, tcp + TCP_CHECKSUM, Checksums.complement(sum));
        return total;
    }

    /** NEEDS_CSUM: sum from csum_start to the end (the field holds the pseudo-header sum already). */
    private boolean completeChecksum(int csumStart, int csumOffset, int version) {
        int field = csumStart + csumOffset;
        if (csumStart >= len || field + 2 > len) {
            return refuse("checksum offsets outside the packet");
        }
        int sum = Checksums.complement(Checksums.sum(in, pkt + csumStart, len - csumStart));
        int protocol = version == 4 ? u8(in, pkt + IPV4_PROTOCOL) : u8(in, pkt + IPV6_NEXT_HEADER);
        if (sum == 0 && protocol == Checksums.PROTO_UDP && csumOffset == UDP_CHECKSUM) {
            sum = 0xffff; // a computed UDP checksum of zero is sent as all ones (RFC 768)
        }
        putU16(in, pkt + field, sum);
        return true;
    }

    private boolean refuse(String why) {
        refusal = why;
        segments = next = 0;
        return false;
    }
}
