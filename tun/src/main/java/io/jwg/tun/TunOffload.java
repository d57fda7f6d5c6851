// SPDX-License-Identifier: MIT
package io.jwg.tun;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The buffers and bookkeeping of a {@link LinuxTun} opened with {@code IFF_VNET_HDR} and TSO/checksum
 * offloads (what wireguard-go does since 2023, and the kernel module never needs): one read(2)
 * brings up to 64 KiB of TCP that {@link TsoSegmenter} cuts into wire packets, and one writev(2)
 * hands the kernel a run of segments {@link GroCoalescer} found to belong together, each payload
 * straight from the caller's buffer (the iovecs point into it; only the rewritten headers are
 * copied). A packet that joins nothing is written with an all-zero header: the kernel then checks
 * its checksums itself, as without offloads.
 *
 * <p>Read side and write side are used by one thread each (as {@link Tun} allows), and share
 * nothing. Allocates nothing per packet.
 */
final class TunOffload {
    /** What we let the kernel leave to us: checksums, and TCP segmentation over IPv4 and IPv6. */
    static final int OFFLOADS = LibC.TUN_F_CSUM | LibC.TUN_F_TSO4 | LibC.TUN_F_TSO6;
    /** Packets a read may return: a 64 KiB TSO packet at the smallest common MSS (536) is 123. */
    static final int BATCH = 128;
    private static final int RAW_SIZE = VirtioNetHdr.SIZE + 65535;
    /** IPv6 header plus the longest TCP header. */
    private static final int MAX_HEADERS = IpFields.IPV6_HEADER + 60;
    /** The virtio_net_hdr, the rewritten headers, and a payload per segment of a run. */
    private static final int MAX_IOVECS = 2 + GroCoalescer.MAX_SEGMENTS;

    // Read side.
    private final ByteBuffer raw = ByteBuffer.allocateDirect(RAW_SIZE).order(ByteOrder.BIG_ENDIAN);
    final long rawAddress = LibC.address(raw);
    final int rawSize = RAW_SIZE;
    private final TsoSegmenter segmenter = new TsoSegmenter();
    private volatile long refusedReads;

    // Write side.
    private final GroCoalescer coalescer = new GroCoalescer();
    private final DirectAddresses addresses = new DirectAddresses();
    private final ByteBuffer zeroHeader = ByteBuffer.allocateDirect(VirtioNetHdr.SIZE);
    private final long zeroHeaderAddress = LibC.address(zeroHeader);
    private final ByteBuffer gsoHeader = ByteBuffer.allocateDirect(VirtioNetHdr.SIZE);
    private final long gsoHeaderAddress = LibC.address(gsoHeader);
    private final ByteBuffer headers = ByteBuffer.allocateDirect(MAX_HEADERS).order(ByteOrder.BIG_ENDIAN);
    private final long headersAddress = LibC.address(headers);
    private final ByteBuffer bounce = ByteBuffer.allocateDirect(65535);
    private final long bounceAddress = LibC.address(bounce);
    private final ByteBuffer iov = ByteBuffer.allocateDirect(MAX_IOVECS * LibC.IOVEC_SIZE)
            .order(ByteOrder.nativeOrder());
    final long iovAddress = LibC.address(iov);
    /** Set after the kernel refused a coalesced packet: from then on every packet goes alone. */
    private boolean coalescingOff;
    private volatile long coalescedSegments;

    // ---- read side -----------------------------------------------------------------------------

    /** Whether segments of the last packet read are still to be handed out. */
    boolean pending() {
        return segmenter.pending();
    }

    /** Takes the {@code n} bytes just read into the raw buffer; a refused packet is counted. */
    void loaded(long n) {
        if (!segmenter.load(raw, (int) n)) {
            refusedReads = refusedReads + 1;
        }
    }

    /** Hands out the next packets into the caller's buffers; returns how many (maybe 0). */
    int emit(ByteBuffer[] bufs, int[] sizes, int offset) {
        return segmenter.emit(bufs, sizes, 0, offset);
    }

    /** Packets read that were malformed or used an offload we did not ask for (dropped). */
    long refusedReads() {
        return refusedReads;
    }

    // ---- write side ----------------------------------------------------------------------------

    /**
     * Lays out the iovecs for the packets starting at {@code from}: a run of coalesced TCP
     * segments, or one packet alone; {@link #iovCount()} says how many iovecs.
     *
     * @return the index after the last packet laid out, or {@code -from - 1} when packet
     *         {@code from} cannot be written at all (empty, outside its buffer)
     */
    int prepare(ByteBuffer[] bufs, int[] offs, int[] lens, int from, int count) {
        int end = coalescingOff ? from + 1 : coalescer.runEnd(bufs, offs, lens, from, count);
        if (end == from + 1) {
            return prepareSingle(bufs[from], offs[from], lens[from]) ? end : -from - 1;
        }
        int hdr = coalescer.writeHeaders(gsoHeader, headers, bufs, offs, lens, from, end);
        putIovec(0, gsoHeaderAddress, VirtioNetHdr.SIZE);
        putIovec(1, headersAddress, hdr);
        int n = 2;
        for (int i = from; i < end; i++) {
            putIovec(n++, addresses.of(bufs[i]) + offs[i] + hdr, lens[i] - hdr);
        }
        iovCount = n;
        coalescedSegments = coalescedSegments + (end - from);
        return end;
    }

    private int iovCount;

    int iovCount() {
        return iovCount;
    }

    /** The kernel refused a coalesced packet: stop coalescing (the caller rewrites the run alone). */
    void refuseCoalescing() {
        coalescingOff = true;
    }

    /** Segments that went to the kernel as part of a coalesced packet. */
    long coalescedSegments() {
        return coalescedSegments;
    }

    private boolean prepareSingle(ByteBuffer buf, int offset, int length) {
        if (offset < 0 || length <= 0 || offset + length > buf.capacity()
                || (!buf.isDirect() && length > bounce.capacity())) {
            return false;
        }
        long source;
        if (buf.isDirect()) {
            source = addresses.of(buf) + offset;
        } else {
            bounce.put(0, buf, offset, length);
            source = bounceAddress;
        }
        putIovec(0, zeroHeaderAddress, VirtioNetHdr.SIZE);
        putIovec(1, source, length);
        iovCount = 2;
        return true;
    }

    private void putIovec(int i, long base, long len) {
        iov.putLong(i * LibC.IOVEC_SIZE, base).putLong(i * LibC.IOVEC_SIZE + 8, len);
    }
}
