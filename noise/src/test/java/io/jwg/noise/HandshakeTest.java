// SPDX-License-Identifier: MIT
package io.jwg.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.noise.crypto.Bytes;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The WireGuard handshake between two in-memory peers, and every way a message can be refused. */
class HandshakeTest {

    private static PresharedKey psk(boolean with, long seed) {
        return with ? PresharedKey.generate(new SplittableRandom(seed ^ 0x5eed)) : PresharedKey.NONE;
    }

    @ParameterizedTest(name = "psk={0}")
    @ValueSource(booleans = {false, true})
    void fullHandshakeYieldsMatchingTransportKeysInBothDirections(boolean withPsk) {
        for (long seed = 1; seed <= 20; seed++) {
            HandshakePair p = new HandshakePair(seed, psk(withPsk, seed));
            byte[] init = p.createInitiation(0x11111111);
            assertEquals(Reason.ACCEPTED, p.receiveInitiation(init, false));
            assertArrayEquals(p.initiator.hash(), p.responder.hash(), "h after initiation");
            assertArrayEquals(p.initiator.chainingKey(), p.responder.chainingKey(), "ck after initiation");

            byte[] resp = p.createResponse(0x22222222);
            assertEquals(Reason.ACCEPTED, p.receiveResponse(resp));
            assertArrayEquals(p.initiator.hash(), p.responder.hash(), "h after response");
            assertArrayEquals(p.initiator.chainingKey(), p.responder.chainingKey(), "ck after response");

            SessionKeys i = p.initiator.beginSession();
            SessionKeys r = p.responder.beginSession();
            assertArrayEquals(i.sendKey(), r.receiveKey());
            assertArrayEquals(i.receiveKey(), r.sendKey());
            assertFalse(Arrays.equals(i.sendKey(), i.receiveKey()));
            assertEquals(0x11111111, i.localIndex());
            assertEquals(0x22222222, i.remoteIndex());
            assertEquals(0x22222222, r.localIndex());
            assertEquals(0x11111111, r.remoteIndex());
            assertTrue(i.isInitiator());
            assertFalse(r.isInitiator());
            assertEquals(Handshake.State.ZEROED, p.initiator.state());
            assertEquals(Handshake.State.ZEROED, p.responder.state());
        }
    }

    @Test
    void differentPresharedKeysMakeTheResponseFailWithoutChangingTheInitiator() {
        HandshakePair p = new HandshakePair(3, PresharedKey.NONE);
        p.responder.setPresharedKey(psk(true, 3));
        byte[] init = p.createInitiation(7);
        // The psk is mixed in only by the response, so the initiation still passes.
        assertEquals(Reason.ACCEPTED, p.receiveInitiation(init, false));
        byte[] resp = p.createResponse(8);
        assertEquals(Reason.DECRYPTION_FAILED, p.receiveResponse(resp));
        assertEquals(Handshake.State.INITIATION_CREATED, p.initiator.state());
        assertNull(p.initiator.beginSession());
    }

    @Test
    void replayedInitiationIsRejectedAndChangesNothing() {
        HandshakePair p = new HandshakePair(4, PresharedKey.NONE);
        byte[] init = p.createInitiation(1);
        assertEquals(Reason.ACCEPTED, p.receiveInitiation(init, false));
        byte[] hashBefore = p.responder.hash();
        p.advanceMillis(1000);
        assertEquals(Reason.REPLAYED, p.receiveInitiation(init, false));
        assertArrayEquals(hashBefore, p.responder.hash());
        assertEquals(Handshake.State.INITIATION_CONSUMED, p.responder.state());
        // A genuinely newer initiation is still welcome.
        assertEquals(Reason.ACCEPTED, p.receiveInitiation(p.createInitiation(2), false));
    }

    @Test
    void initiationsFasterThanTheFloodLimitAreRejected() {
        HandshakePair p = new HandshakePair(5, PresharedKey.NONE);
        assertEquals(Reason.ACCEPTED, p.receiveInitiation(p.createInitiation(1), false));
        // Newer timestamp (the whitening granularity is 2^24 ns), but only 17 ms later: a flood.
        p.advanceMillis(17);
        byte[] second = p.createInitiation(2);
        assertEquals(Reason.FLOODED, p.receiveInitiation(second, false));
        p.advanceMillis(3);
        assertEquals(Reason.ACCEPTED, p.receiveInitiation(second, false));
    }

