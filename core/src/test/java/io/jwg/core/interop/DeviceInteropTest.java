// SPDX-License-Identifier: MIT
package io.jwg.core.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.Device;
import io.jwg.core.DeviceConfig;
import io.jwg.core.DeviceOptions;
import io.jwg.core.PeerConfig;
import io.jwg.core.PeerState;
import io.jwg.core.Timings;
import io.jwg.core.testing.NamespaceThread;
import io.jwg.core.testing.Netns;
import io.jwg.core.testing.Requirements;
import io.jwg.core.testing.Veth;
import io.jwg.core.testing.WgKeys;
import io.jwg.core.testing.WgPeerConfig;
import io.jwg.core.testing.WireguardGo;
import io.jwg.core.transport.Endpoint;
import io.jwg.core.transport.netty.NettyBind;
import io.jwg.noise.PresharedKey;
import io.jwg.noise.PrivateKey;
import io.jwg.noise.PublicKey;
import io.jwg.tun.memory.MemoryTun;
import io.jwg.tun.memory.Ping;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Our {@link Device} (in-memory TUN, real UDP socket in its own network namespace) against a real
 * wireguard-go configured with {@code wg} in another: ICMP echo through the tunnel with us as
 * initiator, as responder, with a pre-shared key, and across forced rekeys with no echo lost.
 */
@Tag(Requirements.TAG)
class DeviceInteropTest {
    private static final String OURS = "10.99.0.2";
    private static final String THEIRS = "10.99.0.1";

    /** wireguard-go in {@code ns} at 192.0.2.1:51820; our device in {@code us} at 192.0.2.2:51821. */
    private static final class Link implements AutoCloseable {
        final Netns ns = Netns.create();
        final Netns us = Netns.create();
        final NamespaceThread inUs = new NamespaceThread(us);
        final MemoryTun tun = new MemoryTun("mem0", 1420);
        final WgKeys theirKeys = WgKeys.generate();
        final PrivateKey ourKey = PrivateKey.generate(new SecureRandom());
        final Device device;
        WireguardGo wg;
        int seq;

        Link(DeviceOptions options) {
            Veth.connect(ns, us).ipv4("192.0.2.1/24", "192.0.2.2/24");
            device = Device.create(tun, new NettyBind(), options);
        }

        /** Configures both sides; {@code weKnowTheirEndpoint} false makes us a pure responder. */
        Link configure(PresharedKey psk, boolean weKnowTheirEndpoint) throws Exception {
            WgPeerConfig peer = WgPeerConfig.of(ourKey.publicKey().toBase64(), OURS + "/32").withEndpoint("192.0.2.2:51821");
            if (!psk.isZero()) {
                peer = peer.withPresharedKey(psk.toBase64());
            }
            wg = WireguardGo.start(ns).configure(theirKeys, 51820).peer(peer).address(THEIRS + "/24").up();
            PeerConfig.Builder them = PeerConfig.builder(PublicKey.fromBase64(theirKeys.publicKey()))
                    .presharedKey(psk).allowedIp(THEIRS + "/32");
            if (weKnowTheirEndpoint) {
                them.endpoint(Endpoint.of(InetAddress.getByName("192.0.2.1"), 51820));
            }
            device.apply(DeviceConfig.builder().privateKey(ourKey).listenPort(51821).peer(them.build()).build());
            // The UDP socket is made on the calling thread: make it inside our namespace.
            inUs.call(() -> {
                device.up();
                return null;
            });
            return this;
        }

        /** One echo from our side; true when the kernel behind wireguard-go answered. */
        boolean ping(Duration timeout) throws Exception {
            int s = ++seq;
            tun.inject(Ping.echoRequest(InetAddress.getByName(OURS), InetAddress.getByName(THEIRS), 9, s, new byte[56]));
            long end = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < end) {
                byte[] p = tun.poll(10, TimeUnit.MILLISECONDS);
                if (p != null) {
                    Ping.Echo e = Ping.parse(p);
                    if (e != null && !e.request() && e.sequence() == s) {
                        return true;
                    }
                }
            }
            return false;
        }

