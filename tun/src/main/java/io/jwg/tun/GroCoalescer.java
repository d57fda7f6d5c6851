// SPDX-License-Identifier: MIT
package io.jwg.tun;

import static io.jwg.tun.IpFields.*;

import java.nio.ByteBuffer;

/**
 * Receive-side coalescing (GRO, as the kernel's tcp_gro_receive does for a NIC) of the TCP segments
 * a batch is about to write to a TUN descriptor with {@code IFF_VNET_HDR}: consecutive segments of
 * one flow become one packet of up to 64 KiB, which the kernel's TCP takes in one pass instead of
 * one per segment. The kernel is told it is a TSO packet ({@code gso_type} TCPV4/TCPV6,
 * {@code gso_size} = the first segment's payload) whose checksum is partial, so should it forward
 * it instead (a router, a bridge) it cuts it back into the very same segments.
 *
 * <p>Segments join only when the result is what the sender's own TSO could have produced, so
 * nothing the endpoints see changes: same addresses, ports, TTL or hop limit, TOS or traffic class
 * and flow label, DF, IPv4 identification counting up by one when DF is clear, same TCP header
 * length, acknowledgment, window and options byte for byte, flags ACK only (PSH allowed on the last),
 * the sequence number continuing exactly where the previous segment ended, every payload the size
 * of the first except a shorter last one, no IPv4 options, fragments or IPv6 extension headers, and
 * at most 65,535 bytes in all. Each segment's checksums are verified before it joins (the kernel
 * does not check a partial checksum), so a corrupt segment is written alone and dropped by the
 * kernel as before.
 *
 * <p>Stateless between calls, allocates nothing, not thread-safe (the writing thread owns it).
 */
final class GroCoalescer {
    static final int MAX_TOTAL = 65535;
    /** Most segments in one run (the kernel's UDP_MAX_SEGMENTS; TCP runs hit MAX_TOTAL first). */
    static final int MAX_SEGMENTS = 64;

    /**
     * The end (exclusive) of the run of packets starting at {@code from} that may be written as
     * one: {@code from + 1} when packet {@code from} cannot be coalesced with the next.
     */
    int runEnd(ByteBuffer[] bufs, int[] offs, int[] lens, int from, int count) {
        if (from + 1 >= count || !inside(bufs[from], offs[from], lens[from])) {
            return from + 1;
        }
        ByteBuffer h = bufs[from];
        int ho = offs[from];
        int hl = lens[from];
        int headHdr = coalescable(h, ho, hl);
        if (headHdr < 0 || (u8(h, ho + ipHeaderLength(h, ho) + TCP_FLAGS) & TCP_PSH) != 0) {
            return from + 1;
        }
        int gsoSize = hl - headHdr;
        int total = hl;
        boolean headChecked = false;
        int end = from + 1;
        while (end < count && end - from < MAX_SEGMENTS) {
            ByteBuffer p = bufs[end];
            int po = offs[end];
            int pl = lens[end];
            int hdr = inside(p, po, pl) ? coalescable(p, po, pl) : -1;
            int payload = pl - hdr;
            if (hdr != headHdr || payload > gsoSize || total + payload > MAX_TOTAL
                    || !sameFlowAndNext(h, ho, p, po, end - from, total - headHdr)) {
                break;
            }
            if (!headChecked) {
                if (!checksumsValid(h, ho, hl)) {
                    return from + 1;
                }
                headChecked = true;
            }
            if (!checksumsValid(p, po, pl)) {
                break;
            }
            total += payload;
            end++;
            int ipl = ipHeaderLength(p, po);
            if (payload < gsoSize || (u8(p, po + ipl + TCP_FLAGS) & TCP_PSH) != 0) {
                break; // a short segment or a push ends what TSO would have sent as one
            }
        }
        return end;
    }

    /**
     * Writes the virtio_net_hdr for the run {@code [from, to)} into {@code vnet} at 0, and the run's
     * IP and TCP headers into {@code headers} at 0 (the payloads follow as they lie in the batch).
     *
     * @return the length of the headers written into {@code headers}
     */
    int writeHeaders(ByteBuffer vnet, ByteBuffer headers, ByteBuffer[] bufs, int[] offs, int[] lens,
                     int from, int to) {
        ByteBuffer h = bufs[from];
        int ho = offs[from];
        int ipl = ipHeaderLength(h, ho);
        int hdr = ipl + tcpHeaderLength(h, ho + ipl);
        int total = lens[from];
        for (int i = from + 1; i < to; i++) {
            total += lens[i] - hdr;
        }
        headers.put(0, h, ho, hdr);
        boolean v4 = (u8(h, ho) >>> 4) == 4;
        if (v4) {
            putU16(headers, IPV4_TOTAL_LENGTH, total);
            putU16(headers, IPV4_CHECKSUM, Checksums.ipv4Header(headers, 0));
        } else {
            putU16(headers, IPV6_PAYLOAD_LENGTH, total - IPV6_HEADER);
        }
        ByteBuffer last = bufs[to - 1];
        int lastFlags = u8(last, offs[to - 1] + ipl + TCP_FLAGS);
        headers.put(ipl + TCP_FLAGS, (byte) (u8(headers, ipl + TCP_FLAGS) | (lastFlags & TCP_PSH)));
        // A partial checksum: the field holds the pseudo-header sum, the kernel adds the rest.
        putU16(headers, ipl + TCP_CHECKSUM,
                Checksums.pseudoHeader(headers, 0, Checksums.PROTO_TCP, total - ipl));
        VirtioNetHdr.put(vnet, 0, VirtioNetHdr.F_NEEDS_CSUM,
                v4 ? VirtioNetHdr.GSO_TCPV4 : VirtioNetHdr.GSO_TCPV6, hdr, lens[from] - hdr, ipl,
                VirtioNetHdr.TCP_CSUM_OFFSET);
        return hdr;
    }

