// SPDX-License-Identifier: MIT
package io.jwg.core;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The receiver-index lookup (whitepaper section 5.4.2, the kernel's index_hashtable) that every
 * transport message and every response makes: indices that exist, in random order as traffic
 * from many peers arrives, and indices that do not (forged or stale). Lives in core's package
 * because {@link IndexTable} is package-private; the benchmarks jar is used on the class path,
 * where a split package is allowed. Entries name no peer: lookups never look at it.
 */
@Fork(1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 8, time = 1)
public class IndexTableBenchmark {
    /** Indices per lookup pool, a power of two. */
    static final int PROBES = 1 << 16;

    @State(Scope.Thread)
    public static class Table {
        @Param({"10000", "100000"})
        int entries;

        IndexTable table;
        final int[] present = new int[PROBES];
        final int[] absent = new int[PROBES];
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            table = new IndexTable(new SplittableRandom(entries));
            int[] indices = new int[entries];
            for (int i = 0; i < entries; i++) {
                indices[i] = table.insertHandshake(null).index;
            }
            SplittableRandom random = new SplittableRandom(1);
            for (int p = 0; p < PROBES; p++) {
                present[p] = indices[random.nextInt(entries)];
                int miss;
                do {
                    miss = random.nextInt();
                } while (table.lookup(miss) != null);
                absent[p] = miss;
            }
        }
    }

    @Benchmark
    public Object lookupHit(Table t) {
        IndexTable.Entry e = t.table.lookup(t.present[t.next++ & (PROBES - 1)]);
        if (e == null) {
            throw new IllegalStateException("an inserted index was not found");
        }
        return e;
    }

    @Benchmark
    public Object lookupMiss(Table t) {
        IndexTable.Entry e = t.table.lookup(t.absent[t.next++ & (PROBES - 1)]);
        if (e != null) {
            throw new IllegalStateException("an absent index was found");
        }
        return null;
    }
}
