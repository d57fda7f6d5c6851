// SPDX-License-Identifier: MIT
package io.jwg.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class IndexTableTest {

    @Test
    void insertedEntriesAreFoundAndRemovedOnes() {
        IndexTable t = new IndexTable(new SplittableRandom(1));
        List<IndexTable.Entry> entries = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            IndexTable.Entry e = t.insertHandshake(null);
            entries.add(e);
            assertEquals(true, seen.add(e.index), "indices are unique");
        }
        assertEquals(10_000, t.size());
        for (IndexTable.Entry e : entries) {
            assertSame(e, t.lookup(e.index));
        }
        for (int i = 0; i < entries.size(); i += 2) {
            t.remove(entries.get(i));
        }
        for (int i = 0; i < entries.size(); i++) {
            IndexTable.Entry e = entries.get(i);
            if (i % 2 == 0) {
                assertNull(t.lookup(e.index));
            } else {
                assertSame(e, t.lookup(e.index));
            }
        }
        assertEquals(5_000, t.size());
    }

    @Test
    void churnDoesNotGrowTheTableWithoutBound() {
        IndexTable t = new IndexTable(new SplittableRandom(2));
        for (int i = 0; i < 100_000; i++) {
            t.remove(t.insertHandshake(null));
        }
        assertEquals(0, t.size());
        IndexTable.Entry e = t.insertHandshake(null);
        assertSame(e, t.lookup(e.index));
    }

    @Test
    void lookupsDuringConcurrentChurnFindAStableEntry() throws Exception {
        IndexTable t = new IndexTable(new SplittableRandom(3));
        IndexTable.Entry stable = t.insertHandshake(null);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean failed = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                if (t.lookup(stable.index) != stable) {
                    failed.set(true);
                }
            }
        });
        reader.start();
        List<IndexTable.Entry> live = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            live.add(t.insertHandshake(null));
            if (live.size() > 500) {
                t.remove(live.remove(0));
            }
        }
        stop.set(true);
        reader.join();
        assertEquals(false, failed.get());
    }
}
