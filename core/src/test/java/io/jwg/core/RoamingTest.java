// SPDX-License-Identifier: MIT
package io.jwg.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jwg.noise.PresharedKey;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Endpoints follow authenticated packets only (whitepaper section 2.1). */
class RoamingTest {

    @Test
    void thePeersEndpointFollowsItsNewAddress() throws Exception {
        try (DevicePair p = new DevicePair(20).configure(PresharedKey.NONE)) {
            p.assertPingAtoB();
            p.bindA.moveTo(DevicePair.addr("192.0.2.11"));
            p.assertPingAtoB();
            assertEquals("192.0.2.11:51820", p.b.state().peers().get(0).endpoint().toString());
            p.assertPingBtoA();
        }
    }

    @Test
    void aResponderLearnsTheEndpointOfAnInitiatorItDidNotKnow() throws Exception {
        try (DevicePair p = new DevicePair(21)) {
            p.configure(PresharedKey.NONE);
            p.b.apply(DeviceConfig.builder().replacePeers()
                    .peer(PeerConfig.builder(p.keyA.publicKey()).allowedIp("10.0.0.1/32").build()).build());
            p.assertPingAtoB();
            assertEquals("192.0.2.1:51820", p.b.state().peers().get(0).endpoint().toString());
        }
    }

    @Test
    void unauthenticatedOrReplayedPacketsNeverMoveAnEndpoint() throws Exception {
        try (DevicePair p = new DevicePair(22).configure(PresharedKey.NONE)) {
            AtomicReference<byte[]> lastFromA = new AtomicReference<>();
            p.network.addTap((from, to, d) -> {
                if (from.getAddress().equals(DevicePair.HOST_A) && d[0] == 4 && d.length > 32) {
                    lastFromA.set(d);
                }
            });
            p.assertPingAtoB();
            InetSocketAddress attacker = new InetSocketAddress(DevicePair.addr("198.51.100.66"), 4444);
            byte[] replay = lastFromA.get();
            p.bindB.inject(replay, attacker); // a genuine but replayed transport message
            byte[] forged = replay.clone();
            forged[40] ^= 1; // a forged one
            p.bindB.inject(forged, attacker);
            p.settle();
            assertEquals("192.0.2.1:51820", p.b.state().peers().get(0).endpoint().toString());
            assertEquals(1, p.b.stats().replayed.sum());
            assertEquals(1, p.b.stats().decryptionFailed.sum());
        }
    }
}
