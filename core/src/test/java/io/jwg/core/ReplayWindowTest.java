// SPDX-License-Identifier: MIT
package io.jwg.core;

import static io.jwg.core.ReplayWindow.COUNTER_WINDOW_SIZE;
import static io.jwg.core.ReplayWindow.REJECT_AFTER_MESSAGES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.testing.Pcap;
import io.jwg.core.testing.TestVectors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The counter check of whitepaper 5.4.6 against hand-made sequences, a naive model and a real kernel trace. */
class ReplayWindowTest {
    private static final long W = COUNTER_WINDOW_SIZE;
    private final ReplayWindow window = new ReplayWindow();

    private void step(int n, long counter, boolean accepted) {
        assertEquals(accepted, window.accept(counter), "step " + n + ": counter " + Long.toUnsignedString(counter));
    }

    @Test
    void constantsMatchTheProtocol() {
        assertEquals("18446744073709543423", Long.toUnsignedString(REJECT_AFTER_MESSAGES)); // 2^64 - 2^13 - 1
        assertEquals(8192 - 64, COUNTER_WINDOW_SIZE);
    }

    @Test
    void numberedSequenceOfDuplicatesReorderingAndWindowEdges() {
        long far = 4 * (W + 1);
        step(1, 0, true); // the very first counter
        step(2, 0, false); // its duplicate
        step(3, 1, true);
        step(4, 1, false);
        step(5, 10, true); // gap ahead
        step(6, 9, true); // late but inside the window
        step(7, 5, true);
        step(8, 9, false);
        step(9, 10, false);
        step(10, W + 1, true); // highest becomes W + 1: counter 1 is now exactly W behind
        step(11, 1, false); // at the edge but already seen
        step(12, 2, true); // W - 1 behind, never seen
        step(13, 0, false); // W + 1 behind: just outside
        step(14, W, true);
        step(15, W, false);
        step(16, W + 20, true);
        step(17, 19, false); // W + 1 behind the new highest
        step(18, 20, true); // exactly W behind
        step(19, 20, false);
        step(20, W + 20, false);
        step(21, far, true); // a jump of several windows
        step(22, far - W - 1, false); // just outside
        step(23, far - W, true); // the oldest counter the window still holds
        step(24, far - W, false);
        step(25, far - W + 1, true);
        step(26, far - 1, true);
        step(27, W + 19, false); // long gone
        step(28, far + 3, true);
        step(29, far + 3 - W - 1, false); // never seen, but now just outside
        step(30, far + 3 - W, true);
    }

    @Test
    void rejectAfterMessagesIsTheFirstRefusedCounter() {
        long r = REJECT_AFTER_MESSAGES;
        step(1, r, false);
        step(2, r + 1, false);
        step(3, -1L, false); // 2^64 - 1
        step(4, r - 1, true); // the last usable counter
        step(5, r - 1, false);
        step(6, r, false);
        step(7, r - 2, true);
        step(8, r - 2, false);
        step(9, r + 2, false);
        step(10, r - 1 - W, true); // the window still works at the very top
        step(11, r - 2 - W, false);
        step(12, 0, false);
    }

    @Test
    void countersAboveTwoToTheSixtyThreeCompareUnsigned() {
        long top = Long.MIN_VALUE + 10; // 2^63 + 10: negative as a Java long
        step(1, Long.MAX_VALUE - 5, true);
        step(2, top, true);
        step(3, Long.MAX_VALUE - 5, false);
        step(4, Long.MAX_VALUE, true); // 2^63 - 1, 11 behind the highest
        step(5, Long.MIN_VALUE, true);
        step(6, top - W, true);
        step(7, top - W - 1, false);
        step(8, 5, false);
    }

    @Test
    void everyCounterOfALongInOrderRunIsAcceptedOnceAndReplaysAreRefused() {
        int n = 3 * ReplayWindow.COUNTER_BITS_TOTAL + 77;
        for (long c = 0; c < n; c++) {
            assertTrue(window.accept(c), "first time " + c);
            assertFalse(window.accept(c), "replayed " + c);
        }
        for (long c = 0; c < n; c++) {
            assertFalse(window.accept(c), "second pass " + c);
        }
    }

    @Test
    void aWholeWindowArrivingBackwardsIsAccepted() {
        assertTrue(window.accept(W));
        for (long c = W - 1; c >= 0; c--) {
            assertTrue(window.accept(c), "counter " + c);
        }
        for (long c = 0; c <= W; c++) {
            assertFalse(window.accept(c), "replayed " + c);
        }
    }

    @Test
    void windowEdgeHoldsAtEveryAlignment() {
        // Whatever bit and word the highest counter lands on, exactly W counters behind it are open.
        for (long highest = W; highest < W + 2 * 64 + 1; highest++) {
            for (long behind : new long[] {1, 63, 64, 65, W - 1, W, W + 1, W + 64, ReplayWindow.COUNTER_BITS_TOTAL}) {
                ReplayWindow w = new ReplayWindow();
                assertTrue(w.accept(highest));
                assertEquals(behind <= W, w.accept(highest - behind), "highest " + highest + ", " + behind + " behind");
            }
        }
    }

