// SPDX-License-Identifier: MIT
package io.jwg.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The two halves of the TUN offloads against each other and against the rules TSO and GRO follow:
 * segments that {@link GroCoalescer} joins and {@link TsoSegmenter} cuts again come back byte for
 * byte, and segments that TSO could not have produced are never joined.
 */
class TsoGroTest {
    private static final int OFF = 16;
    private final Random random = new Random(42);
    private final GroCoalescer gro = new GroCoalescer();

    private byte[] payload(int n) {
        byte[] p = new byte[n];
        random.nextBytes(p);
        return p;
    }

    /** A flow of {@code n} segments of {@code mss} bytes (the last {@code lastLen}), consecutive. */
    private ByteBuffer[] flow(TcpPackets f, int n, int mss, int lastLen, int lastFlags) {
        ByteBuffer[] bufs = new ByteBuffer[n];
        int seq = 1_000_000;
        int id = f.id;
        for (int i = 0; i < n; i++) {
            int len = i == n - 1 ? lastLen : mss;
            f.id = id + i;
            bufs[i] = f.segment(seq, i == n - 1 ? lastFlags : IpFields.TCP_ACK_FLAG, payload(len), OFF,
                    i % 2 == 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            seq += len;
        }
        f.id = id;
        return bufs;
    }

    private static int[] offs(int n) {
        int[] o = new int[n];
        java.util.Arrays.fill(o, OFF);
        return o;
    }

    private static int[] lens(ByteBuffer[] bufs) {
        int[] l = new int[bufs.length];
        for (int i = 0; i < bufs.length; i++) {
            l[i] = IpFields.u8(bufs[i], OFF) == 0x45 ? IpFields.u16(bufs[i], OFF + 2)
                    : 40 + IpFields.u16(bufs[i], OFF + 4);
        }
        return l;
    }

    /** What the kernel would read from us for the run: virtio_net_hdr, headers, payloads. */
    private ByteBuffer coalesce(ByteBuffer[] bufs, int[] lens, int from, int to) {
        ByteBuffer vnet = ByteBuffer.allocateDirect(VirtioNetHdr.SIZE);
        ByteBuffer headers = ByteBuffer.allocateDirect(100);
        int hdr = gro.writeHeaders(vnet, headers, bufs, offs(bufs.length), lens, from, to);
        ByteBuffer raw = ByteBuffer.allocateDirect(VirtioNetHdr.SIZE + 65535);
        int p = 0;
        raw.put(p, vnet, 0, VirtioNetHdr.SIZE);
        p += VirtioNetHdr.SIZE;
        raw.put(p, headers, 0, hdr);
        p += hdr;
        for (int i = from; i < to; i++) {
            raw.put(p, bufs[i], OFF + hdr, lens[i] - hdr);
            p += lens[i] - hdr;
        }
        return raw.limit(p);
    }

    /** Completes the partial checksum the way the kernel's TSO would, into each segment. */
    private ByteBuffer[] segment(ByteBuffer raw, int bufCount) {
        TsoSegmenter seg = new TsoSegmenter();
        assertTrue(seg.load(raw, raw.limit()), seg.refusal());
        ByteBuffer[] out = new ByteBuffer[200];
        for (int i = 0; i < out.length; i++) {
            out[i] = ByteBuffer.allocateDirect(OFF + 2048);
        }
        int[] sizes = new int[200];
        int n = 0;
        while (seg.pending()) {
            ByteBuffer[] window = java.util.Arrays.copyOfRange(out, n, n + bufCount);
            int[] ws = new int[bufCount];
            int got = seg.emit(window, ws, 0, OFF);
            System.arraycopy(ws, 0, sizes, n, got);
            n += got;
        }
        ByteBuffer[] result = new ByteBuffer[n];
        for (int i = 0; i < n; i++) {
            result[i] = out[i].limit(OFF + sizes[i]);
        }
        return result;
    }

    private void assertRoundTrip(TcpPackets f, int n, int mss, int lastLen, int lastFlags, int bufCount) {
        ByteBuffer[] bufs = flow(f, n, mss, lastLen, lastFlags);
        int[] lens = lens(bufs);
        assertEquals(n, gro.runEnd(bufs, offs(n), lens, 0, n), "the whole flow is one run");
        ByteBuffer raw = coalesce(bufs, lens, 0, n);
        assertEquals(n == 1 ? 0 : f.v6 ? VirtioNetHdr.GSO_TCPV6 : VirtioNetHdr.GSO_TCPV4,
                raw.get(VirtioNetHdr.GSO_TYPE));
        ByteBuffer[] back = segment(raw, bufCount);
        assertEquals(n, back.length);
        for (int i = 0; i < n; i++) {
            assertArrayEquals(TcpPackets.bytes(bufs[i], OFF, lens[i]),
                    TcpPackets.bytes(back[i], OFF, back[i].limit() - OFF), "segment " + i);
        }
    }

    @Test
    void ipv4SegmentsCoalesceAndSplitBackByteForByte() {
        assertRoundTrip(new TcpPackets(false), 45, 1368, 1368, IpFields.TCP_ACK_FLAG | IpFields.TCP_PSH, 128);
    }

    @Test
    void ipv6SegmentsWithAShortLastOneCoalesceAndSplitBack() {
        assertRoundTrip(new TcpPackets(true), 30, 1348, 700, IpFields.TCP_ACK_FLAG, 128);
    }

    @Test
    void ipv4WithoutDontFragmentNeedsConsecutiveIdentifications() {
        TcpPackets f = new TcpPackets(false);
        f.dontFragment = false;
        assertRoundTrip(f, 10, 1000, 1000, IpFields.TCP_ACK_FLAG, 128);
        ByteBuffer[] bufs = flow(f, 4, 1000, 1000, IpFields.TCP_ACK_FLAG);
        IpFields.putU16(bufs[2], OFF + 4, 7); // identification out of sequence
        IpFields.putU16(bufs[2], OFF + 10, Checksums.ipv4Header(bufs[2], OFF));
        assertEquals(2, gro.runEnd(bufs, offs(4), lens(bufs), 0, 4));
    }

    @Test
    void segmentsCutIntoFewerBuffersThanSegmentsComeOutOverSeveralEmits() {
        assertRoundTrip(new TcpPackets(false), 40, 536, 100, IpFields.TCP_ACK_FLAG, 7);
    }

    @Test
    void runsStopAt64KiBAndAtTheSegmentLimit() {
        TcpPackets f = new TcpPackets(false);
        ByteBuffer[] bufs = flow(f, 60, 1400, 1400, IpFields.TCP_ACK_FLAG);
        int end = gro.runEnd(bufs, offs(60), lens(bufs), 0, 60);
        assertTrue(end < 60 && f.headerLength() + end * 1400 <= 65535
                && f.headerLength() + (end + 1) * 1400 > 65535, "run of " + end);
        ByteBuffer[] small = flow(f, 100, 100, 100, IpFields.TCP_ACK_FLAG);
        assertEquals(GroCoalescer.MAX_SEGMENTS, gro.runEnd(small, offs(100), lens(small), 0, 100));
    }

    @Test
    void whatTsoCouldNotHaveSentIsNotJoined() {
        TcpPackets f = new TcpPackets(false);
        int[] o = offs(3);
        // A gap in the sequence numbers.
        ByteBuffer[] gap = {f.segment(0, 0x10, payload(100), OFF, ByteOrder.BIG_ENDIAN),
                f.segment(101, 0x10, payload(100), OFF, ByteOrder.BIG_ENDIAN)};
        assertEquals(1, gro.runEnd(gap, o, lens(gap), 0, 2));
        // Another flow (port), another acknowledgment, another TTL, other options.
        for (java.util.function.Consumer<TcpPackets> change : java.util.List.<java.util.function.Consumer<TcpPackets>>of(
                p -> p.srcPort++, p -> p.ack++, p -> p.ttl--, p -> p.window++, p -> p.tos = 4,
                p -> p.options = new byte[] {1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 2})) {
            TcpPackets g = new TcpPackets(false);
            ByteBuffer a = g.segment(0, 0x10, payload(100), OFF, ByteOrder.BIG_ENDIAN);
            change.accept(g);
            ByteBuffer b = g.segment(100, 0x10, payload(100), OFF, ByteOrder.BIG_ENDIAN);
            ByteBuffer[] two = {a, b};
            assertEquals(1, gro.runEnd(two, o, lens(two), 0, 2));
        }
        // A larger segment after a smaller one; anything after a short or pushed one.
        ByteBuffer[] grow = {f.segment(0, 0x10, payload(100), OFF, ByteOrder.BIG_ENDIAN),
                f.segment(100, 0x10, payload(200), OFF, ByteOrder.BIG_ENDIAN)};
        assertEquals(1, gro.runEnd(grow, o, lens(grow), 0, 2));
        ByteBuffer[] afterShort = {f.segment(0, 0x10, payload(100), OFF, ByteOrder.BIG_ENDIAN),
                f.segment(100, 0x10, payload(50), OFF, ByteOrder.BIG_ENDIAN),
                f.segment(150, 0x10, payload(50), OFF, ByteOrder.BIG_ENDIAN)};
        assertEquals(2, gro.runEnd(afterShort, o, lens(afterShort), 0, 3));
        ByteBuffer[] afterPush = {f.segment(0, 0x10, payload(100), OFF, ByteOrder.BIG_ENDIAN),
                f.segment(100, 0x18, payload(100), OFF, ByteOrder.BIG_ENDIAN),
                f.segment(200, 0x10, payload(100), OFF, ByteOrder.BIG_ENDIAN)};
        assertEquals(2, gro.runEnd(afterPush, o, lens(afterPush), 0, 3));
        // SYN, FIN, RST, URG, ECE, CWR and pure ACKs are never joined.
        for (int flags : new int[] {0x12, 0x11, 0x14, 0x30, 0x50, 0x90}) {
            ByteBuffer[] two = {f.segment(0, flags, payload(100), OFF, ByteOrder.BIG_ENDIAN),
                    f.segment(100, 0x10, payload(100), OFF, ByteOrder.BIG_ENDIAN)};
            assertEquals(1, gro.runEnd(two, o, lens(two), 0, 2), "flags " + flags);
        }
        ByteBuffer[] acks = {f.segment(0, 0x10, new byte[0], OFF, ByteOrder.BIG_ENDIAN),
                f.segment(0, 0x10, new byte[0], OFF, ByteOrder.BIG_ENDIAN)};
        assertEquals(1, gro.runEnd(acks, o, lens(acks), 0, 2));
    }

    @Test
    void aSegmentWithABadChecksumIsWrittenAloneForTheKernelToDrop() {
        TcpPackets f = new TcpPackets(false);
        ByteBuffer[] bufs = flow(f, 5, 500, 500, 0x10);
        int payloadAt = OFF + f.headerLength() + 17;
        bufs[3].put(payloadAt, (byte) (bufs[3].get(payloadAt) ^ 1));
        assertEquals(3, gro.runEnd(bufs, offs(5), lens(bufs), 0, 5));
        assertEquals(4, gro.runEnd(bufs, offs(5), lens(bufs), 3, 5), "the bad one goes alone");
        bufs[0].put(payloadAt, (byte) (bufs[0].get(payloadAt) ^ 1));
        assertEquals(1, gro.runEnd(bufs, offs(5), lens(bufs), 0, 5), "a bad head goes alone");
    }

    @Test
    void aPartialChecksumIsCompleted() {
        TcpPackets f = new TcpPackets(false);
        ByteBuffer good = f.segment(5, 0x18, payload(333), OFF, ByteOrder.BIG_ENDIAN);
        int len = lens(new ByteBuffer[] {good})[0];
        ByteBuffer raw = ByteBuffer.allocateDirect(VirtioNetHdr.SIZE + len);
        VirtioNetHdr.put(raw, 0, VirtioNetHdr.F_NEEDS_CSUM, 0, 0, 0, 20, 16);
        raw.put(VirtioNetHdr.SIZE, good, OFF, len);
        int tcp = VirtioNetHdr.SIZE + 20;
        // What the kernel leaves: the pseudo-header sum, not complemented.
        IpFields.putU16(raw, tcp + 16, Checksums.pseudoHeader(raw, VirtioNetHdr.SIZE, 6, len - 20));
        ByteBuffer[] back = segment(raw, 4);
        assertEquals(1, back.length);
        assertArrayEquals(TcpPackets.bytes(good, OFF, len), TcpPackets.bytes(back[0], OFF, len));
    }

    @Test
    void malformedOrUnaskedOffloadsAreRefused() {
        TsoSegmenter seg = new TsoSegmenter();
        ByteBuffer raw = ByteBuffer.allocateDirect(200);
        assertFalse(seg.load(raw, 5), "shorter than the header");
        TcpPackets f = new TcpPackets(false);
        ByteBuffer p = f.segment(0, 0x10, payload(100), 0, ByteOrder.BIG_ENDIAN);
        raw.put(VirtioNetHdr.SIZE, p, 0, 152);
        VirtioNetHdr.put(raw, 0, 0, VirtioNetHdr.GSO_UDP, 28, 100, 20, 6);
        assertFalse(seg.load(raw, 162), "UFO was not asked for");
        VirtioNetHdr.put(raw, 0, 1, VirtioNetHdr.GSO_TCPV6, 52, 50, 20, 16);
        assertFalse(seg.load(raw, 162), "TCPV6 on an IPv4 packet");
        VirtioNetHdr.put(raw, 0, 1, VirtioNetHdr.GSO_TCPV4, 52, 0, 20, 16);
        assertFalse(seg.load(raw, 162), "segment size 0");
        VirtioNetHdr.put(raw, 0, 1, 0, 0, 0, 150, 16);
        assertFalse(seg.load(raw, 162), "checksum field outside the packet");
        assertFalse(seg.pending());
    }
}
