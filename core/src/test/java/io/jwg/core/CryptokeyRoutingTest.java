// SPDX-License-Identifier: MIT
package io.jwg.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.transport.Endpoint;
import io.jwg.core.transport.MemoryBind;
import io.jwg.noise.PresharedKey;
import io.jwg.noise.PrivateKey;
import io.jwg.tun.memory.MemoryTun;
import io.jwg.tun.memory.Ping;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Allowed IPs route outgoing packets and filter incoming ones (whitepaper section 2). */
class CryptokeyRoutingTest {

    @Test
    void aPacketFromAnAddressThePeerDoesNotOwnIsDropped() throws Exception {
        try (DevicePair p = new DevicePair(40).configure(PresharedKey.NONE)) {
            p.assertPingBtoA();
            p.tunB.inject(Ping.echoRequest(DevicePair.addr("10.0.0.99"), DevicePair.TUN_A, 1, 1, new byte[8]));
            p.await(() -> p.a.stats().disallowedSource.sum() == 1, Duration.ofSeconds(5));
            assertNull(p.tunA.poll(50, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void assigningAPrefixToAnotherPeerMovesIt() throws Exception {
        try (DevicePair p = new DevicePair(41).configure(PresharedKey.NONE)) {
            p.assertPingAtoB();
            PrivateKey keyC = PrivateKey.generate(p.random);
            MemoryTun tunC = new MemoryTun("memC", 1420);
            MemoryBind bindC = p.network.newBind(DevicePair.addr("192.0.2.3"));
            Device c = Device.create(tunC, bindC, DeviceOptions.builder().name("C").clock(p.clock)
                    .scheduler(p.scheduler).random(p.random.split()).build());
            p.extra.add(c);
            c.apply(DeviceConfig.builder().privateKey(keyC).listenPort(51822)
                    .peer(PeerConfig.builder(p.keyA.publicKey()).endpoint(Endpoint.of(DevicePair.HOST_A, 51820))
                            .allowedIp("10.0.0.0/24").build()).build());
            c.up();
            p.a.apply(DeviceConfig.builder()
                    .peer(PeerConfig.builder(keyC.publicKey()).endpoint(Endpoint.of(DevicePair.addr("192.0.2.3"), 51822))
                            .allowedIp("10.0.0.2/32").build()).build());
            assertEquals(1, p.a.state().peers().get(0).allowedIps().size(), "B kept only fd00::2/128");
            assertTrue(p.ping(p.tunA, DevicePair.TUN_A, tunC, DevicePair.TUN_B), "10.0.0.2 now goes to C");
            assertNull(p.tunB.poll(50, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void removingAPrefixOnlyRemovesItFromItsOwner() throws Exception {
        try (DevicePair p = new DevicePair(42).configure(PresharedKey.NONE)) {
            PrivateKey other = PrivateKey.generate(p.random);
            p.a.apply(DeviceConfig.builder().peer(PeerConfig.builder(other.publicKey())
                    .removeAllowedIp(AllowedIps.Prefix.parse("10.0.0.2/32")).build()).build());
            p.assertPingAtoB();
            p.a.apply(DeviceConfig.builder().peer(PeerConfig.builder(p.keyB.publicKey())
                    .removeAllowedIp(AllowedIps.Prefix.parse("10.0.0.2/32")).build()).build());
            assertEquals(false, p.ping(p.tunA, DevicePair.TUN_A, p.tunB, DevicePair.TUN_B));
        }
    }
}
