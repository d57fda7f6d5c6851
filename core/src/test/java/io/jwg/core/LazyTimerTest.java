// SPDX-License-Identifier: MIT
package io.jwg.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyTimerTest {
    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final AtomicInteger fired = new AtomicInteger();
    private final LazyTimer timer = new LazyTimer(clock, scheduler, fired::incrementAndGet);

    @Test
    void firesOnceAtTheDeadline() {
        timer.mod(Duration.ofSeconds(5).toNanos());
        assertTrue(timer.pending());
        scheduler.advance(Duration.ofMillis(4999));
        assertEquals(0, fired.get());
        scheduler.advance(Duration.ofMillis(1));
        assertEquals(1, fired.get());
        assertFalse(timer.pending());
        scheduler.advance(Duration.ofSeconds(60));
        assertEquals(1, fired.get());
    }

    @Test
    void reArmingPushesTheDeadlineWithoutExtraFirings() {
        timer.mod(Duration.ofSeconds(5).toNanos());
        for (int i = 0; i < 100; i++) {
            scheduler.advance(Duration.ofSeconds(1));
            timer.mod(Duration.ofSeconds(5).toNanos());
        }
        assertEquals(0, fired.get());
        assertTrue(scheduler.pendingTasks() <= 2, "re-arming does not pile up tasks");
        scheduler.advance(Duration.ofSeconds(5));
        assertEquals(1, fired.get());
    }

    @Test
    void anEarlierDeadlineWins() {
        timer.mod(Duration.ofSeconds(10).toNanos());
        timer.mod(Duration.ofSeconds(2).toNanos());
        scheduler.advance(Duration.ofSeconds(2));
        assertEquals(1, fired.get());
        scheduler.advance(Duration.ofSeconds(10));
        assertEquals(1, fired.get());
    }

    @Test
    void delAndStopCancel() {
        timer.mod(Duration.ofSeconds(1).toNanos());
        timer.del();
        scheduler.advance(Duration.ofSeconds(2));
        assertEquals(0, fired.get());
        timer.stop();
        timer.mod(Duration.ofSeconds(1).toNanos());
        scheduler.advance(Duration.ofSeconds(2));
        assertEquals(0, fired.get());
        assertFalse(timer.pending());
    }

    @Test
    void sendAndAnswerCyclesScheduleNothing() {
        // The data path: mod on every packet sent, del on every answer received.
        timer.mod(Duration.ofSeconds(15).toNanos());
        assertEquals(1, scheduler.pendingTasks());
        for (int i = 0; i < 1000; i++) {
            scheduler.advance(Duration.ofMillis(1));
            timer.del();
            timer.mod(Duration.ofSeconds(15).toNanos());
        }
        assertEquals(1, scheduler.pendingTasks(), "one armed task stands in for every re-arm");
        timer.del();
        scheduler.advance(Duration.ofSeconds(60));
        assertEquals(0, fired.get());
        assertEquals(0, scheduler.pendingTasks());
        timer.mod(Duration.ofSeconds(15).toNanos());
        scheduler.advance(Duration.ofSeconds(15));
        assertEquals(1, fired.get());
    }

    @Test
    void aDeadlineMovedLaterFiresOnceAtTheEnd() {
        timer.mod(Duration.ofSeconds(1).toNanos());
        timer.del();
        timer.mod(Duration.ofSeconds(3).toNanos());
        scheduler.advance(Duration.ofSeconds(1));
        assertEquals(0, fired.get());
        assertTrue(timer.pending());
        scheduler.advance(Duration.ofSeconds(2));
        assertEquals(1, fired.get());
        timer.mod(Duration.ofSeconds(1).toNanos());
        timer.mod(Duration.ofMillis(500).toNanos());
        scheduler.advance(Duration.ofSeconds(5));
        assertEquals(2, fired.get());
        assertEquals(0, scheduler.pendingTasks());
    }

    @Test
    void aJitteredTimerArmedEarlyStillFiresOnTime() {
        long jitter = Duration.ofMillis(333).toNanos();
        LazyTimer jittered = new LazyTimer(clock, scheduler, fired::incrementAndGet, jitter);
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        long lastDue = 0;
        for (int i = 0; i < 1000; i++) {
            scheduler.advance(Duration.ofMillis(1));
            jittered.del();
            long delay = Duration.ofSeconds(15).toNanos() + random.nextLong(jitter);
            jittered.mod(delay);
            lastDue = clock.nanoTime() + delay;
        }
        assertEquals(1, scheduler.pendingTasks(), "deadlines that jitter do not arm a task each");
        scheduler.advance(Duration.ofNanos(lastDue - clock.nanoTime() - 1));
        assertEquals(0, fired.get());
        scheduler.advance(Duration.ofNanos(1));
        assertEquals(1, fired.get());
    }
}
