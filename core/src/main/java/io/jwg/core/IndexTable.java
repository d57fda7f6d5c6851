// SPDX-License-Identifier: MIT
package io.jwg.core;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.random.RandomGenerator;

/**
 * Random 32-bit local indices (whitepaper section 5.4.2: "sender index") mapped to the handshake
 * or keypair they name, so a received message finds its session in O(1) without trusting its
 * sender (the kernel's index_hashtable). Open addressing with linear probing over an
 * {@link AtomicReferenceArray}: lookups on the data path take no lock and allocate nothing;
 * changes hold this object's lock and replace the array when it fills.
 */
final class IndexTable {

    /** What an index names: a peer's handshake under way, or one of its keypairs. */
    static final class Entry {
        final int index;
        final Peer peer;
        /** Null while the entry names the peer's handshake. */
        volatile Keypair keypair;

        Entry(int index, Peer peer) {
            this.index = index;
            this.peer = peer;
        }
    }

    private static final Entry TOMBSTONE = new Entry(0, null);
    private final RandomGenerator random;
    private volatile AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(64);
    private int live;
    private int used; // live + tombstones

    IndexTable(RandomGenerator random) {
        this.random = random;
    }

    /** Looks an index up; null when unknown. Lock-free. */
    Entry lookup(int index) {
        AtomicReferenceArray<Entry> s = slots;
        int mask = s.length() - 1;
        for (int i = mix(index) & mask, n = 0; n <= mask; i = (i + 1) & mask, n++) {
            Entry e = s.get(i);
            if (e == null) {
                return null;
            }
            if (e != TOMBSTONE && e.index == index) {
                return e;
            }
        }
        return null;
    }

    /** Allocates a fresh random index for {@code peer}'s handshake. */
    synchronized Entry insertHandshake(Peer peer) {
        int index;
        do {
            index = random.nextInt();
        } while (lookup(index) != null);
        Entry e = new Entry(index, peer);
        put(e);
        return e;
    }

    /** Removes the entry if it is still in the table. */
    synchronized void remove(Entry e) {
        AtomicReferenceArray<Entry> s = slots;
        int mask = s.length() - 1;
        for (int i = mix(e.index) & mask, n = 0; n <= mask; i = (i + 1) & mask, n++) {
            Entry x = s.get(i);
            if (x == null) {
                return;
            }
            if (x == e) {
                s.set(i, TOMBSTONE);
                live--;
                return;
            }
        }
    }

    synchronized int size() {
        return live;
    }

    private void put(Entry e) {
        if ((used + 1) * 2 > slots.length()) {
            rebuild(live * 4 + 64 > slots.length() ? slots.length() * 2 : slots.length());
        }
        AtomicReferenceArray<Entry> s = slots;
        int mask = s.length() - 1;
        int i = mix(e.index) & mask;
        while (s.get(i) != null) {
            i = (i + 1) & mask;
        }
        s.set(i, e);
        live++;
        used++;
    }

    /** Copies the live entries into a fresh array (dropping tombstones), then publishes it. */
    private void rebuild(int capacity) {
        AtomicReferenceArray<Entry> old = slots;
        AtomicReferenceArray<Entry> fresh = new AtomicReferenceArray<>(capacity);
        int mask = capacity - 1;
        for (int j = 0; j < old.length(); j++) {
            Entry e = old.get(j);
            if (e != null && e != TOMBSTONE) {
                int i = mix(e.index) & mask;
                while (fresh.get(i) != null) {
                    i = (i + 1) & mask;
                }
                fresh.set(i, e);
            }
        }
        slots = fresh;
        used = live;
    }

    /** Indices are random already, but mixing keeps probe chains short if a peer picks badly. */
    private static int mix(int x) {
        x ^= x >>> 16;
        x *= 0x45d9f3b;
        x ^= x >>> 16;
        return x;
    }
}
