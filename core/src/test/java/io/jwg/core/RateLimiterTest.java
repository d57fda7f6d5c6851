// SPDX-License-Identifier: MIT
package io.jwg.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Per-source handshake rate limiting: 20 per second, bursts of 5, IPv6 by /64, idle sources forgotten. */
class RateLimiterTest {
    private static final long MS = 1_000_000L;
    private final ManualClock clock = new ManualClock();
    private final RateLimiter limiter = new RateLimiter(clock);

    private static byte[] ip(String literal) {
        return IpLiterals.parse(literal);
    }

    private int burst(byte[] addr, int tries) {
        int allowed = 0;
        for (int i = 0; i < tries; i++) {
            if (limiter.allow(addr)) {
                allowed++;
            }
        }
        return allowed;
    }

    @Test
    void constantsMatchTheKernel() {
        assertEquals(50 * MS, RateLimiter.PACKET_COST);
        assertEquals(250 * MS, RateLimiter.TOKEN_MAX);
    }

    @Test
    void aNewSourceGetsABurstOfFiveThenIsRefused() {
        byte[] src = ip("192.0.2.1");
        for (int i = 1; i <= RateLimiter.PACKETS_BURST; i++) {
            assertTrue(limiter.allow(src), "message " + i);
        }
        assertFalse(limiter.allow(src));
        assertFalse(limiter.allow(src));
    }

    @Test
    void creditRefillsAtTwentyPerSecondToTheExactNanosecond() {
        byte[] src = ip("198.51.100.7");
        // {advance in ms, allowed?}; the comment is the credit left afterwards in ms.
        long[][] table = {
            {0, 1}, // 200: a new source starts full and pays at once
            {0, 1}, // 150
            {0, 1}, // 100
            {0, 1}, // 50
            {0, 1}, // 0
            {0, 0}, // 0
            {10, 0}, // 10: refused messages cost nothing but the credit still accrues
            {30, 0}, // 40
            {10, 1}, // 0
            {49, 0}, // 49
            {1, 1}, // 0
            {300, 1}, // 200: credit is capped at 250
            {0, 1}, // 150
            {25, 1}, // 125
            {25, 1}, // 100
            {25, 1}, // 75
            {25, 1}, // 50
            {25, 1}, // 25
            {25, 1}, // 0
            {25, 0}, // 25: sustained 40/s is cut to 20/s
            {25, 1}, // 0
            {25, 0}, // 25
            {25, 1}, // 0
        };
        for (int i = 0; i < table.length; i++) {
            clock.advanceNanos(table[i][0] * MS);
            assertEquals(table[i][1] == 1, limiter.allow(src), "row " + i);
        }
        clock.advanceNanos(50 * MS - 1);
        assertFalse(limiter.allow(src), "one nanosecond short of a message's cost");
        clock.advanceNanos(1);
        assertTrue(limiter.allow(src));
    }

    @Test
    void steadyTwentyPerSecondIsNeverRefused() {
        byte[] src = ip("192.0.2.9");
        for (int i = 0; i < 200; i++) {
            assertTrue(limiter.allow(src), "message " + i);
            clock.advance(Duration.ofMillis(50));
        }
    }

    @Test
    void sourcesHaveIndependentBuckets() {
        byte[] a = ip("192.0.2.1");
        byte[] b = ip("192.0.2.2");
        assertEquals(5, burst(a, 10));
        assertEquals(5, burst(b, 10));
        assertEquals(5, burst(ip("2001:db8::1"), 10));
        assertEquals(0, burst(a, 1));
    }

    @Test
    void ipv6SourcesInOneSlash64ShareABucket() {
        assertEquals(3, burst(ip("2001:db8:1:2::1"), 3));
        assertEquals(2, burst(ip("2001:db8:1:2:ffff:ffff:ffff:ffff"), 5));
        assertEquals(0, burst(ip("2001:db8:1:2:abcd::9"), 1));
        assertEquals(5, burst(ip("2001:db8:1:3::1"), 10), "the neighbouring /64");
        assertEquals(5, burst(ip("2001:db8:1:1:ffff:ffff:ffff:ffff"), 10), "the /64 below");
        assertEquals(3, limiter.size());
    }

    @Test
    void ipv4MappedSourcesCountAsTheirIpv4Address() throws Exception {
        assertEquals(4, burst(ip("192.0.2.1"), 4));
        assertEquals(1, burst(ip("::ffff:192.0.2.1"), 5));
        assertEquals(5, burst(ip("::ffff:192.0.2.2"), 10), "other IPv4 sources do not share that bucket");
        assertFalse(limiter.allow(InetAddress.getByName("192.0.2.1")));
        assertEquals(2, limiter.size());
    }

