// SPDX-License-Identifier: MIT
package io.jwg.bench;

import io.jwg.core.ReplayWindow;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The receive-side counter check (whitepaper section 5.4.6) that every transport message passes:
 * counters in order, counters reordered inside the window (as several sending cores or a
 * multipath underlay produce), and replays, both of a counter still inside the window and of one
 * already behind it. Each call checks that the window answered as the pattern requires, so no
 * figure comes from the wrong path.
 */
@Fork(1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 8, time = 1)
public class ReplayWindowBenchmark {
    /** Reordering happens inside blocks of this many counters: each block is a fixed shuffle. */
    static final int REORDER_BLOCK = 1024;
    /** Counters accepted before the replays are sent again. */
    static final int HISTORY = ReplayWindow.COUNTER_WINDOW_SIZE;

    @State(Scope.Thread)
    public static class InOrder {
        final ReplayWindow window = new ReplayWindow();
        long counter;
    }

    @State(Scope.Thread)
    public static class Reordered {
        final ReplayWindow window = new ReplayWindow();
        final int[] shuffle = new int[REORDER_BLOCK];
        long base;
        int i;

        @Setup(Level.Trial)
        public void setUp() {
            SplittableRandom random = new SplittableRandom(7);
            for (int k = 0; k < REORDER_BLOCK; k++) {
                shuffle[k] = k;
            }
            for (int k = REORDER_BLOCK - 1; k > 0; k--) {
                int j = random.nextInt(k + 1);
                int t = shuffle[k];
                shuffle[k] = shuffle[j];
                shuffle[j] = t;
            }
        }
    }

    /** A window that has accepted 0 .. HISTORY - 1 and COUNTER_BITS_TOTAL * 4 .. + HISTORY - 1. */
    @State(Scope.Thread)
    public static class Seen {
        final ReplayWindow window = new ReplayWindow();
        static final long RECENT = ReplayWindow.COUNTER_BITS_TOTAL * 4L;
        int i;

        @Setup(Level.Trial)
        public void setUp() {
            for (long c = 0; c < HISTORY; c++) {
                window.accept(c);
            }
            for (long c = RECENT; c < RECENT + HISTORY; c++) {
                window.accept(c);
            }
        }
    }

    @Benchmark
    public boolean inOrder(InOrder s) {
        return expect(s.window.accept(s.counter++), true);
    }

    @Benchmark
    public boolean reordered(Reordered s) {
        long counter = s.base + s.shuffle[s.i];
        if (++s.i == REORDER_BLOCK) {
            s.i = 0;
            s.base += REORDER_BLOCK;
        }
        return expect(s.window.accept(counter), true);
    }

    /** A counter inside the window that was already accepted: the bitmap says no. */
    @Benchmark
    public boolean replayInWindow(Seen s) {
        int k = s.i++ % HISTORY;
        return expect(s.window.accept(Seen.RECENT + k), false);
    }

    /** A counter too far behind the highest one: refused before the bitmap is read. */
    @Benchmark
    public boolean replayTooOld(Seen s) {
        int k = s.i++ % HISTORY;
        return expect(s.window.accept(k), false);
    }

    private static boolean expect(boolean accepted, boolean wanted) {
        if (accepted != wanted) {
            throw new IllegalStateException("replay window answered " + accepted);
        }
        return accepted;
    }
}
