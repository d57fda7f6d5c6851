// SPDX-License-Identifier: MIT
package io.jwg.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.noise.PresharedKey;
import io.jwg.tun.memory.Ping;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The protocol's timers on two in-memory devices under a manual clock (whitepaper section 6):
 * hours of protocol time run in a few seconds, and no test sleeps through a timeout.
 */
class TimersTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    private static PeerState peerOf(Device d) {
        return d.state().peers().get(0);
    }

    @Test
    void rekeyAfterTimeWithTrafficInFlightLosesNoPacket() throws Exception {
        try (DevicePair p = new DevicePair(10).configure(PresharedKey.NONE)) {
            NetworkCounter net = new NetworkCounter();
            p.network.addTap(net);
            p.assertPingAtoB();
            Instant first = peerOf(p.a).lastHandshake();
            for (int t = 0; t < 200; t++) {
                p.assertPingAtoB(); // every ping of the 200 s must get its reply
                p.advance(SECOND, SECOND);
            }
            Instant later = peerOf(p.a).lastHandshake();
            assertNotEquals(first, later, "a new session was made");
            assertTrue(net.count(DevicePair.HOST_A, 1) >= 1, "A, the initiator, rekeyed");
            assertEquals(0, net.count(DevicePair.HOST_B, 1), "only the initiator rekeys by time");
        }
    }

    @Test
    void aSessionIsNotUsedAfterRejectAfterTime() throws Exception {
        try (DevicePair p = new DevicePair(11).configure(PresharedKey.NONE)) {
            NetworkCounter net = new NetworkCounter();
            p.assertPingAtoB();
            // From now on no handshake gets through, so no new session can replace the first.
            p.network.setFilter((from, to, d) -> d[0] == 1 || d[0] == 2 ? null : d);
            p.advance(Duration.ofSeconds(170), Duration.ofSeconds(10));
            p.assertPingAtoB();
            p.advance(Duration.ofSeconds(11), SECOND);
            p.network.addTap(net);
            p.tunA.inject(Ping.echoRequest(DevicePair.TUN_A, DevicePair.TUN_B, 1, 1, new byte[8]));
            p.settle();
            assertEquals(0, net.count(DevicePair.HOST_A, 4), "nothing is sent with a session older than 180 s");
            assertTrue(net.count(DevicePair.HOST_A, 1) <= 1);
        }
    }

    @Test
    void passiveKeepaliveAfterReceivingDataAndSendingNothing() throws Exception {
        try (DevicePair p = new DevicePair(12).configure(PresharedKey.NONE)) {
            p.assertPingAtoB();
            NetworkCounter net = new NetworkCounter();
            p.network.addTap(net);
            // One-way data A -> B (an echo reply, which nobody answers).
            p.tunA.inject(Ping.echoReply(DevicePair.TUN_A, DevicePair.TUN_B, 1, 1, new byte[8]));
            p.await(() -> p.tunB.pendingReads() >= 0 && net.count(DevicePair.HOST_A, 4) == 1, Duration.ofSeconds(5));
            p.advance(Duration.ofSeconds(9), SECOND);
            assertEquals(0, net.keepalives(DevicePair.HOST_B));
            p.advance(Duration.ofSeconds(2), SECOND);
            assertEquals(1, net.keepalives(DevicePair.HOST_B), "B confirms receipt after KEEPALIVE_TIMEOUT");
            p.advance(Duration.ofSeconds(30), SECOND);
            assertEquals(1, net.keepalives(DevicePair.HOST_B), "and only once");
        }
    }

    @Test
    void persistentKeepaliveKeepsTheLinkWarm() throws Exception {
        try (DevicePair p = new DevicePair(13).configure(PresharedKey.NONE)) {
            p.assertPingAtoB();
            NetworkCounter net = new NetworkCounter();
            p.network.addTap(net);
            p.a.apply(DeviceConfig.builder()
                    .peer(PeerConfig.builder(p.keyB.publicKey()).updateOnly().persistentKeepalive(25).build()).build());
            p.settle();
            assertEquals(1, net.keepalives(DevicePair.HOST_A), "turning it on sends one at once");
            p.advance(Duration.ofSeconds(100), SECOND);
            assertEquals(5, net.keepalives(DevicePair.HOST_A), "then every 25 s of silence");
        }
    }

    @Test
    void handshakeRetransmitsEveryRekeyTimeoutThenGivesUp() throws Exception {
        try (DevicePair p = new DevicePair(14).configure(PresharedKey.NONE)) {
            NetworkCounter net = new NetworkCounter();
            p.network.addTap(net);
            p.network.setFilter((from, to, d) -> d[0] == 2 ? null : d); // responses are lost
            p.tunA.inject(Ping.echoRequest(DevicePair.TUN_A, DevicePair.TUN_B, 1, 1, new byte[8]));
            p.settle();
            assertEquals(1, net.count(DevicePair.HOST_A, 1));
            p.advance(Duration.ofSeconds(4), SECOND);
            assertEquals(1, net.count(DevicePair.HOST_A, 1), "not before REKEY_TIMEOUT");
            p.advance(Duration.ofSeconds(2), SECOND);
            assertEquals(2, net.count(DevicePair.HOST_A, 1));
            p.advance(Duration.ofSeconds(200), SECOND);
            // The first initiation and 19 retries, spread over REKEY_ATTEMPT_TIME and a bit.
            assertEquals(20, net.count(DevicePair.HOST_A, 1));
        }
    }

    @Test
    void silenceAfterSendingStartsANewHandshake() throws Exception {
        try (DevicePair p = new DevicePair(15).configure(PresharedKey.NONE)) {
            p.assertPingAtoB();
            NetworkCounter net = new NetworkCounter();
            p.network.addTap(net);
            p.network.setFilter((from, to, d) -> from.getAddress().equals(DevicePair.HOST_B) ? null : d);
            p.tunA.inject(Ping.echoRequest(DevicePair.TUN_A, DevicePair.TUN_B, 1, 9, new byte[8]));
            p.settle();
            p.advance(Duration.ofSeconds(14), SECOND);
            assertEquals(0, net.count(DevicePair.HOST_A, 1));
            p.advance(Duration.ofSeconds(2), SECOND);
            assertEquals(1, net.count(DevicePair.HOST_A, 1), "KEEPALIVE_TIMEOUT + REKEY_TIMEOUT without an answer");
        }
    }

    @Test
    void keysAreZeroedAfterThreeTimesRejectAfterTime() throws Exception {
        try (DevicePair p = new DevicePair(16).configure(PresharedKey.NONE)) {
            p.assertPingAtoB();
            Peer b = p.a.peer(p.keyB.publicKey());
            assertTrue(b.keypairs.current() != null);
            p.advance(Duration.ofSeconds(530), Duration.ofSeconds(10));
            assertTrue(b.keypairs.current() != null);
            p.advance(Duration.ofSeconds(20), Duration.ofSeconds(10));
            assertNull(b.keypairs.current());
            assertNull(b.keypairs.previous());
            assertEquals(0, p.a.indexTable.size(), "their indices are gone too");
            p.assertPingAtoB(); // and a new session comes when needed
        }
    }

    @Test
    void theResponderDoesNotRekeyByTime() throws Exception {
        try (DevicePair p = new DevicePair(17).configure(PresharedKey.NONE)) {
            p.assertPingAtoB();
            NetworkCounter net = new NetworkCounter();
            p.network.addTap(net);
            for (int t = 0; t < 130; t += 5) {
                p.assertPingBtoA(); // B, the responder, sends data for over REKEY_AFTER_TIME
                p.advance(Duration.ofSeconds(5), SECOND);
            }
            assertEquals(0, net.count(DevicePair.HOST_B, 1));
            assertEquals(1, net.count(DevicePair.HOST_A, 1), "A, the initiator, rekeyed once when its session grew old");
        }
    }
}
