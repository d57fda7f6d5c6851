// SPDX-License-Identifier: MIT
package io.jwg.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jwg.noise.PresharedKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated datagrams thrown at a running device: nothing escapes as an exception,
 * nothing is answered, and no peer's state changes.
 */
class FuzzTest {

    @Test
    void garbageAndMutationsGetSilenceAndChangeNothing() throws Exception {
        try (DevicePair p = new DevicePair(60).configure(PresharedKey.NONE)) {
            List<byte[]> captured = new ArrayList<>();
            p.network.addTap((from, to, d) -> {
                synchronized (captured) {
                    captured.add(d.clone());
                }
            });
            p.assertPingAtoB();
            p.assertPingBtoA();
            p.settle();
            DeviceState before = p.a.state();
            AtomicInteger sentByA = new AtomicInteger();
            p.network.addTap((from, to, d) -> {
                if (from.getAddress().equals(DevicePair.HOST_A)) {
                    sentByA.incrementAndGet();
                }
            });
            SplittableRandom r = new SplittableRandom(60);
            List<byte[]> seeds;
            synchronized (captured) {
                seeds = new ArrayList<>(captured);
            }
            for (int i = 0; i < 20_000; i++) {
                byte[] d;
                int kind = r.nextInt(4);
                if (kind == 0) {
                    d = new byte[r.nextInt(0, 300)];
                    r.nextBytes(d);
                    if (d.length > 0 && r.nextBoolean()) {
                        d[0] = (byte) r.nextInt(1, 5); // plausible types, to get past the first gate
                        if (d.length > 3) {
                            d[1] = d[2] = d[3] = 0;
                        }
                    }
                } else {
                    d = seeds.get(r.nextInt(seeds.size())).clone();
                    if (kind == 1) {
                        d[r.nextInt(d.length)] ^= (byte) (1 << r.nextInt(8));
                    } else if (kind == 2) {
                        d = java.util.Arrays.copyOf(d, r.nextInt(d.length + 1));
                    } // kind 3: an exact replay
                }
                InetAddress src = InetAddress.getByAddress(new byte[] {(byte) 198, 51, 100, (byte) r.nextInt(1, 255)});
                p.bindA.inject(d, new InetSocketAddress(src, r.nextInt(1, 65536)));
                if (i % 200 == 199) {
                    // Stay below the under-load threshold: under load, a replayed initiation with a
                    // valid mac1 would rightly earn a cookie reply.
                    p.await(() -> p.a.handshakeQueue.underLoad() == false, java.time.Duration.ofSeconds(10));
                    p.settle();
                }
            }
            p.settle();
            Thread.sleep(200);
            p.settle();
            assertEquals(0, p.a.stats().internalErrors.sum(), "no exception escaped");
            assertEquals(0, sentByA.get(), "no reply of any kind");
            DeviceState after = p.a.state();
            PeerState b0 = before.peers().get(0);
            PeerState b1 = after.peers().get(0);
            assertEquals(b0.endpoint(), b1.endpoint());
            assertEquals(b0.rxBytes(), b1.rxBytes(), "nothing authenticated");
            assertEquals(b0.txBytes(), b1.txBytes());
            assertEquals(b0.lastHandshake(), b1.lastHandshake());
            assertEquals(before.peers().size(), after.peers().size());
            p.assertPingAtoB();
        }
    }
}