    @Test
    void everyBitFlipOfAnInitiationIsRejectedWithoutChangingState() {
        HandshakePair p = new HandshakePair(6, PresharedKey.NONE);
        byte[] init = p.createInitiation(9);
        for (int bit = 0; bit < Messages.mac2Offset(init.length) * 8; bit++) {
            byte[] copy = init.clone();
            copy[bit / 8] ^= (byte) (1 << (bit % 8));
            Reason r = p.receiveInitiation(copy, false);
            assertNotEquals(Reason.ACCEPTED, r, "bit " + bit);
        }
        assertEquals(Handshake.State.ZEROED, p.responder.state());
        // No rejected copy touched the replay or flood state: the original is accepted now.
        assertEquals(Reason.ACCEPTED, p.receiveInitiation(init, false));
    }

    @Test
    void flippedBitsBehindValidMacsAreCaughtByDecryption() {
        HandshakePair p = new HandshakePair(7, PresharedKey.NONE);
        byte[] init = p.createInitiation(9);
        for (int bit = Messages.INITIATION_NOISE_OFFSET * 8; bit < Messages.mac1Offset(init.length) * 8; bit += 7) {
            byte[] copy = init.clone();
            copy[bit / 8] ^= (byte) (1 << (bit % 8));
            p.initiatorMacs.addMacs(copy, copy.length, p.nanos); // an attacker can always fix mac1
            OpenedInitiation o = Handshake.openInitiation(p.responderId, copy, 0, copy.length);
            Reason r = o.reason() == Reason.ACCEPTED ? p.responder.consumeInitiation(o, p.nanos) : o.reason();
            assertTrue(r == Reason.DECRYPTION_FAILED || r == Reason.UNKNOWN_PEER || r == Reason.BAD_PUBLIC_KEY,
                    "bit " + bit + ": " + r);
        }
        assertEquals(Reason.ACCEPTED, p.receiveInitiation(init, false));
    }

    @Test
    void everyBitFlipOfAResponseIsRejectedAndTheInitiatorStillCompletes() {
        HandshakePair p = new HandshakePair(8, psk(true, 8));
        assertEquals(Reason.ACCEPTED, p.receiveInitiation(p.createInitiation(1), false));
        byte[] resp = p.createResponse(2);
        for (int bit = 0; bit < Messages.mac2Offset(resp.length) * 8; bit++) {
            byte[] copy = resp.clone();
            copy[bit / 8] ^= (byte) (1 << (bit % 8));
            assertNotEquals(Reason.ACCEPTED, p.receiveResponse(copy), "bit " + bit);
        }
        assertEquals(Reason.ACCEPTED, p.receiveResponse(resp));
        assertNotNull(p.initiator.beginSession());
    }

    @Test
    void truncatedOrExtendedMessagesAreRejectedByLength() {
        HandshakePair p = new HandshakePair(9, PresharedKey.NONE);
        byte[] init = p.createInitiation(1);
        for (int len = 0; len < init.length; len++) {
            assertEquals(Reason.WRONG_LENGTH, Handshake.openInitiation(p.responderId, init, 0, len).reason(),
                    "length " + len);
        }
        byte[] longer = Arrays.copyOf(init, init.length + 1);
        assertEquals(Reason.WRONG_LENGTH, Handshake.openInitiation(p.responderId, longer, 0, longer.length).reason());
        assertEquals(Reason.WRONG_LENGTH, p.initiator.consumeResponse(new byte[91], 0, 91));
    }

    @Test
    void wrongTypesAreRejected() {
        HandshakePair p = new HandshakePair(10, PresharedKey.NONE);
        byte[] init = p.createInitiation(1);
        init[0] = 2;
        assertEquals(Reason.WRONG_TYPE, Handshake.openInitiation(p.responderId, init, 0, init.length).reason());
        init[0] = 1;
        init[1] = 1; // reserved bytes are part of the type word
        assertEquals(Reason.WRONG_TYPE, Handshake.openInitiation(p.responderId, init, 0, init.length).reason());
        assertNull(MessageType.classify(init, 0, init.length));
    }

