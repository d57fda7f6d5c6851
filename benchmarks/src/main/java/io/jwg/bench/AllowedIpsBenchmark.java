// SPDX-License-Identifier: MIT
package io.jwg.bench;

import io.jwg.core.AllowedIps;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cryptokey routing (whitepaper section 2) at the size of a large hub: 10,000 peers holding
 * 100,000 prefixes, mostly IPv4 /32 and /24 with some IPv6 /128 and /64, all inside the private
 * ranges a tunnel uses, so lookups walk a deep, crowded trie rather than stopping at the root.
 * Lookups read the destination address from packets in a direct little-endian buffer at the
 * header offset, exactly as the TUN reader does; hits and misses are checked in setup.
 */
@Fork(1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 8, time = 1)
public class AllowedIpsBenchmark {
    static final int PEERS = 10_000;
    static final int PREFIXES = 100_000;
    /** Packets per lookup pool: more than the caches hold of the trie, a power of two. */
    static final int PACKETS = 16_384;
    private static final int SLOT = 64;
    private static final int IPV4_DST = 16;
    private static final int IPV6_DST = 24;

    /** The prefixes of the table, made once from a fixed seed. */
    @State(Scope.Benchmark)
    public static class Routes {
        byte[][] addresses;
        int[] cidrs;
        Object[] owners;

        @Setup(Level.Trial)
        public void setUp() {
            SplittableRandom random = new SplittableRandom(20_26);
            Object[] peers = new Object[PEERS];
            for (int i = 0; i < PEERS; i++) {
                peers[i] = new Object();
            }
            AllowedIps<Object> dedup = new AllowedIps<>();
            addresses = new byte[PREFIXES][];
            cidrs = new int[PREFIXES];
            owners = new Object[PREFIXES];
            int n = 0;
            while (n < PREFIXES) {
                int mix = random.nextInt(100);
                int cidr = mix < 70 ? 32 : mix < 90 ? 24 : mix < 96 ? 128 : 64;
                byte[] addr = cidr <= 32 ? privateV4(random) : privateV6(random);
                int before = dedup.size();
                Object owner = peers[random.nextInt(PEERS)];
                dedup.insert(addr, cidr, owner);
                if (dedup.size() > before) { // a fresh prefix, not a duplicate of an earlier one
                    addresses[n] = addr;
                    cidrs[n] = cidr;
                    owners[n] = owner;
                    n++;
                }
            }
        }
    }

    /** A full table and packets addressed to routed (hit) or unrouted (miss) destinations. */
    @State(Scope.Thread)
    public static class Table {
        @Param({"4", "6"})
        int family;

        AllowedIps<Object> table;
        ByteBuffer hits;
        ByteBuffer misses;
        int next;

        @Setup(Level.Trial)
        public void setUp(Routes routes) {
            table = new AllowedIps<>();
            for (int i = 0; i < PREFIXES; i++) {
                table.insert(routes.addresses[i], routes.cidrs[i], routes.owners[i]);
            }
            if (table.size() != PREFIXES) {
                throw new IllegalStateException("table holds " + table.size() + " prefixes");
            }
            SplittableRandom random = new SplittableRandom(family);
            int addrLen = family == 4 ? 4 : 16;
            hits = packets();
            misses = packets();
            for (int p = 0; p < PACKETS; p++) {
                int i;
                do {
                    i = random.nextInt(PREFIXES);
                } while (routes.addresses[i].length != addrLen);
                byte[] dst = hostIn(routes.addresses[i], routes.cidrs[i], random);
                hits.put(dstOffset(p), dst);
                if (lookup(hits, p) == null) {
                    throw new IllegalStateException("a hit packet found no route");
                }
                do {
                    misses.put(dstOffset(p), family == 4 ? privateV4(random) : privateV6(random));
                } while (lookup(misses, p) != null);
            }
        }

        private ByteBuffer packets() {
            ByteBuffer b = ByteBuffer.allocateDirect(PACKETS * SLOT).order(ByteOrder.LITTLE_ENDIAN);
            for (int p = 0; p < PACKETS; p++) {
                b.put(p * SLOT, (byte) (family == 4 ? 0x45 : 0x60));
            }
            return b;
        }

        int dstOffset(int packet) {
            return packet * SLOT + (family == 4 ? IPV4_DST : IPV6_DST);
        }

        Object lookup(ByteBuffer packets, int packet) {
            return table.lookup(packets, dstOffset(packet), family);
        }
    }

    /** The peer a packet to a routed destination goes to. */
    @Benchmark
    public Object lookupHit(Table t) {
        return t.lookup(t.hits, t.next++ & (PACKETS - 1));
    }

    /** No peer: a packet to an unrouted destination inside the tunnel's ranges. */
    @Benchmark
    public Object lookupMiss(Table t) {
        return t.lookup(t.misses, t.next++ & (PACKETS - 1));
    }

    /** Building the whole table, reported per prefix inserted. */
    @Benchmark
    @OperationsPerInvocation(PREFIXES)
    public AllowedIps<Object> insert(Routes routes) {
        AllowedIps<Object> table = new AllowedIps<>();
        for (int i = 0; i < PREFIXES; i++) {
            table.insert(routes.addresses[i], routes.cidrs[i], routes.owners[i]);
        }
        return table;
    }

    /** An address in 10.0.0.0/8. */
    static byte[] privateV4(SplittableRandom random) {
        byte[] a = new byte[4];
        random.nextBytes(a);
        a[0] = 10;
        return a;
    }

    /** An address in fd00::/8 (unique local addresses). */
    static byte[] privateV6(SplittableRandom random) {
        byte[] a = new byte[16];
        random.nextBytes(a);
        a[0] = (byte) 0xfd;
        return a;
    }

    /** A random address inside addr/cidr. */
    static byte[] hostIn(byte[] addr, int cidr, SplittableRandom random) {
        byte[] a = new byte[addr.length];
        random.nextBytes(a);
        for (int bit = 0; bit < cidr; bit++) {
            int mask = 0x80 >>> (bit & 7);
            a[bit >>> 3] = (byte) ((a[bit >>> 3] & ~mask) | (addr[bit >>> 3] & mask));
        }
        return a;
    }
}