    /**
     * The IP plus TCP header length of a packet that could be part of a run (plain IPv4 or IPv6
     * carrying TCP with ACK and at most PSH set, and payload), or -1.
     */
    static int coalescable(ByteBuffer b, int o, int len) {
        if (len < IPV4_MIN_HEADER + TCP_MIN_HEADER) {
            return -1;
        }
        int first = u8(b, o);
        int ipl;
        if (first == 0x45) {
            int frag = u16(b, o + IPV4_FLAGS_FRAGMENT);
            if (u8(b, o + IPV4_PROTOCOL) != Checksums.PROTO_TCP || u16(b, o + IPV4_TOTAL_LENGTH) != len
                    || (frag & (IPV4_MORE_FRAGMENTS | IPV4_OFFSET_MASK)) != 0) {
                return -1;
            }
            ipl = IPV4_MIN_HEADER;
        } else if (first >>> 4 == 6) {
            if (len < IPV6_HEADER + TCP_MIN_HEADER || u8(b, o + IPV6_NEXT_HEADER) != Checksums.PROTO_TCP
                    || u16(b, o + IPV6_PAYLOAD_LENGTH) != len - IPV6_HEADER) {
                return -1;
            }
            ipl = IPV6_HEADER;
        } else {
            return -1;
        }
        int tcpl = tcpHeaderLength(b, o + ipl);
        int flags = u8(b, o + ipl + TCP_FLAGS);
        if (tcpl < TCP_MIN_HEADER || ipl + tcpl >= len || (flags & ~TCP_PSH) != TCP_ACK_FLAG) {
            return -1;
        }
        return ipl + tcpl;
    }

    /**
     * Whether packet {@code p} continues the flow of head {@code h} as its {@code k}-th segment,
     * {@code payloadSoFar} bytes after the head's sequence number.
     */
    private static boolean sameFlowAndNext(ByteBuffer h, int ho, ByteBuffer p, int po, int k, int payloadSoFar) {
        int ipl;
        if (u8(h, ho) == 0x45) {
            if (u8(p, po) != 0x45 || u8(h, ho + 1) != u8(p, po + 1) // TOS
                    || u16(h, ho + IPV4_TTL) != u16(p, po + IPV4_TTL) // TTL and protocol
                    || !sameBytes(h, ho + IPV4_SRC, p, po + IPV4_SRC, 8)) { // addresses
                return false;
            }
            int hf = u16(h, ho + IPV4_FLAGS_FRAGMENT);
            if (hf != u16(p, po + IPV4_FLAGS_FRAGMENT)) {
                return false;
            }
            if ((hf & IPV4_DONT_FRAGMENT) == 0
                    && ((u16(h, ho + IPV4_ID) + k) & 0xffff) != u16(p, po + IPV4_ID)) {
                return false;
            }
            ipl = IPV4_MIN_HEADER;
        } else {
            if (u8(p, po) >>> 4 != 6 || i32(h, ho) != i32(p, po)
                    || u8(h, ho + IPV6_HOP_LIMIT) != u8(p, po + IPV6_HOP_LIMIT)
                    || !sameBytes(h, ho + IPV6_SRC, p, po + IPV6_SRC, 32)) {
                return false;
            }
            ipl = IPV6_HEADER;
        }
        int ht = ho + ipl;
        int pt = po + ipl;
        int tcpl = tcpHeaderLength(h, ht);
        return i32(h, ht) == i32(p, pt) // ports
                && i32(h, ht + TCP_SEQ) + payloadSoFar == i32(p, pt + TCP_SEQ)
                && i32(h, ht + TCP_ACK) == i32(p, pt + TCP_ACK)
                && u16(h, ht + 14) == u16(p, pt + 14) // window
                && sameBytes(h, ht + TCP_MIN_HEADER, p, pt + TCP_MIN_HEADER, tcpl - TCP_MIN_HEADER);
    }

    private static boolean checksumsValid(ByteBuffer b, int o, int len) {
        int ipl = ipHeaderLength(b, o);
        boolean v4 = ipl == IPV4_MIN_HEADER;
        return (!v4 || Checksums.ipv4HeaderValid(b, o))
                && Checksums.transportValid(b, o, o + ipl, o + len, Checksums.PROTO_TCP);
    }

    /** Direct, and within the buffer's limit (absolute reads stop there), or written alone. */
    private static boolean inside(ByteBuffer b, int o, int len) {
        return b.isDirect() && o >= 0 && len > 0 && o + len <= b.limit();
    }

    private static int ipHeaderLength(ByteBuffer b, int o) {
        return u8(b, o) == 0x45 ? IPV4_MIN_HEADER : IPV6_HEADER;
    }

    private static boolean sameBytes(ByteBuffer a, int ao, ByteBuffer b, int bo, int n) {
        int i = 0;
        // Word compares only when both buffers read words the same way.
        for (; i + 4 <= n && a.order() == b.order(); i += 4) {
            if (a.getInt(ao + i) != b.getInt(bo + i)) {
                return false;
            }
        }
        for (; i < n; i++) {
            if (a.get(ao + i) != b.get(bo + i)) {
                return false;
            }
        }
        return true;
    }
}
