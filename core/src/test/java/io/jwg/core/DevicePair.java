// SPDX-License-Identifier: MIT
package io.jwg.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.transport.Endpoint;
import io.jwg.core.transport.MemoryBind;
import io.jwg.core.transport.MemoryNetwork;
import io.jwg.noise.PresharedKey;
import io.jwg.noise.PrivateKey;
import io.jwg.tun.memory.MemoryTun;
import io.jwg.tun.memory.Ping;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Two devices, A (10.0.0.1, fd00::1) and B (10.0.0.2, fd00::2), over a {@link MemoryNetwork}
 * with {@link MemoryTun}s, on one manual clock: a whole WireGuard link in one JVM, with no
 * privileges. Time moves only when the test says so; the handshake and bind threads run freely.
 */
final class DevicePair implements AutoCloseable {
    static final InetAddress HOST_A = addr("192.0.2.1");
    static final InetAddress HOST_B = addr("192.0.2.2");
    static final InetAddress TUN_A = addr("10.0.0.1");
    static final InetAddress TUN_B = addr("10.0.0.2");
    static final InetAddress TUN6_A = addr("fd00::1");
    static final InetAddress TUN6_B = addr("fd00::2");

    final ManualClock clock = new ManualClock();
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final MemoryNetwork network = new MemoryNetwork();
    final SplittableRandom random;
    final PrivateKey keyA;
    final PrivateKey keyB;
    final MemoryTun tunA = new MemoryTun("memA", 1420);
    final MemoryTun tunB = new MemoryTun("memB", 1420);
    final MemoryBind bindA = network.newBind(HOST_A);
    final MemoryBind bindB = network.newBind(HOST_B);
    final Device a;
    final Device b;
    final List<Device> extra = new ArrayList<>();
    private int pingSeq;

    DevicePair(long seed) throws ConfigException {
        this(seed, DeviceOptions.builder(), DeviceOptions.builder());
    }

    DevicePair(long seed, DeviceOptions.Builder optA, DeviceOptions.Builder optB) throws ConfigException {
        random = new SplittableRandom(seed);
        keyA = PrivateKey.generate(random);
        keyB = PrivateKey.generate(random);
        a = Device.create(tunA, bindA, optA.name("A").clock(clock).scheduler(scheduler).random(random.split()).build());
        b = Device.create(tunB, bindB, optB.name("B").clock(clock).scheduler(scheduler).random(random.split()).build());
    }

    /** The usual link: both know each other's endpoint; ports 51820 and 51821. */
    DevicePair configure(PresharedKey psk) throws ConfigException {
        a.apply(DeviceConfig.builder().privateKey(keyA).listenPort(51820)
                .peer(PeerConfig.builder(keyB.publicKey()).presharedKey(psk).endpoint(Endpoint.of(HOST_B, 51821))
                        .allowedIp("10.0.0.2/32").allowedIp("fd00::2/128").build())
                .build());
        b.apply(DeviceConfig.builder().privateKey(keyB).listenPort(51821)
                .peer(PeerConfig.builder(keyA.publicKey()).presharedKey(psk).endpoint(Endpoint.of(HOST_A, 51820))
                        .allowedIp("10.0.0.1/32").allowedIp("fd00::1/128").build())
                .build());
        a.up();
        b.up();
        return this;
    }

    /** Runs due timer tasks until {@code condition} holds; real time bounded by {@code timeout}. */
    void await(BooleanSupplier condition, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            scheduler.runDue();
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within " + timeout);
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /**
     * Runs due timers and waits until nothing is in flight anywhere: no datagram on the network,
     * no handshake message queued, no packet between a TUN and its router. Only then may the clock
     * move, or a packet would be handled at a later protocol time than it was sent.
     */
    void settle() {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int quietRounds = 0;
        while (quietRounds < 3) {
            scheduler.runDue();
            boolean quiet = network.idle() && a.handshakesIdle() && b.handshakesIdle()
                    && a.packetsRouted() == tunA.packetsRead() && tunA.pendingReads() == 0
                    && b.packetsRouted() == tunB.packetsRead() && tunB.pendingReads() == 0
                    && extra.stream().allMatch(Device::handshakesIdle);
            quietRounds = quiet ? quietRounds + 1 : 0;
            if (System.nanoTime() > end) {
                throw new AssertionError("devices did not settle within 10 s");
            }
            Thread.onSpinWait();
            if (!quiet) {
                try {
                    Thread.sleep(0, 200_000);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    /**
     * Advances protocol time by {@code d}, one timer event at a time, letting every thread finish
     * what each event started before the next; {@code step} bounds how far the clock jumps between
     * events (kept for readability of the tests: time also passes where nothing is due).
     */
    void advance(Duration d, Duration step) {
        long target = clock.nanoTime() + d.toNanos();
        settle();
        while (clock.nanoTime() < target) {
            long stepEnd = Math.min(target, clock.nanoTime() + step.toNanos());
            while (scheduler.runNext(stepEnd)) {
                settle();
            }
            if (clock.nanoTime() < stepEnd) {
                clock.advanceNanos(stepEnd - clock.nanoTime());
            }
            settle();
        }
    }

    /**
     * Sends an echo request from {@code from}'s TUN to {@code dst}, has {@code to}'s side answer
     * it, and returns true when the reply came back through the tunnel.
     */
    boolean ping(MemoryTun from, InetAddress src, MemoryTun to, InetAddress dst) {
        int seq = ++pingSeq;
        from.inject(Ping.echoRequest(src, dst, 7, seq, new byte[56]));
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            byte[] req = null;
            while (req == null && System.nanoTime() < end) {
                scheduler.runDue();
                req = to.poll(2, TimeUnit.MILLISECONDS);
            }
            if (req == null) {
                return false;
            }
            to.inject(Ping.reply(req));
            byte[] rep = null;
            while (rep == null && System.nanoTime() < end) {
                scheduler.runDue();
                rep = from.poll(2, TimeUnit.MILLISECONDS);
            }
            if (rep == null) {
                return false;
            }
            Ping.Echo echo = Ping.parse(rep);
            return echo != null && !echo.request() && echo.sequence() == seq && echo.source().equals(dst);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    void assertPingAtoB() {
        assertTrue(ping(tunA, TUN_A, tunB, TUN_B), "A pings B");
    }

    void assertPingBtoA() {
        assertTrue(ping(tunB, TUN_B, tunA, TUN_A), "B pings A");
    }

    /** The bind listening at {@code to}'s host (A or B). */
    MemoryBind bindsByHost(java.net.InetSocketAddress to) {
        return to.getAddress().equals(HOST_A) ? bindA : bindB;
    }

    static InetAddress addr(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        a.close();
        b.close();
        for (Device d : extra) {
            d.close();
        }
        scheduler.close();
    }
}
