// SPDX-License-Identifier: MIT
package io.jwg.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.noise.CookieChecker.MacCheck;
import io.jwg.noise.crypto.Bytes;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** mac1, mac2 and the cookie round trip (whitepaper sections 5.4.4 and 5.4.7). */
class CookieTest {

    private static final byte[] ADDR = HandshakePair.INITIATOR_ADDRESS;
    private static final int PORT = HandshakePair.INITIATOR_PORT;

    @Test
    void mac1AloneIsValidWhenNotUnderLoad() {
        HandshakePair p = new HandshakePair(1, PresharedKey.NONE);
        byte[] init = p.createInitiation(1);
        assertEquals(MacCheck.VALID_MAC_BUT_NO_COOKIE, p.responderChecker.check(init, init.length, ADDR, PORT, false, p.nanos));
        assertTrue(Bytes.isZero(java.util.Arrays.copyOfRange(init, 132, 148)), "no cookie yet: mac2 is zero");
    }

    @Test
    void mac1KeyedForSomeoneElseIsInvalid() {
        HandshakePair p = new HandshakePair(2, PresharedKey.NONE);
        byte[] init = p.createInitiation(1);
        new CookieGenerator(p.initiatorId.publicKey()).addMacs(init, init.length, p.nanos);
        assertEquals(MacCheck.INVALID_MAC, p.responderChecker.check(init, init.length, ADDR, PORT, false, p.nanos));
    }

    @Test
    void underLoadACookieRoundMakesTheHandshakeComplete() {
        for (boolean withPsk : new boolean[] {false, true}) {
            HandshakePair p = new HandshakePair(3, withPsk ? PresharedKey.generate(new java.util.SplittableRandom(9)) : PresharedKey.NONE);
            byte[] init = p.createInitiation(0x0a0b0c0d);
            assertEquals(Reason.BAD_MAC2, p.receiveInitiation(init, true));
            assertEquals(Handshake.State.ZEROED, p.responder.state());

            byte[] reply = p.responderChecker.createReply(init, init.length, ADDR, PORT, p.nanos);
            assertNotNull(reply);
            assertEquals(MessageType.COOKIE_REPLY, MessageType.classify(reply, 0, reply.length));
            assertEquals(0x0a0b0c0d, Bytes.getIntLE(reply, Messages.RECEIVER_OFFSET));
            p.advanceMillis(100);
            assertEquals(Reason.ACCEPTED, p.initiatorMacs.consumeReply(reply, 0, reply.length, p.nanos));
            assertTrue(p.initiatorMacs.hasFreshCookie(p.nanos));

            p.advanceMillis(1000);
            byte[] retry = p.createInitiation(0x0a0b0c0e);
            assertEquals(MacCheck.VALID_MAC_WITH_COOKIE, p.responderChecker.check(retry, retry.length, ADDR, PORT, true, p.nanos));
            assertEquals(Reason.ACCEPTED, p.receiveInitiation(retry, true));
            assertEquals(Reason.ACCEPTED, p.receiveResponse(p.createResponse(5)));
            SessionKeys i = p.initiator.beginSession();
            SessionKeys r = p.responder.beginSession();
            assertArrayEquals(i.sendKey(), r.receiveKey());
            assertArrayEquals(i.receiveKey(), r.sendKey());
        }
    }

    @Test
    void aCookieIsBoundToTheSourceAddressAndPort() {
        HandshakePair p = new HandshakePair(4, PresharedKey.NONE);
        byte[] init = p.createInitiation(1);
        byte[] reply = p.responderChecker.createReply(init, init.length, ADDR, PORT, p.nanos);
        assertEquals(Reason.ACCEPTED, p.initiatorMacs.consumeReply(reply, 0, reply.length, p.nanos));
        byte[] retry = p.createInitiation(2);
        assertEquals(MacCheck.VALID_MAC_BUT_NO_COOKIE,
                p.responderChecker.check(retry, retry.length, new byte[] {(byte) 192, 0, 2, 99}, PORT, true, p.nanos));
        assertEquals(MacCheck.VALID_MAC_BUT_NO_COOKIE,
                p.responderChecker.check(retry, retry.length, ADDR, PORT + 1, true, p.nanos));
        assertEquals(MacCheck.VALID_MAC_WITH_COOKIE, p.responderChecker.check(retry, retry.length, ADDR, PORT, true, p.nanos));
    }