        PeerState peer() {
            return device.state().peers().get(0);
        }

        @Override
        public void close() {
            device.close();
            inUs.close();
            us.close();
            ns.close();
        }
    }

    @Test
    void weInitiateAndPingThroughWireguardGo() throws Exception {
        Requirements.assumeWireguardGo();
        try (Link link = new Link(DeviceOptions.defaults()).configure(PresharedKey.NONE, true)) {
            for (int i = 0; i < 5; i++) {
                assertTrue(link.ping(Duration.ofSeconds(5)), "echo " + i);
            }
            assertNotNull(link.peer().lastHandshake());
            assertTrue(link.wg.awaitHandshake(link.ourKey.publicKey().toBase64(), Duration.ofSeconds(2)).hasHandshake());
        }
    }

    @Test
    void wireguardGoInitiatesAndWeAnswer() throws Exception {
        Requirements.assumeWireguardGo();
        try (Link link = new Link(DeviceOptions.defaults()).configure(PresharedKey.NONE, false)) {
            CompletableFuture<Boolean> theirPing = CompletableFuture.supplyAsync(
                    () -> io.jwg.core.testing.Ping.reachable(link.ns, OURS, Duration.ofSeconds(10)));
            int answered = answerEchoes(link, theirPing);
            assertTrue(theirPing.get(), "wireguard-go's side reached us");
            assertTrue(answered >= 1);
            assertEquals("192.0.2.1:51820", link.peer().endpoint().toString(), "we learned their endpoint");
            assertTrue(link.ping(Duration.ofSeconds(5)), "and the session works our way too");
        }
    }

    @Test
    void aPresharedKeyWorksInBothRoles() throws Exception {
        Requirements.assumeWireguardGo();
        PresharedKey psk = PresharedKey.generate(new SecureRandom());
        try (Link link = new Link(DeviceOptions.defaults()).configure(psk, true)) {
            assertTrue(link.ping(Duration.ofSeconds(5)));
        }
        try (Link link = new Link(DeviceOptions.defaults()).configure(psk, false)) {
            CompletableFuture<Boolean> theirPing = CompletableFuture.supplyAsync(
                    () -> io.jwg.core.testing.Ping.reachable(link.ns, OURS, Duration.ofSeconds(10)));
            answerEchoes(link, theirPing);
            assertTrue(theirPing.get());
        }
    }

    @Test
    void forcedRekeysMidTrafficLoseNoEcho() throws Exception {
        Requirements.assumeWireguardGo();
        DeviceOptions fastRekey = DeviceOptions.builder().timings(Timings.DEFAULT.withRekeyAfterTime(Duration.ofSeconds(2)))
                .build();
        try (Link link = new Link(fastRekey).configure(PresharedKey.NONE, true)) {
            Set<Instant> sessions = new HashSet<>();
            long end = System.nanoTime() + Duration.ofSeconds(13).toNanos();
            int echoes = 0;
            while (System.nanoTime() < end) {
                assertTrue(link.ping(Duration.ofSeconds(3)), "echo " + echoes + " survived the rekey");
                echoes++;
                sessions.add(link.peer().lastHandshake());
                Thread.sleep(100);
            }
            assertTrue(sessions.size() >= 3, "at least two rekeys happened during traffic: " + sessions);
            assertTrue(echoes > 50);
        }
    }

    /** Answers echo requests arriving through the tunnel until {@code done} completes. */
    private static int answerEchoes(Link link, CompletableFuture<Boolean> done) throws Exception {
        int answered = 0;
        while (!done.isDone()) {
            byte[] p = link.tun.poll(10, TimeUnit.MILLISECONDS);
            if (p != null) {
                Ping.Echo e = Ping.parse(p);
                if (e != null && e.request()) {
                    link.tun.inject(Ping.reply(p));
                    answered++;
                }
            }
        }
        return answered;
    }
}
