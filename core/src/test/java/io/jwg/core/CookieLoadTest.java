// SPDX-License-Identifier: MIT
package io.jwg.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.transport.Endpoint;
import io.jwg.noise.PresharedKey;
import io.jwg.tun.memory.Ping;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Under load a device answers with cookies instead of doing DH, and rate-limits per source. */
class CookieLoadTest {

    /** B always considers itself under load. */
    private static DevicePair loadedPair(long seed) throws Exception {
        return new DevicePair(seed, DeviceOptions.builder(), DeviceOptions.builder().underLoadThreshold(0))
                .configure(PresharedKey.NONE);
    }

    @Test
    void anInitiatorUnderLoadGetsACookieAndSucceedsWithIt() throws Exception {
        try (DevicePair p = loadedPair(30)) {
            NetworkCounter net = new NetworkCounter();
            p.network.addTap(net);
            p.tunA.inject(Ping.echoRequest(DevicePair.TUN_A, DevicePair.TUN_B, 1, 1, new byte[8]));
            p.await(() -> net.count(DevicePair.HOST_B, 3) == 1, Duration.ofSeconds(5));
            assertEquals(0, net.count(DevicePair.HOST_B, 2), "no DH work for a message without mac2");
            p.advance(Duration.ofSeconds(6), Duration.ofSeconds(1)); // the retransmission carries mac2
            p.await(() -> net.count(DevicePair.HOST_B, 2) == 1, Duration.ofSeconds(5));
            p.await(() -> p.tunB.pendingReads() >= 0 && p.b.state().peers().get(0).lastHandshake() != null,
                    Duration.ofSeconds(5));
            assertEquals(1, p.b.stats().cookieRepliesSent.sum());
            p.assertPingAtoB();
        }
    }

    @Test
    void validInitiationsFromOneSourceAreRateLimitedUnderLoad() throws Exception {
        try (DevicePair p = loadedPair(31)) {
            AtomicReference<byte[]> withMac2 = new AtomicReference<>();
            p.network.addTap((from, to, d) -> {
                if (d[0] == 1 && d[147] != 0) {
                    withMac2.compareAndSet(null, d.clone());
                }
            });
            p.tunA.inject(Ping.echoRequest(DevicePair.TUN_A, DevicePair.TUN_B, 1, 1, new byte[8]));
            p.settle();
            p.advance(Duration.ofSeconds(6), Duration.ofSeconds(1));
            p.await(() -> withMac2.get() != null && p.b.state().peers().get(0).lastHandshake() != null,
                    Duration.ofSeconds(5));
            long rejectedBefore = p.b.stats().handshakeRejected.sum();
            long droppedBefore = p.b.stats().handshakeDropped.sum();
            InetSocketAddress fromA = Endpoint.of(DevicePair.HOST_A, 51820).address();
            for (int i = 0; i < 100; i++) {
                p.bindB.inject(withMac2.get(), fromA);
            }
            p.await(() -> p.b.stats().handshakeRejected.sum() + p.b.stats().handshakeDropped.sum()
                    - rejectedBefore - droppedBefore == 100, Duration.ofSeconds(5));
            long passed = p.b.stats().handshakeRejected.sum() - rejectedBefore;
            assertTrue(passed <= 6, "at most a burst got past the rate limiter: " + passed);
            assertTrue(p.b.stats().handshakeDropped.sum() - droppedBefore >= 94);
        }
    }
}
