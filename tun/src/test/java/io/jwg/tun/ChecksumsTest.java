// SPDX-License-Identifier: MIT
package io.jwg.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Internet checksum against RFC 1071's definition, in either buffer byte order. */
class ChecksumsTest {

    /** RFC 1071 word by word: big-endian 16-bit words, odd byte padded, end-around carry. */
    private static int naive(byte[] data, int off, int len) {
        long sum = 0;
        for (int i = 0; i < len; i += 2) {
            int hi = data[off + i] & 0xff;
            int lo = i + 1 < len ? data[off + i + 1] & 0xff : 0;
            sum += hi << 8 | lo;
            while (sum > 0xffff) {
                sum = (sum & 0xffff) + (sum >>> 16);
            }
        }
        return (int) sum;
    }

    @Test
    void sumMatchesRfc1071ForEveryLengthOffsetAndByteOrder() {
        Random random = new Random(1071);
        for (int trial = 0; trial < 2_000; trial++) {
            byte[] data = new byte[1 + random.nextInt(3_000)];
            random.nextBytes(data);
            if (trial % 7 == 0) {
                java.util.Arrays.fill(data, (byte) 0xff); // carries on every word
            }
            int off = random.nextInt(data.length);
            int len = random.nextInt(data.length - off + 1);
            for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
                ByteBuffer heap = ByteBuffer.wrap(data).order(order);
                ByteBuffer direct = ByteBuffer.allocateDirect(data.length).order(order).put(0, data);
                int expected = naive(data, off, len);
                assertEquals(expected, Checksums.sum(heap, off, len), "heap " + order + " " + off + "+" + len);
                assertEquals(expected, Checksums.sum(direct, off, len), "direct " + order);
            }
        }
    }

    @Test
    void rfc1071SectionThreeExample() {
        // RFC 1071 section 3: the sum of 00 01 f2 03 f4 f5 f6 f7 is ddf2.
        byte[] data = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertEquals(0xddf2, Checksums.sum(ByteBuffer.wrap(data), 0, data.length));
        assertEquals(0xddf2, Checksums.sum(ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN), 0, 8));
    }

    @Test
    void anIpv4HeaderWithItsChecksumVerifies() {
        // A real header (RFC 791 layout) whose checksum field is b861.
        int[] h = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00,
                   0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
        ByteBuffer b = ByteBuffer.allocate(20);
        for (int i = 0; i < 20; i++) {
            b.put(i, (byte) h[i]);
        }
        assertEquals(0xb861, Checksums.ipv4Header(b, 0));
        IpFields.putU16(b, 10, 0xb861);
        assertTrue(Checksums.ipv4HeaderValid(b, 0));
    }
}
