// SPDX-License-Identifier: MIT
package io.jwg.core;

import java.net.InetAddress;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Per-source token bucket for handshake messages under load (whitepaper section 5.3: a
 * responder that is under load answers with cookies and rate-limits each source), behaving like
 * the Linux kernel's ratelimiter: {@link #PACKETS_PER_SECOND} sustained with bursts of
 * {@link #PACKETS_BURST}, an IPv4 source keyed by its address and an IPv6 source by its /64 (one
 * host usually owns a whole /64). IPv4-mapped IPv6 addresses count as the IPv4 address they
 * carry, so a dual-stack socket does not lump every IPv4 peer into one bucket.
 *
 * <p>Tokens are nanoseconds of credit: every message costs {@link #PACKET_COST}, credit accrues
 * with elapsed time on the injected {@link Clock} and is capped at {@link #TOKEN_MAX}. A new
 * source starts with a full bucket and pays for its first message at once.
 *
 * <p>Forgetting sources: a source idle for more than {@link #IDLE_EXPIRY} is dropped by a sweep
 * that {@link #allow} runs itself at most once per {@link #GC_INTERVAL} of clock time; a device
 * may also call {@link #gc()} from a timer so that memory is returned while no handshakes arrive.
 * Dropping an idle source changes no answer, since it would have a full bucket again anyway. At
 * most {@code maxEntries} sources are tracked; messages from further new sources are refused
 * until a sweep makes room, as the kernel does.
 *
 * <p>Thread-safety: every method serializes on a private monitor. Sources live in an
 * open-addressing table of primitive arrays, so a known source is checked without allocating;
 * only new sources may grow the table, and a sweep rebuilds it. The hash is seeded per instance so
 * that colliding source addresses cannot be chosen ahead of time.
 */
public final class RateLimiter {
    /** Sustained handshake messages per second per source. */
    public static final int PACKETS_PER_SECOND = 20;
    /** Messages a source may send back to back after being quiet. */
    public static final int PACKETS_BURST = 5;
    /** Credit one message costs, in nanoseconds. */
    public static final long PACKET_COST = 1_000_000_000L / PACKETS_PER_SECOND;
    /** The most credit a source can hold. */
    public static final long TOKEN_MAX = PACKET_COST * PACKETS_BURST;
    /** A source untouched for longer than this is forgotten (nanoseconds). */
    public static final long IDLE_EXPIRY = 1_000_000_000L;
    /** Clock time between the sweeps {@link #allow} runs itself (nanoseconds). */
    public static final long GC_INTERVAL = 1_000_000_000L;
    /** Default cap on tracked sources: the kernel's on any machine with more than 1 GiB. */
    public static final int MAX_ENTRIES = 65_536;

    private static final byte EMPTY = 0;
    private static final byte V4 = 4;
    private static final byte V6 = 6;
    private static final int MIN_CAPACITY = 64;
    private static final int MAX_ENTRIES_LIMIT = 1 << 28; // keeps table sizes within int range

    private final Object lock = new Object();
    private final Clock clock;
    private final int maxEntries;
    private final long seed = ThreadLocalRandom.current().nextLong();
    private byte[] families;
    private long[] keys;
    private long[] tokens;
    private long[] lastSeen;
    private int count;
    private long lastGc;

    /** A limiter tracking up to {@link #MAX_ENTRIES} sources. */
    public RateLimiter(Clock clock) {
        this(clock, MAX_ENTRIES);
    }

    /** A limiter tracking up to {@code maxEntries} sources. */
    public RateLimiter(Clock clock, int maxEntries) {
        if (maxEntries < 1 || maxEntries > MAX_ENTRIES_LIMIT) {
            throw new IllegalArgumentException("maxEntries must be in 1.." + MAX_ENTRIES_LIMIT + ", got " + maxEntries);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxEntries = maxEntries;
        this.lastGc = clock.nanoTime();
        allocate(MIN_CAPACITY);
    }

    /**
     * Whether a handshake message from this source (4 or 16 address bytes) may be processed now;
     * if so its cost is taken. Returns false for anything that is not 4 or 16 bytes.
     */
    public boolean allow(byte[] addr) {
        if (addr == null) {
            return false;
        }
        if (addr.length == 4) {
            return allow(V4, int32(addr, 0));
        }
        if (addr.length == 16) {
            return isV4Mapped(addr) ? allow(V4, int32(addr, 12)) : allow(V6, int64(addr));
        }
        return false;
    }

    /** {@link #allow(byte[])} for an address object (allocates a copy of its bytes). */
    public boolean allow(InetAddress addr) {
        return addr != null && allow(addr.getAddress());
    }

    /** Forgets every source idle for more than {@link #IDLE_EXPIRY}. */
    public void gc() {
        synchronized (lock) {
            sweep(clock.nanoTime());
        }
    }

    /** Number of sources currently tracked. */
    public int size() {
        synchronized (lock) {
            return count;
        }
    }

    private boolean allow(byte family, long key) {
        synchronized (lock) {
            long now = clock.nanoTime();
            if (now - lastGc >= GC_INTERVAL) {
                sweep(now);
            }
            int slot = slotOf(family, key);
            if (families[slot] != EMPTY) {
                long elapsed = now - lastSeen[slot];
                long credit = elapsed >= TOKEN_MAX ? TOKEN_MAX : Math.min(TOKEN_MAX, tokens[slot] + elapsed);
                lastSeen[slot] = now;
                boolean ok = credit >= PACKET_COST;
                tokens[slot] = ok ? credit - PACKET_COST : credit;
                return ok;
            }
            if (count >= maxEntries) {
                return false;
            }
            put(slot, family, key, TOKEN_MAX - PACKET_COST, now);
            if (count * 2 > families.length) {
                rebuild(families.length * 2, now, false);
            }
            return true;
        }
    }

    private void sweep(long now) {
        lastGc = now;
        boolean anyExpired = false;
        for (int i = 0; i < families.length && !anyExpired; i++) {
            anyExpired = families[i] != EMPTY && now - lastSeen[i] > IDLE_EXPIRY;
        }
        if (anyExpired) {
            int live = 0;
            for (int i = 0; i < families.length; i++) {
                if (families[i] != EMPTY && now - lastSeen[i] <= IDLE_EXPIRY) {
                    live++;
                }
            }
            rebuild(Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, live) * 4 - 1)), now, true);
        }
    }

    /**
     * Re-inserts every entry into fresh arrays of {@code capacity} slots (a power of two), leaving
     * out, if {@code dropIdle}, those idle for more than {@link #IDLE_EXPIRY} at {@code now}.
     * Rebuilding is how linear probing deletes without tombstones.
     */
    private void rebuild(int capacity, long now, boolean dropIdle) {
        byte[] oldFamilies = families;
        long[] oldKeys = keys;
        long[] oldTokens = tokens;
        long[] oldSeen = lastSeen;
        allocate(capacity);
        for (int i = 0; i < oldFamilies.length; i++) {
            if (oldFamilies[i] == EMPTY || (dropIdle && now - oldSeen[i] > IDLE_EXPIRY)) {
                continue;
            }
            put(slotOf(oldFamilies[i], oldKeys[i]), oldFamilies[i], oldKeys[i], oldTokens[i], oldSeen[i]);
        }
    }

    private void allocate(int capacity) {
        families = new byte[capacity];
        keys = new long[capacity];
        tokens = new long[capacity];
        lastSeen = new long[capacity];
        count = 0;
    }

    private void put(int slot, byte family, long key, long credit, long seen) {
        families[slot] = family;
        keys[slot] = key;
        tokens[slot] = credit;
        lastSeen[slot] = seen;
        count++;
    }

    /** The slot holding this source, or the empty slot where it belongs (the table is never full). */
    private int slotOf(byte family, long key) {
        int mask = families.length - 1;
        int i = (int) mix(key ^ seed ^ ((long) family << 56)) & mask;
        while (families[i] != EMPTY && (families[i] != family || keys[i] != key)) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** A 64-bit finalizer (xor-shift-multiply) that spreads every input bit over the low bits. */
    private static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        return x ^ (x >>> 33);
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private static long int32(byte[] a, int at) {
        return ((a[at] & 0xffL) << 24) | ((a[at + 1] & 0xffL) << 16) | ((a[at + 2] & 0xffL) << 8) | (a[at + 3] & 0xffL);
    }

    /** The /64 of an IPv6 address: its first eight bytes. */
    private static long int64(byte[] a) {
        return (int32(a, 0) << 32) | int32(a, 4);
    }
}