    @ParameterizedTest(name = "stride {0}")
    @ValueSource(longs = {1, 2, 63, 64, 65, 127, 128, 4096, 8127, 8128, 8129, 8191, 8192, 8193, 100_000})
    void jumpsOfAnyStrideLeaveNoStaleBitsBehind(long stride) {
        // The ring is reused as the window moves: a counter that lands on a reused bit must not
        // look like a replay of the counter that bit held a lap earlier.
        for (long c = 0; c < 40 * stride && c < 200_000; c += stride) {
            assertTrue(window.accept(c), "counter " + c);
            if (c >= 1 && stride > 1) {
                assertTrue(window.accept(c - 1), "the one just behind " + c);
            }
        }
    }

    @Test
    void resetForgetsEverything() {
        assertTrue(window.accept(5));
        assertTrue(window.accept(100_000));
        window.reset();
        assertTrue(window.accept(5));
        assertTrue(window.accept(0));
        assertFalse(window.accept(5));
    }

    @ParameterizedTest(name = "start {0}")
    @ValueSource(longs = {0, Long.MAX_VALUE - 300_000, REJECT_AFTER_MESSAGES - 600_000})
    void agreesWithANaiveModelOnRandomTraffic(long start) {
        // The model states the rule directly: below the limit, never seen, at most W behind the highest.
        Random rnd = new Random(start);
        Set<Long> seen = new HashSet<>();
        Long highest = null;
        long cursor = start;
        for (int i = 0; i < 200_000; i++) {
            int roll = rnd.nextInt(100);
            long c = roll < 60 ? cursor + rnd.nextInt(8) // mostly in order
                    : roll < 90 ? cursor - rnd.nextInt((int) W + 200) // late, around the window edge
                    : roll < 99 ? cursor + rnd.nextInt(20_000) // jumps
                    : cursor; // replays
            if (Long.compareUnsigned(c, start) < 0) {
                continue; // below the start, or wrapped past 2^64: outside what this run models
            }
            boolean expected = Long.compareUnsigned(c, REJECT_AFTER_MESSAGES) < 0 && !seen.contains(c)
                    && (highest == null || Long.compareUnsigned(c + W, highest) >= 0);
            assertEquals(expected, window.accept(c), "step " + i + ", counter " + Long.toUnsignedString(c));
            if (expected) {
                seen.add(c);
                if (highest == null || Long.compareUnsigned(c, highest) > 0) {
                    highest = c;
                }
                cursor = highest;
            }
        }
    }

    @Test
    void concurrentReceiversAcceptEachCounterExactlyOnce() throws Exception {
        int n = 200_000;
        AtomicIntegerArray accepted = new AtomicIntegerArray(n);
        Thread[] threads = new Thread[3];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int c = 0; c < n; c++) {
                    if (window.accept(c)) {
                        accepted.incrementAndGet(c);
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        for (int c = 0; c < n; c++) {
            assertEquals(1, accepted.get(c), "counter " + c);
        }
    }

    /** Counters of one direction's transport messages to one receiver index, in capture order. */
    record Stream(String direction, int receiverIndex, List<Long> counters) {
    }

    static List<Stream> kernelTraceStreams() throws Exception {
        Pcap capture = Pcap.read(TestVectors.require("kernel-trace.pcap"));
        Map<String, Stream> streams = new LinkedHashMap<>();
        for (Pcap.UdpDatagram d : capture.udpDatagrams()) {
            byte[] p = d.payload();
            if (p.length < 16 || p[0] != 4) {
                continue;
            }
            ByteBuffer le = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN);
            int receiver = le.getInt(4);
            String direction = d.source() + " -> " + d.destination();
            streams.computeIfAbsent(direction + " #" + Integer.toHexString(receiver),
                    k -> new Stream(direction, receiver, new ArrayList<>())).counters().add(le.getLong(8));
        }
        return List.copyOf(streams.values());
    }

    @Test
    void acceptsTheRealKernelCounterSequenceAndRefusesItsReplay() throws Exception {
        List<Stream> streams = kernelTraceStreams();
        assertEquals(1212, streams.stream().mapToInt(s -> s.counters().size()).sum(), "transport messages in the trace");
        assertEquals(9, streams.size(), "(direction, receiver index) pairs in the trace");
        for (Stream s : streams) {
            ReplayWindow w = new ReplayWindow();
            for (long c : s.counters()) {
                assertTrue(w.accept(c), s.direction() + " #" + Integer.toHexString(s.receiverIndex()) + " counter " + c);
                assertFalse(w.accept(c), "immediate replay of counter " + c);
            }
            for (long c : s.counters()) {
                assertFalse(w.accept(c), "later replay of counter " + c);
            }
        }
    }
}
