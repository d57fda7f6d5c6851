// SPDX-License-Identifier: MIT
package io.jwg.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.noise.PresharedKey;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Two devices in one JVM exchange packets in both directions, in both roles, with and without PSK. */
class DevicePairTest {

    @Test
    void pingsBothWaysOverIpv4AndIpv6() throws Exception {
        try (DevicePair p = new DevicePair(1).configure(PresharedKey.NONE)) {
            p.assertPingAtoB();
            p.assertPingBtoA();
            assertTrue(p.ping(p.tunA, DevicePair.TUN6_A, p.tunB, DevicePair.TUN6_B), "IPv6 A->B");
            assertTrue(p.ping(p.tunB, DevicePair.TUN6_B, p.tunA, DevicePair.TUN6_A), "IPv6 B->A");
            PeerState bAtA = p.a.state().peers().get(0);
            assertNotNull(bAtA.lastHandshake());
            assertTrue(bAtA.rxBytes() > 0 && bAtA.txBytes() > 0);
            assertEquals(p.keyB.publicKey(), bAtA.publicKey());
        }
    }

    @Test
    void theOtherSideCanInitiate() throws Exception {
        try (DevicePair p = new DevicePair(2).configure(PresharedKey.NONE)) {
            p.assertPingBtoA();
            p.assertPingAtoB();
        }
    }

    @Test
    void aPresharedKeyOnBothSidesWorks() throws Exception {
        PresharedKey psk = PresharedKey.generate(new SplittableRandom(3));
        try (DevicePair p = new DevicePair(3).configure(psk)) {
            p.assertPingAtoB();
            p.assertPingBtoA();
            assertEquals(psk, p.a.state().peers().get(0).presharedKey());
        }
    }

    @Test
    void presharedKeysThatDifferMakeNoSession() throws Exception {
        try (DevicePair p = new DevicePair(4).configure(PresharedKey.generate(new SplittableRandom(4)))) {
            p.b.apply(DeviceConfig.builder()
                    .peer(PeerConfig.builder(p.keyA.publicKey()).presharedKey(PresharedKey.NONE).build()).build());
            assertFalse(p.ping(p.tunA, DevicePair.TUN_A, p.tunB, DevicePair.TUN_B));
            assertEquals(null, p.a.state().peers().get(0).lastHandshake());
        }
    }

    @Test
    void packetsSentBeforeTheHandshakeAreDeliveredAfterIt() throws Exception {
        try (DevicePair p = new DevicePair(5).configure(PresharedKey.NONE)) {
            for (int i = 0; i < 10; i++) {
                p.tunA.inject(io.jwg.tun.memory.Ping.echoRequest(DevicePair.TUN_A, DevicePair.TUN_B, 1, i, new byte[100]));
            }
            int got = 0;
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (got < 10 && System.nanoTime() < end) {
                p.scheduler.runDue();
                byte[] pkt = p.tunB.poll(2, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (pkt != null) {
                    assertEquals(got, io.jwg.tun.memory.Ping.parse(pkt).sequence(), "staged packets keep their order");
                    got++;
                }
            }
            assertEquals(10, got);
        }
    }

    /**
     * Both sides initiate at once and the initiations cross on the wire. The kernel and
     * wireguard-go each drop the answer to their own initiation and wait REKEY_TIMEOUT for a
     * retry; with initiator and responder handshakes kept apart, both complete at once.
     */
    @Test
    void crossingInitiationsBothCompleteWithoutWaitingForARetry() throws Exception {
        try (DevicePair p = new DevicePair(7).configure(PresharedKey.NONE)) {
            java.util.List<Runnable> held = new java.util.ArrayList<>();
            p.network.setFilter((from, to, d) -> {
                if (d[0] == 1) {
                    synchronized (held) {
                        if (held.size() < 1) {
                            // Hold the first initiation until the other side has sent its own.
                            held.add(() -> p.bindsByHost(to).inject(d, from));
                            return null;
                        }
                        held.forEach(Runnable::run);
                        held.clear();
                    }
                }
                return d;
            });
            p.tunA.inject(io.jwg.tun.memory.Ping.echoRequest(DevicePair.TUN_A, DevicePair.TUN_B, 1, 1, new byte[8]));
            p.tunB.inject(io.jwg.tun.memory.Ping.echoRequest(DevicePair.TUN_B, DevicePair.TUN_A, 1, 2, new byte[8]));
            // No clock movement at all: a retry after REKEY_TIMEOUT cannot be what saves us.
            byte[] atB = null;
            byte[] atA = null;
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while ((atA == null || atB == null) && System.nanoTime() < end) {
                p.scheduler.runDue();
                if (atB == null) {
                    atB = p.tunB.poll(2, java.util.concurrent.TimeUnit.MILLISECONDS);
                }
                if (atA == null) {
                    atA = p.tunA.poll(2, java.util.concurrent.TimeUnit.MILLISECONDS);
                }
            }
            assertNotNull(atB, "A's packet reached B");
            assertNotNull(atA, "B's packet reached A");
            p.assertPingAtoB();
            p.assertPingBtoA();
        }
    }

    @Test
    void unroutedPacketsAreDroppedAndCounted() throws Exception {
        try (DevicePair p = new DevicePair(6).configure(PresharedKey.NONE)) {
            p.tunA.inject(io.jwg.tun.memory.Ping.echoRequest(DevicePair.TUN_A, DevicePair.addr("10.9.9.9"), 1, 1, new byte[8]));
            p.await(() -> p.a.stats().noRoute.sum() == 1, Duration.ofSeconds(5));
        }
    }
}