    @Test
    void initiationFromAnUnknownKeyIsIdentifiedAndRefusedByOtherPeers() {
        HandshakePair p = new HandshakePair(11, PresharedKey.NONE);
        HandshakePair stranger = new HandshakePair(12, PresharedKey.NONE);
        // The stranger knows the responder's public key, so mac1 and decryption of s succeed...
        Handshake h = new Handshake(stranger.initiatorId, p.responderId.publicKey());
        byte[] init = new byte[Messages.INITIATION_SIZE];
        assertTrue(h.createInitiation(init, 5, p.wallClock, p.random));
        new CookieGenerator(p.responderId.publicKey()).addMacs(init, init.length, p.nanos);
        OpenedInitiation o = Handshake.openInitiation(p.responderId, init, 0, init.length);
        assertEquals(Reason.ACCEPTED, o.reason());
        assertEquals(stranger.initiatorId.publicKey(), o.remoteStatic());
        // ...but the device finds no such peer, and no other peer's handshake accepts it.
        assertEquals(Reason.UNKNOWN_PEER, p.receiveInitiation(init, false));
        assertEquals(Reason.UNKNOWN_PEER, p.responder.consumeInitiation(o, p.nanos));
        assertEquals(Handshake.State.ZEROED, p.responder.state());
    }

    @Test
    void responsesThatAnswerNothingOrAnotherIndexAreRejected() {
        HandshakePair p = new HandshakePair(13, PresharedKey.NONE);
        assertEquals(Reason.ACCEPTED, p.receiveInitiation(p.createInitiation(1), false));
        byte[] resp = p.createResponse(2);
        HandshakePair q = new HandshakePair(13, PresharedKey.NONE);
        assertEquals(Reason.WRONG_STATE, q.initiator.consumeResponse(resp, 0, resp.length));
        byte[] wrongIndex = resp.clone();
        Bytes.putIntLE(wrongIndex, Messages.RESPONSE_RECEIVER_OFFSET, 99);
        assertEquals(Reason.WRONG_INDEX, p.initiator.consumeResponse(wrongIndex, 0, wrongIndex.length));
        assertEquals(Reason.ACCEPTED, p.receiveResponse(resp));
        assertEquals(Reason.WRONG_STATE, p.receiveResponse(resp), "a response is consumed once");
    }

    @Test
    void aLowOrderPeerKeyCannotHandshake() {
        SplittableRandom random = new SplittableRandom(14);
        StaticIdentity me = new StaticIdentity(PrivateKey.generate(random));
        Handshake h = new Handshake(me, PublicKey.of(new byte[32]));
        assertFalse(h.canHandshake());
        assertFalse(h.createInitiation(new byte[148], 1, java.time.Instant.now(), random));
        Handshake noKey = new Handshake(null, me.publicKey());
        assertFalse(noKey.createInitiation(new byte[148], 1, java.time.Instant.now(), random));
        assertEquals(Reason.NO_IDENTITY, Handshake.openInitiation(null, new byte[148], 0, 148).reason());
    }

    @Test
    void aNewPrivateKeyForgetsTheHandshakeUnderWay() {
        HandshakePair p = new HandshakePair(15, PresharedKey.NONE);
        p.createInitiation(1);
        assertEquals(Handshake.State.INITIATION_CREATED, p.initiator.state());
        p.initiator.setLocalIdentity(new StaticIdentity(PrivateKey.generate(p.random)));
        assertEquals(Handshake.State.ZEROED, p.initiator.state());
    }

    @Test
    void simultaneousInitiationsResolveToTheLatestConsumedOne() {
        HandshakePair p = new HandshakePair(16, PresharedKey.NONE);
        p.responder.createInitiation(new byte[148], 77, p.wallClock, p.random); // the responder also initiates
        assertEquals(Reason.ACCEPTED, p.receiveInitiation(p.createInitiation(1), false));
        assertEquals(Handshake.State.INITIATION_CONSUMED, p.responder.state());
        assertEquals(Reason.ACCEPTED, p.receiveResponse(p.createResponse(2)));
    }
}
