// SPDX-License-Identifier: MIT
package io.jwg.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.AllowedIps.Prefix;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The trie against a deliberately naive list of routes under thousands of random operations, and
 * lock-free lookups while another thread rewrites the table.
 */
class AllowedIpsModelTest {

    /** The obvious implementation: scan every route, keep the longest that matches. */
    static final class NaiveRoutes {
        record Route(byte[] addr, int cidr, Object peer) {
        }

        final List<Route> routes = new ArrayList<>();

        void insert(byte[] addr, int cidr, Object peer) {
            byte[] masked = mask(addr, cidr);
            routes.removeIf(r -> r.cidr == cidr && Arrays.equals(r.addr, masked));
            routes.add(new Route(masked, cidr, peer));
        }

        boolean remove(byte[] addr, int cidr, Object peer) {
            byte[] masked = mask(addr, cidr);
            return routes.removeIf(r -> r.cidr == cidr && r.peer == peer && Arrays.equals(r.addr, masked));
        }

        Object lookup(byte[] addr) {
            Route best = null;
            for (Route r : routes) {
                if (r.addr.length == addr.length && Arrays.equals(r.addr, mask(addr, r.cidr))
                        && (best == null || r.cidr > best.cidr)) {
                    best = r;
                }
            }
            return best == null ? null : best.peer;
        }

        static byte[] mask(byte[] addr, int cidr) {
            byte[] out = addr.clone();
            for (int bit = cidr; bit < out.length * 8; bit++) {
                out[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
            }
            return out;
        }
    }

    private static Object lookup(AllowedIps<Object> table, byte[] addr) {
        ByteBuffer bb = ByteBuffer.wrap(addr);
        return addr.length == 4 ? table.lookupV4(bb.getInt()) : table.lookupV6(bb.getLong(), bb.getLong());
    }

    /** Random addresses that share leading bits with a few anchors, so that prefixes overlap a lot. */
    private static byte[] clusteredAddress(Random rnd, byte[][] anchors) {
        byte[] anchor = anchors[rnd.nextInt(anchors.length)];
        byte[] addr = new byte[anchor.length];
        rnd.nextBytes(addr);
        int keepBits = rnd.nextInt(anchor.length * 8 + 1);
        for (int bit = 0; bit < keepBits; bit++) {
            int m = 0x80 >>> (bit % 8);
            addr[bit / 8] = (byte) ((addr[bit / 8] & ~m) | (anchor[bit / 8] & m));
        }
        return addr;
    }

