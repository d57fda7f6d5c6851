// SPDX-License-Identifier: MIT
package io.jwg.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.transport.Endpoint;
import io.jwg.core.transport.netty.NettyBind;
import io.jwg.noise.PrivateKey;
import io.jwg.tun.memory.MemoryTun;
import io.jwg.tun.memory.Ping;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's "Embedding" example, as an application would write it: two devices in one JVM
 * with the default (real) clock, randomness and scheduler, real UDP sockets on loopback through
 * {@link NettyBind}, and in-memory TUNs. No root, no daemon, no socket file.
 */
class EmbeddingExampleTest {

    @Test
    void twoEmbeddedDevicesCarryAPingOverRealUdpOnLoopback() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        InetAddress tunA = InetAddress.getByName("10.0.0.1");
        InetAddress tunB = InetAddress.getByName("10.0.0.2");
        SystemRandom random = new SystemRandom();
        PrivateKey keyA = PrivateKey.generate(random);
        PrivateKey keyB = PrivateKey.generate(random);
        MemoryTun memA = new MemoryTun("wgA", 1420);
        MemoryTun memB = new MemoryTun("wgB", 1420);
        try (Device a = Device.create(memA, new NettyBind(), DeviceOptions.defaults());
                Device b = Device.create(memB, new NettyBind(), DeviceOptions.defaults())) {
            // Port 0: the system picks one; state() reports it, as `wg show` does.
            b.apply(DeviceConfig.builder().privateKey(keyB).listenPort(0)
                    .peer(PeerConfig.builder(keyA.publicKey()).allowedIp("10.0.0.1/32").build())
                    .build());
            b.up();
            int portB = b.state().listenPort();
            a.apply(DeviceConfig.builder().privateKey(keyA).listenPort(0)
                    .peer(PeerConfig.builder(keyB.publicKey())
                            .endpoint(Endpoint.of(loopback, portB))
                            .allowedIp("10.0.0.2/32")
                            .persistentKeepalive(25)
                            .build())
                    .build());
            a.up();

            byte[] payload = "embedded".getBytes(StandardCharsets.US_ASCII);
            assertTrue(memA.inject(Ping.echoRequest(tunA, tunB, 7, 1, payload)));
            byte[] arrived = memB.poll(10, TimeUnit.SECONDS);
            assertNotNull(arrived, "the echo request came out of B's TUN");
            Ping.Echo request = Ping.parse(arrived);
            assertNotNull(request);
            assertTrue(request.request());
            assertEquals(tunA, request.source());
            assertArrayEquals(payload, request.payload());

            assertTrue(memB.inject(Ping.reply(arrived)));
            byte[] back = memA.poll(10, TimeUnit.SECONDS);
            assertNotNull(back, "the echo reply came back out of A's TUN");
            Ping.Echo reply = Ping.parse(back);
            assertNotNull(reply);
            assertEquals(tunB, reply.source());
            assertEquals(1, reply.sequence());

            PeerState seenByA = a.state().peers().get(0);
            assertNotNull(seenByA.lastHandshake(), "A reports the handshake");
            assertTrue(seenByA.txBytes() > 0 && seenByA.rxBytes() > 0, "A counts bytes both ways");
            PeerState seenByB = b.state().peers().get(0);
            assertEquals(loopback, seenByB.endpoint().address().getAddress(),
                    "B learned A's endpoint from its authenticated packets");
        }
    }
}