    @Test
    void inetAddressConvenienceUsesTheSameBuckets() throws Exception {
        InetAddress v6 = InetAddress.getByName("2001:db8::5");
        assertEquals(4, burst(ip("2001:db8::6"), 4));
        assertTrue(limiter.allow(v6));
        assertFalse(limiter.allow(v6));
    }

    @Test
    void malformedSourcesAreRefusedAndNotTracked() {
        assertFalse(limiter.allow((byte[]) null));
        assertFalse(limiter.allow((InetAddress) null));
        assertFalse(limiter.allow(new byte[0]));
        assertFalse(limiter.allow(new byte[5]));
        assertFalse(limiter.allow(new byte[15]));
        assertEquals(0, limiter.size());
    }

    @Test
    void gcForgetsSourcesIdleForMoreThanASecond() {
        limiter.allow(ip("192.0.2.1"));
        clock.advance(Duration.ofMillis(500));
        limiter.allow(ip("192.0.2.2"));
        limiter.allow(ip("2001:db8::1"));
        assertEquals(3, limiter.size());
        clock.advance(Duration.ofMillis(500));
        limiter.gc();
        assertEquals(3, limiter.size(), "exactly one second idle is not yet expired");
        clock.advanceNanos(1);
        limiter.gc();
        assertEquals(2, limiter.size());
        clock.advance(Duration.ofMillis(500));
        limiter.gc();
        assertEquals(0, limiter.size());
    }

    @Test
    void allowSweepsByItselfAtMostOncePerSecond() {
        limiter.allow(ip("192.0.2.1")); // t = 0 (the limiter was made at t = 0)
        clock.advance(Duration.ofMillis(600));
        limiter.allow(ip("192.0.2.2")); // t = 0.6
        clock.advance(Duration.ofMillis(401));
        limiter.allow(ip("192.0.2.3")); // t = 1.001: a sweep drops .1 (idle 1.001 s)
        assertEquals(2, limiter.size());
        clock.advance(Duration.ofMillis(700));
        limiter.allow(ip("192.0.2.4")); // t = 1.701: .2 is idle 1.101 s, but the last sweep was 0.7 s ago
        assertEquals(3, limiter.size());
        clock.advance(Duration.ofMillis(301));
        limiter.allow(ip("192.0.2.4")); // t = 2.002: sweeps; .2 and .3 (idle 1.001 s) go, .4 stays
        assertEquals(1, limiter.size());
    }

    @Test
    void forgettingAnIdleSourceChangesNoAnswer() {
        byte[] src = ip("192.0.2.1");
        assertEquals(5, burst(src, 10));
        clock.advance(Duration.ofSeconds(2));
        limiter.gc();
        assertEquals(0, limiter.size());
        assertEquals(5, burst(src, 10));
    }

    @Test
    void newSourcesBeyondTheCapAreRefusedUntilASweepMakesRoom() {
        RateLimiter capped = new RateLimiter(clock, 3);
        assertTrue(capped.allow(ip("192.0.2.1")));
        assertTrue(capped.allow(ip("192.0.2.2")));
        assertTrue(capped.allow(ip("2001:db8::1")));
        assertFalse(capped.allow(ip("192.0.2.4")), "a fourth source");
        assertFalse(capped.allow(ip("2001:db8:0:1::1")), "a fourth source");
        assertTrue(capped.allow(ip("192.0.2.1")), "known sources keep their buckets");
        assertEquals(3, capped.size());
        clock.advance(Duration.ofMillis(1001));
        assertTrue(capped.allow(ip("192.0.2.4")), "the sweep freed the idle entries");
        assertEquals(1, capped.size());
    }

    @Test
    void thousandsOfSourcesEachKeepTheirOwnBucketAsTheTableGrows() {
        int n = 20_000;
        byte[][] sources = new byte[n][];
        for (int i = 0; i < n; i++) {
            sources[i] = i % 2 == 0
                    ? new byte[] {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i}
                    : new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, (byte) (i >>> 8), (byte) i, 1, 2, 3, 4, 5, 6, 7, 8};
        }
        for (int round = 0; round < RateLimiter.PACKETS_BURST; round++) {
            for (int i = 0; i < n; i++) {
                assertTrue(limiter.allow(sources[i]), "round " + round + " source " + i);
            }
        }
        for (int i = 0; i < n; i++) {
            assertFalse(limiter.allow(sources[i]), "source " + i + " spent its burst");
        }
        assertEquals(n, limiter.size());
    }

    @Test
    void concurrentCallersShareOneBurst() throws Exception {
        byte[] src = ip("192.0.2.77");
        AtomicInteger allowed = new AtomicInteger();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    if (limiter.allow(src)) {
                        allowed.incrementAndGet();
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(RateLimiter.PACKETS_BURST, allowed.get(), "the clock stood still, so only the burst");
    }
}
