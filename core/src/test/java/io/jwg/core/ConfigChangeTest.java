// SPDX-License-Identifier: MIT
package io.jwg.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.transport.Endpoint;
import io.jwg.core.transport.MemoryBind;
import io.jwg.noise.PresharedKey;
import io.jwg.noise.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Peers come and go while traffic flows; a refused change leaves nothing half-applied. */
class ConfigChangeTest {

    @Test
    void addingAndRemovingOtherPeersWhileTrafficFlowsDisturbsNoSession() throws Exception {
        try (DevicePair p = new DevicePair(50).configure(PresharedKey.NONE)) {
            p.assertPingAtoB();
            Instant session = p.a.state().peers().get(0).lastHandshake();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger changes = new AtomicInteger();
            List<Throwable> errors = new ArrayList<>();
            Thread churn = new Thread(() -> {
                try {
                    int i = 0;
                    while (!stop.get()) {
                        PrivateKey k = PrivateKey.generate(new java.util.SplittableRandom(i));
                        p.a.apply(DeviceConfig.builder().peer(PeerConfig.builder(k.publicKey())
                                .allowedIp("10.1." + (i % 250) + ".0/24").endpoint(Endpoint.of(DevicePair.HOST_B, 1000 + i % 1000))
                                .build()).build());
                        if (i % 2 == 1) {
                            p.a.apply(DeviceConfig.builder().peer(PeerConfig.builder(k.publicKey()).remove().build()).build());
                        }
                        changes.incrementAndGet();
                        i++;
                    }
                } catch (Throwable t) {
                    synchronized (errors) {
                        errors.add(t);
                    }
                }
            });
            churn.start();
            for (int i = 0; i < 50; i++) {
                p.assertPingAtoB();
                p.assertPingBtoA();
            }
            stop.set(true);
            churn.join();
            assertEquals(List.of(), errors);
            assertTrue(changes.get() > 10);
            assertEquals(session, p.a.state().peers().get(0).lastHandshake(), "no new handshake was needed");
        }
    }

    @Test
    void aPortInUseRefusesTheWholeChange() throws Exception {
        try (DevicePair p = new DevicePair(51).configure(PresharedKey.NONE)) {
            MemoryBind squatter = p.network.newBind(DevicePair.HOST_A);
            squatter.open(6000, new io.jwg.core.transport.DatagramReceiver() {
                @Override
                public void receive(java.nio.ByteBuffer buf, int off, int len, java.net.InetSocketAddress source) {}

                @Override
                public void endOfBatch() {}
            });
            PrivateKey newKey = PrivateKey.generate(p.random);
            PrivateKey newPeer = PrivateKey.generate(p.random);
            DeviceConfig change = DeviceConfig.builder().privateKey(newKey).listenPort(6000).replacePeers()
                    .peer(PeerConfig.builder(newPeer.publicKey()).allowedIp("10.7.0.0/16").build()).build();
            ConfigException e = assertThrows(ConfigException.class, () -> p.a.apply(change));
            assertEquals(ConfigException.Kind.ADDRESS_IN_USE, e.kind());
            DeviceState s = p.a.state();
            assertEquals(p.keyA, s.privateKey());
            assertEquals(51820, s.listenPort());
            assertEquals(1, s.peers().size());
            assertEquals(p.keyB.publicKey(), s.peers().get(0).publicKey());
            p.assertPingAtoB();
            squatter.close();
        }
    }

    @Test
    void aNewPrivateKeyRestartsSessionsAndDropsAPeerWithThatKey() throws Exception {
        try (DevicePair p = new DevicePair(52).configure(PresharedKey.NONE)) {
            p.assertPingAtoB();
            PrivateKey newA = PrivateKey.generate(p.random);
            p.a.apply(DeviceConfig.builder().peer(PeerConfig.builder(newA.publicKey()).allowedIp("10.8.0.0/16").build())
                    .build());
            assertEquals(2, p.a.state().peers().size());
            p.a.apply(DeviceConfig.builder().privateKey(newA).build());
            assertEquals(1, p.a.state().peers().size(), "the peer with our own new key is gone");
            p.b.apply(DeviceConfig.builder().replacePeers().peer(PeerConfig.builder(newA.publicKey())
                    .endpoint(Endpoint.of(DevicePair.HOST_A, 51820)).allowedIp("10.0.0.1/32").build()).build());
            p.assertPingAtoB();
            p.assertPingBtoA();
        }
    }

    @Test
    void updateOnlyIgnoresUnknownPeersAndOwnKeyIsIgnored() throws Exception {
        try (DevicePair p = new DevicePair(53).configure(PresharedKey.NONE)) {
            PrivateKey stranger = PrivateKey.generate(p.random);
            p.a.apply(DeviceConfig.builder()
                    .peer(PeerConfig.builder(stranger.publicKey()).updateOnly().allowedIp("10.9.0.0/16").build())
                    .peer(PeerConfig.builder(p.keyA.publicKey()).allowedIp("10.10.0.0/16").build())
                    .build());
            assertEquals(1, p.a.state().peers().size());
        }
    }

    @Test
    void downForgetsSessionsAndUpWorksAgain() throws Exception {
        try (DevicePair p = new DevicePair(54).configure(PresharedKey.NONE)) {
            p.assertPingAtoB();
            p.a.down();
            assertFalse(p.a.isUp());
            assertNull(p.a.peer(p.keyB.publicKey()).keypairs.current());
            assertEquals(51820, p.a.state().listenPort());
            p.a.up();
            // A new initiation needs a newer TAI64N timestamp than the last one B accepted.
            p.advance(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1));
            p.assertPingAtoB();
        }
    }
}
