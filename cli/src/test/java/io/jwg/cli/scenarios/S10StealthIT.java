// SPDX-License-Identifier: MIT
package io.jwg.cli.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jwg.core.testing.NamespaceThread;
import io.jwg.core.testing.Netns;
import io.jwg.core.testing.Pcap;
import io.jwg.core.testing.Requirements;
import io.jwg.core.testing.Veth;
import io.jwg.core.testing.WgDump;
import io.jwg.noise.CookieGenerator;
import io.jwg.noise.Handshake;
import io.jwg.noise.Messages;
import io.jwg.noise.PrivateKey;
import io.jwg.noise.PublicKey;
import io.jwg.noise.StaticIdentity;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 10: a stealth hub (examples/10-stealth). A prober on another link sends the hub's
 * port random datagrams, a well-formed initiation from a key the hub does not know (valid MAC1,
 * made with the noise module), and replays of the legitimate initiator's real initiation and of
 * one of its data messages, both captured on the wire. A capture on the prober's side sees not
 * one packet come back, while the legitimate initiator (which has no ListenPort) keeps working
 * and keeps its endpoint.
 */
@Tag(Requirements.TAG)
@ExtendWith(ScenarioReport.class)
class S10StealthIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final InetSocketAddress HUB = new InetSocketAddress("192.0.2.17", 51820);

    @Test
    @DisplayName("10 stealth: the hub answers no unknown or replayed packet")
    void theHubsPortAnswersNothingButTheLegitimateInitiator() throws Exception {
        Requirements.assumeWireguardGo();
        try (Node hub = new Node("hub", Impl.JWG); Node initiator = new Node("initiator", Impl.JWG);
                Netns prober = Netns.create("sc")) {
            Veth toInitiator = Veth.connect(hub.netns(), initiator.netns()).ipv4("192.0.2.1/28", "192.0.2.2/28");
            Veth.connect(hub.netns(), prober).ipv4("192.0.2.17/28", "192.0.2.18/28");
            Map<String, String> keys = Map.of(
                    "hub.private", hub.keys("wg").privateKey(), "hub.public", hub.keys("wg").publicKey(),
                    "initiator.private", initiator.keys("wg").privateKey(),
                    "initiator.public", initiator.keys("wg").publicKey());
            String hubIf = Node.ifname("hb");
            String initIf = Node.ifname("in");
            hub.up(hubIf, Examples.render("10-stealth/hub.conf", keys));

            // The legitimate initiator's handshake, captured on the hub's side of its link.
            byte[] realInitiation;
            byte[] realTransport;
            try (PacketCapture wire = PacketCapture.start(hub.netns(), toInitiator.a().ifname())) {
                initiator.up(initIf, Examples.render("10-stealth/initiator.conf", keys));
                assertTrue(initiator.reaches("10.100.0.1", WAIT), "the initiator pings the hub through the tunnel");
                List<byte[]> toHub = wire.udp().stream().filter(d -> d.destination().getPort() == 51820)
                        .map(Pcap.UdpDatagram::payload).toList();
                realInitiation = toHub.stream().filter(S10StealthIT::isInitiation).findFirst()
                        .orElseThrow(() -> new AssertionError("no initiation captured: " + wire.packets()));
                realTransport = toHub.stream().filter(S10StealthIT::isTransport).findFirst()
                        .orElseThrow(() -> new AssertionError("no transport message captured: " + wire.packets()));
            }
            int initiatorPort = initiator.dump(initIf).listenPort();
            assertNotEquals(0, initiatorPort);
            assertNotEquals(51820, initiatorPort, "the initiator has no fixed port");
            String initiatorKey = initiator.keys("wg").publicKey();
            String endpoint = hub.dump(hubIf).peer(initiatorKey).orElseThrow().endpoint();
            assertEquals("192.0.2.2:" + initiatorPort, endpoint);

            List<byte[]> probes = new ArrayList<>();
            SecureRandom random = new SecureRandom();
            // (a) random datagrams, some of them with a WireGuard message type and size
            for (int size : new int[] {1, 4, 16, 32, 64, 92, 148, 200, 1200}) {
                byte[] b = new byte[size];
                random.nextBytes(b);
                probes.add(b);
            }
            for (int[] typeAndSize : new int[][] {{1, 148}, {2, 92}, {3, 64}, {4, 32}, {4, 128}}) {
                byte[] b = new byte[typeAndSize[1]];
                random.nextBytes(b);
                b[0] = (byte) typeAndSize[0];
                b[1] = b[2] = b[3] = 0;
                probes.add(b);
            }
            // (b) a real initiation (valid MAC1) from a key the hub does not know
            PublicKey hubKey = PublicKey.fromBase64(hub.keys("wg").publicKey());
            Handshake stranger = new Handshake(new StaticIdentity(PrivateKey.generate(random)), hubKey);
            byte[] unknown = new byte[Messages.INITIATION_SIZE];
            assertTrue(stranger.createInitiation(unknown, 0x5eed, Instant.now(), random));
            new CookieGenerator(hubKey).addMacs(unknown, unknown.length, System.nanoTime());
            probes.add(unknown);
            // (c) the legitimate initiator's initiation, replayed
            probes.add(realInitiation);
            // (d) and one of its data messages, replayed: it decrypts, but its counter was seen
            probes.add(realTransport);

            try (PacketCapture atProber = PacketCapture.start(prober);
                    NamespaceThread in = new NamespaceThread(prober)) {
                DatagramSocket socket = in.call(() -> new DatagramSocket(new InetSocketAddress("192.0.2.18", 0)));
                try (socket) {
                    socket.setSoTimeout(3000);
                    for (byte[] p : probes) {
                        socket.send(new DatagramPacket(p, p.length, HUB));
                    }
                    byte[] buf = new byte[2048];
                    try {
                        DatagramPacket got = new DatagramPacket(buf, buf.length);
                        socket.receive(got);
                        fail("the hub answered " + got.getLength() + " bytes to a probe");
                    } catch (SocketTimeoutException expected) {
                        // silence
                    }
                }
                List<PacketCapture.Packet> seen = atProber.packets();
                InetAddress hubAddress = HUB.getAddress();
                assertEquals(probes.size(), seen.stream().filter(p -> p.outgoing()
                        && p.udp().map(d -> d.destination().equals(HUB)).orElse(false)).count(),
                        "the capture saw every probe leave: " + seen);
                assertEquals(List.of(), seen.stream().filter(p -> !p.outgoing() && p.source().equals(hubAddress))
                        .toList(), "zero packets from the hub reached the prober");
                // Control: the capture does see what the hub sends, e.g. its kernel's ICMP echo reply.
                prober.execOk("ping", "-c", "1", "-W", "5", "192.0.2.17");
                assertTrue(Poll.until(Duration.ofSeconds(5), () -> atProber.packets().stream()
                        .anyMatch(p -> !p.outgoing() && p.source().equals(hubAddress))),
                        "the capture sees packets coming from the hub");
            }

            // The hub is unmoved: still one peer, at the initiator's real address.
            WgDump d = hub.dump(hubIf);
            assertEquals(1, d.peers().size(), d.toString());
            assertEquals(endpoint, d.peer(initiatorKey).orElseThrow().endpoint(),
                    "the replayed messages did not move the initiator's endpoint");
            assertTrue(initiator.reaches("10.100.0.1", WAIT), "the legitimate initiator still works");
            assertTrue(hub.reaches("10.100.0.2", WAIT), "and the hub still reaches it");
        }
    }

    private static boolean isTransport(byte[] payload) {
        return payload.length >= 32 && payload[0] == 4 && payload[1] == 0 && payload[2] == 0 && payload[3] == 0;
    }

    private static boolean isInitiation(byte[] payload) {
        return payload.length == Messages.INITIATION_SIZE && payload[0] == 1 && payload[1] == 0
                && payload[2] == 0 && payload[3] == 0;
    }
}
