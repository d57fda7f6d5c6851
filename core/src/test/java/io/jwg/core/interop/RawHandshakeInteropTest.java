// SPDX-License-Identifier: MIT
package io.jwg.core.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.testing.NamespaceThread;
import io.jwg.core.testing.Netns;
import io.jwg.core.testing.Requirements;
import io.jwg.core.testing.Veth;
import io.jwg.core.testing.WgKeys;
import io.jwg.core.testing.WgPeerConfig;
import io.jwg.core.testing.WireguardGo;
import io.jwg.noise.CookieGenerator;
import io.jwg.noise.Handshake;
import io.jwg.noise.Messages;
import io.jwg.noise.PresharedKey;
import io.jwg.noise.PrivateKey;
import io.jwg.noise.PublicKey;
import io.jwg.noise.Reason;
import io.jwg.noise.SessionKeys;
import io.jwg.noise.StaticIdentity;
import io.jwg.noise.crypto.Aead;
import io.jwg.noise.crypto.Aeads;
import io.jwg.tun.memory.Ping;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The noise module against a real wireguard-go, byte by byte: one initiation made by our code is
 * sent over UDP to wireguard-go configured with {@code wg} in a network namespace; our code
 * consumes its response, derives the transport keys, sends an ICMP echo request through the
 * tunnel and decrypts wireguard-go's transport message carrying the kernel's echo reply. A
 * corrupted initiation gets no answer at all.
 */
@Tag(Requirements.TAG)
class RawHandshakeInteropTest {
    private static final InetAddress OURS = addr("10.99.0.2");
    private static final InetAddress THEIRS = addr("10.99.0.1");

    private record Setup(Netns ns, Netns us, WireguardGo wg, StaticIdentity me, PublicKey peer) {}

    private static Setup setup(Netns ns, Netns us, PresharedKey psk) {
        Veth.connect(ns, us).ipv4("192.0.2.1/24", "192.0.2.2/24");
        WgKeys theirs = WgKeys.generate();
        StaticIdentity me = new StaticIdentity(PrivateKey.generate(new SecureRandom()));
        WgPeerConfig peer = WgPeerConfig.of(me.publicKey().toBase64(), "10.99.0.2/32");
        if (!psk.isZero()) {
            peer = peer.withPresharedKey(psk.toBase64());
        }
        WireguardGo wg = WireguardGo.start(ns).configure(theirs, 51820).peer(peer).address("10.99.0.1/24").up();
        return new Setup(ns, us, wg, me, PublicKey.fromBase64(theirs.publicKey()));
    }

