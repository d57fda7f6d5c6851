// SPDX-License-Identifier: MIT
package io.jwg.core.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** How {@link UdpGso#runLength} cuts a batch into segmented sends the kernel accepts. */
class UdpGsoTest {

    private static int run(int start, int... lens) {
        return UdpGso.runLength(lens, start, lens.length);
    }

    @Test
    void equalSizesFormOneRun() {
        assertEquals(4, run(0, 1000, 1000, 1000, 1000));
    }

    @Test
    void aShorterDatagramEndsTheRunItJoins() {
        assertEquals(3, run(0, 1000, 1000, 300, 1000));
        assertEquals(1, run(3, 1000, 1000, 300, 1000));
    }

    @Test
    void aLongerDatagramStartsTheNextRun() {
        assertEquals(2, run(0, 500, 500, 1000, 1000));
        assertEquals(2, run(2, 500, 500, 1000, 1000));
    }

    @Test
    void aLoneDatagramIsARunOfOne() {
        assertEquals(1, run(0, 1420));
    }

    @Test
    void atMostMaxSegmentsPerRun() {
        int[] lens = new int[150];
        Arrays.fill(lens, 100);
        assertEquals(UdpGso.MAX_SEGMENTS, UdpGso.runLength(lens, 0, lens.length));
        assertEquals(150 - 2 * UdpGso.MAX_SEGMENTS, UdpGso.runLength(lens, 2 * UdpGso.MAX_SEGMENTS, lens.length));
    }

    @Test
    void atMostMaxPayloadBytesPerRun() {
        int[] lens = new int[60];
        Arrays.fill(lens, 1452);
        int n = UdpGso.runLength(lens, 0, lens.length);
        assertEquals(UdpGso.MAX_PAYLOAD / 1452, n);
        // A shorter last datagram joins only while the total stays within the limit.
        int[] tight = new int[46];
        Arrays.fill(tight, 1420);
        tight[45] = 1000;
        assertEquals(46, UdpGso.runLength(tight, 0, tight.length)); // 45 * 1420 + 1000 = 64900
        tight[45] = 1400;
        assertEquals(46, UdpGso.runLength(tight, 0, tight.length)); // 65300 still fits
        int[] over = new int[47];
        Arrays.fill(over, 1420);
        over[46] = 1000; // 46 * 1420 = 65320, + 1000 passes 65507
        assertEquals(46, UdpGso.runLength(over, 0, over.length));
    }
}