    private static byte[][] anchors(Random rnd, int length) {
        byte[][] anchors = new byte[4][length];
        for (byte[] a : anchors) {
            rnd.nextBytes(a);
        }
        return anchors;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void agreesWithNaiveRoutesUnderRandomInsertsRemovalsAndLookups(long seed) {
        Random rnd = new Random(seed);
        Object[] peers = new Object[12];
        for (int i = 0; i < peers.length; i++) {
            peers[i] = "peer" + i;
        }
        AllowedIps<Object> table = new AllowedIps<>();
        NaiveRoutes model = new NaiveRoutes();
        byte[][] v4 = anchors(rnd, 4);
        byte[][] v6 = anchors(rnd, 16);
        List<NaiveRoutes.Route> inserted = new ArrayList<>();

        for (int op = 0; op < 6000; op++) {
            boolean six = rnd.nextBoolean();
            byte[] addr = clusteredAddress(rnd, six ? v6 : v4);
            int roll = rnd.nextInt(100);
            if (roll < 45) {
                int cidr = rnd.nextInt(addr.length * 8 + 1);
                Object peer = peers[rnd.nextInt(peers.length)];
                table.insert(addr, cidr, peer);
                model.insert(addr, cidr, peer);
                inserted.add(new NaiveRoutes.Route(addr, cidr, peer));
            } else if (roll < 60 && !inserted.isEmpty()) {
                // Mostly exact earlier prefixes, sometimes with the wrong owner or a stale route.
                NaiveRoutes.Route r = inserted.get(rnd.nextInt(inserted.size()));
                Object peer = rnd.nextInt(4) == 0 ? peers[rnd.nextInt(peers.length)] : r.peer();
                assertEquals(model.remove(r.addr(), r.cidr(), peer), table.remove(r.addr(), r.cidr(), peer),
                        "remove " + Prefix.of(r.addr(), r.cidr()) + " by " + peer);
            } else if (roll < 61) {
                Object peer = peers[rnd.nextInt(peers.length)];
                table.removeByPeer(peer);
                model.routes.removeIf(r -> r.peer() == peer);
            } else {
                assertSame(model.lookup(addr), lookup(table, addr), () -> "lookup " + Prefix.of(addr, addr.length * 8));
            }
            assertEquals(model.routes.size(), table.size());
        }

        for (int i = 0; i < 20_000; i++) {
            byte[] addr = clusteredAddress(rnd, rnd.nextBoolean() ? v6 : v4);
            assertSame(model.lookup(addr), lookup(table, addr), () -> "lookup " + Prefix.of(addr, addr.length * 8));
        }
        for (Object peer : peers) {
            List<String> expected = model.routes.stream().filter(r -> r.peer() == peer)
                    .map(r -> Prefix.of(r.addr(), r.cidr()).toString()).sorted().toList();
            List<String> actual = table.entriesForPeer(peer).stream().map(Prefix::toString).sorted().toList();
            assertEquals(expected, actual, "entries of " + peer);
            assertEquals(new HashSet<>(actual).size(), actual.size(), "no duplicates");
        }
    }

    @Test
    void entriesForPeerFollowAssignmentOrder() {
        Random rnd = new Random(7);
        AllowedIps<Object> table = new AllowedIps<>();
        Object peer = new Object();
        Object other = new Object();
        byte[][] v4 = anchors(rnd, 4);
        byte[][] v6 = anchors(rnd, 16);
        java.util.LinkedHashSet<Prefix> model = new java.util.LinkedHashSet<>();
        for (int i = 0; i < 2000; i++) {
            byte[] addr = clusteredAddress(rnd, rnd.nextBoolean() ? v6 : v4);
            Prefix p = Prefix.of(addr, rnd.nextInt(addr.length * 8 + 1));
            switch (rnd.nextInt(4)) {
                case 0 -> {
                    table.insert(p, other);
                    model.remove(p);
                }
                case 1 -> {
                    if (table.remove(p, peer)) {
                        model.remove(p);
                    }
                }
                default -> {
                    table.insert(p, peer);
                    model.remove(p);
                    model.add(p);
                }
            }
        }
        assertEquals(List.copyOf(model), table.entriesForPeer(peer));
    }

    /**
     * The RCU property: a route that never changes is found by every lock-free lookup, however the
     * writer reshapes the trie around it (join nodes above it, siblings, covering routes, splices).
     */
    @ParameterizedTest(name = "IPv{0}")
    @ValueSource(ints = {4, 6})
    void readersAlwaysSeeAStableRouteWhileAWriterChurnsOthers(int version) throws Exception {
        Object peerA = new Object();
        Object peerB = new Object();
        AllowedIps<Object> table = new AllowedIps<>();
        int bits = version == 4 ? 32 : 128;
        int aCidr = version == 4 ? 24 : 64;
        byte[] aAddr = version == 4 ? IpLiterals.parse("10.1.2.0") : IpLiterals.parse("fd00:1:2:3::");
        byte[] probe = version == 4 ? IpLiterals.parse("10.1.2.77") : IpLiterals.parse("fd00:1:2:3::77");
        table.insert(aAddr, aCidr, peerA);

        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicLong lookups = new AtomicLong();
        ByteBuffer bb = ByteBuffer.wrap(probe);
        long hi = version == 4 ? bb.getInt(0) : bb.getLong(0);
        long lo = version == 4 ? 0 : bb.getLong(8);
        Runnable reader = () -> {
            long n = 0;
            while (!done.get() && failure.get() == null) {
                Object got = version == 4 ? table.lookupV4((int) hi) : table.lookupV6(hi, lo);
                if (got != peerA) {
                    failure.compareAndSet(null, "lookup returned " + (got == peerB ? "peer B" : got) + " after " + n);
                }
                n++;
            }
            lookups.addAndGet(n);
        };
        Thread[] readers = {new Thread(reader, "reader-1"), new Thread(reader, "reader-2")};
        for (Thread t : readers) {
            t.start();
        }
        try {
            Random rnd = new Random(version);
            List<byte[]> live = new ArrayList<>();
            List<Integer> liveCidr = new ArrayList<>();
            for (int op = 0; op < 200_000 && failure.get() == null; op++) {
                if (live.size() < 64 && rnd.nextInt(3) != 0 || live.isEmpty()) {
                    // B's routes sit near A's: covering it (shorter), or beside it, never more specific over the probe.
                    byte[] addr = clusteredAddress(rnd, new byte[][] {aAddr});
                    int cidr = rnd.nextInt(bits + 1);
                    byte[] masked = NaiveRoutes.mask(addr, cidr);
                    boolean coversProbe = Arrays.equals(masked, NaiveRoutes.mask(probe, cidr));
                    if (coversProbe && cidr >= aCidr) {
                        continue;
                    }
                    table.insert(addr, cidr, peerB);
                    live.add(masked);
                    liveCidr.add(cidr);
                } else {
                    int i = rnd.nextInt(live.size());
                    table.remove(live.remove(i), liveCidr.remove(i), peerB);
                }
            }
        } finally {
            done.set(true);
            for (Thread t : readers) {
                t.join();
            }
        }
        assertNull(failure.get(), failure::get);
        assertTrue(lookups.get() > 0, "readers ran");
        assertSame(peerA, version == 4 ? table.lookupV4((int) hi) : table.lookupV6(hi, lo));
        assertEquals(List.of(Prefix.of(aAddr, aCidr)), table.entriesForPeer(peerA));
    }
}