    @ParameterizedTest(name = "psk={0}")
    @ValueSource(booleans = {false, true})
    void ourInitiationIsAnsweredAndTheSessionCarriesAPingBothWays(boolean withPsk) throws Exception {
        Requirements.assumeWireguardGo();
        PresharedKey psk = withPsk ? PresharedKey.generate(new SecureRandom()) : PresharedKey.NONE;
        try (Netns ns = Netns.create(); Netns us = Netns.create(); NamespaceThread inUs = new NamespaceThread(us)) {
            Setup s = setup(ns, us, psk);
            DatagramSocket socket = inUs.call(() -> new DatagramSocket(new InetSocketAddress("192.0.2.2", 0)));
            try (socket) {
                socket.setSoTimeout(5000);
                InetSocketAddress target = new InetSocketAddress("192.0.2.1", 51820);
                Handshake handshake = new Handshake(s.me, s.peer);
                handshake.setPresharedKey(psk);
                CookieGenerator macs = new CookieGenerator(s.peer);
                byte[] init = new byte[Messages.INITIATION_SIZE];
                assertTrue(handshake.createInitiation(init, 0x1234abcd, Instant.now(), new SecureRandom()));
                macs.addMacs(init, init.length, System.nanoTime());
                socket.send(new DatagramPacket(init, init.length, target));

                byte[] buf = new byte[2048];
                DatagramPacket response = new DatagramPacket(buf, buf.length);
                socket.receive(response);
                assertEquals(Messages.RESPONSE_SIZE, response.getLength());
                assertEquals(Reason.ACCEPTED, handshake.consumeResponse(buf, 0, response.getLength()));
                SessionKeys keys = handshake.beginSession();
                assertNotNull(keys);

                // Our first transport message confirms the session and carries an echo request.
                byte[] icmp = Ping.echoRequest(OURS, THEIRS, 77, 1, new byte[32]);
                socket.send(new DatagramPacket(transport(keys, 0, icmp), 0, 16 + pad(icmp.length) + 16, target));

                // wireguard-go's answer: the kernel's echo reply, sealed under the other key.
                for (int i = 0; i < 5; i++) {
                    DatagramPacket reply = new DatagramPacket(buf, buf.length);
                    socket.receive(reply);
                    ByteBuffer b = ByteBuffer.wrap(buf, 0, reply.getLength()).order(ByteOrder.LITTLE_ENDIAN);
                    assertEquals(4, b.getInt(0), "a transport message");
                    assertEquals(keys.localIndex(), b.getInt(4));
                    try (Aead open = Aeads.fastest().create(keys.receiveKey())) {
                        assertTrue(open.open(b.getLong(8), null, b, 16, reply.getLength() - 16, b, 16), "it decrypts");
                    }
                    int plain = reply.getLength() - 32;
                    if (plain == 0) {
                        continue; // a keepalive
                    }
                    Ping.Echo echo = Ping.parse(java.util.Arrays.copyOfRange(buf, 16, 16 + plain));
                    assertNotNull(echo, "an ICMP echo inside");
                    assertFalse(echo.request());
                    assertEquals(1, echo.sequence());
                    assertEquals(THEIRS, echo.source());
                    return;
                }
                throw new AssertionError("no echo reply came back");
            }
        }
    }

    @Test
    void aCorruptedInitiationGetsNoAnswerAtAll() throws Exception {
        Requirements.assumeWireguardGo();
        try (Netns ns = Netns.create(); Netns us = Netns.create(); NamespaceThread inUs = new NamespaceThread(us)) {
            Setup s = setup(ns, us, PresharedKey.NONE);
            DatagramSocket socket = inUs.call(() -> new DatagramSocket(new InetSocketAddress("192.0.2.2", 0)));
            try (socket) {
                socket.setSoTimeout(2000);
                InetSocketAddress target = new InetSocketAddress("192.0.2.1", 51820);
                Handshake handshake = new Handshake(s.me, s.peer);
                CookieGenerator macs = new CookieGenerator(s.peer);
                byte[] init = new byte[Messages.INITIATION_SIZE];
                assertTrue(handshake.createInitiation(init, 1, Instant.now(), new SecureRandom()));
                macs.addMacs(init, init.length, System.nanoTime());

                byte[] badMac = init.clone();
                badMac[60] ^= 1; // mac1 no longer matches
                byte[] badBody = init.clone();
                badBody[60] ^= 1;
                macs.addMacs(badBody, badBody.length, System.nanoTime()); // mac1 fixed, body still forged
                byte[] truncated = java.util.Arrays.copyOf(init, 147);
                for (byte[] bad : new byte[][] {badMac, badBody, truncated}) {
                    socket.send(new DatagramPacket(bad, bad.length, target));
                }
                byte[] buf = new byte[2048];
                try {
                    socket.receive(new DatagramPacket(buf, buf.length));
                    throw new AssertionError("wireguard-go answered a corrupted initiation");
                } catch (SocketTimeoutException expected) {
                    // silence, as the protocol requires
                }
                assertFalse(s.wg.dump().peers().get(0).hasHandshake(), "wireguard-go completed no handshake");
            }
        }
    }

    private static int pad(int len) {
        return (len + 15) & -16;
    }

    private static byte[] transport(SessionKeys keys, long counter, byte[] packet) {
        int padded = pad(packet.length);
        ByteBuffer b = ByteBuffer.allocate(16 + padded + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 4).putInt(4, keys.remoteIndex()).putLong(8, counter);
        b.put(16, packet);
        try (Aead seal = Aeads.fastest().create(keys.sendKey())) {
            seal.seal(counter, null, b, 16, padded, b, 16);
        }
        return b.array();
    }

    private static InetAddress addr(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