    @Test
    void theCookieSecretRotatesEveryTwoMinutes() {
        HandshakePair p = new HandshakePair(5, PresharedKey.NONE);
        byte[] init = p.createInitiation(1);
        byte[] reply = p.responderChecker.createReply(init, init.length, ADDR, PORT, p.nanos);
        assertEquals(Reason.ACCEPTED, p.initiatorMacs.consumeReply(reply, 0, reply.length, p.nanos));
        p.advanceMillis(Duration.ofSeconds(110).toMillis());
        byte[] stillGood = p.createInitiation(2);
        assertEquals(MacCheck.VALID_MAC_WITH_COOKIE, p.responderChecker.check(stillGood, stillGood.length, ADDR, PORT, true, p.nanos));
        p.advanceMillis(Duration.ofSeconds(11).toMillis()); // 121 s after the secret was made
        assertEquals(MacCheck.VALID_MAC_BUT_NO_COOKIE, p.responderChecker.check(stillGood, stillGood.length, ADDR, PORT, true, p.nanos));
    }

    @Test
    void theInitiatorStopsUsingACookieBeforeTheResponderForgetsIt() {
        HandshakePair p = new HandshakePair(6, PresharedKey.NONE);
        byte[] init = p.createInitiation(1);
        byte[] reply = p.responderChecker.createReply(init, init.length, ADDR, PORT, p.nanos);
        assertEquals(Reason.ACCEPTED, p.initiatorMacs.consumeReply(reply, 0, reply.length, p.nanos));
        p.advanceMillis(Duration.ofSeconds(116).toMillis());
        assertFalse(p.initiatorMacs.hasFreshCookie(p.nanos));
        byte[] later = p.createInitiation(2);
        assertTrue(Bytes.isZero(java.util.Arrays.copyOfRange(later, 132, 148)));
    }

    @Test
    void aCookieReplyIsAcceptedOnceAndOnlyForTheLastMac1() {
        HandshakePair p = new HandshakePair(7, PresharedKey.NONE);
        byte[] first = p.createInitiation(1);
        byte[] reply = p.responderChecker.createReply(first, first.length, ADDR, PORT, p.nanos);
        p.createInitiation(2); // a newer initiation changes the mac1 the reply must be bound to
        assertEquals(Reason.DECRYPTION_FAILED, p.initiatorMacs.consumeReply(reply, 0, reply.length, p.nanos));

        byte[] second = p.createInitiation(3);
        byte[] reply2 = p.responderChecker.createReply(second, second.length, ADDR, PORT, p.nanos);
        assertEquals(Reason.ACCEPTED, p.initiatorMacs.consumeReply(reply2, 0, reply2.length, p.nanos));
        assertEquals(Reason.WRONG_STATE, p.initiatorMacs.consumeReply(reply2, 0, reply2.length, p.nanos));
    }

    @Test
    void malformedCookieRepliesAreRejected() {
        HandshakePair p = new HandshakePair(8, PresharedKey.NONE);
        byte[] init = p.createInitiation(1);
        byte[] reply = p.responderChecker.createReply(init, init.length, ADDR, PORT, p.nanos);
        for (int bit = 0; bit < reply.length * 8; bit++) {
            if (bit >= 32 && bit < 64) {
                continue; // the receiver index is routing information only
            }
            byte[] copy = reply.clone();
            copy[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(p.initiatorMacs.consumeReply(copy, 0, copy.length, p.nanos) == Reason.ACCEPTED, "bit " + bit);
        }
        assertEquals(Reason.WRONG_LENGTH, p.initiatorMacs.consumeReply(reply, 0, 63, p.nanos));
        assertEquals(Reason.ACCEPTED, p.initiatorMacs.consumeReply(reply, 0, reply.length, p.nanos));
    }
}
