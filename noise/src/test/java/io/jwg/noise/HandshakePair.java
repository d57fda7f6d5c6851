// SPDX-License-Identifier: MIT
package io.jwg.noise;

import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Two in-memory WireGuard identities with each other's handshake and MAC state, driven the way a
 * device drives them: MAC check, open, peer lookup, consume. Deterministic from a seed.
 */
final class HandshakePair {
    static final byte[] INITIATOR_ADDRESS = {(byte) 192, 0, 2, 1};
    static final int INITIATOR_PORT = 51820;

    final SplittableRandom random;
    final StaticIdentity initiatorId;
    final StaticIdentity responderId;
    final Handshake initiator; // the initiator's handshake with the responder
    final Handshake responder; // the responder's handshake with the initiator
    final CookieGenerator initiatorMacs;
    final CookieGenerator responderMacs;
    final CookieChecker initiatorChecker;
    final CookieChecker responderChecker;
    Instant wallClock = Instant.parse("2026-06-01T12:00:00Z");
    long nanos = 1_000_000_000L;

    HandshakePair(long seed, PresharedKey psk) {
        random = new SplittableRandom(seed);
        initiatorId = new StaticIdentity(PrivateKey.generate(random));
        responderId = new StaticIdentity(PrivateKey.generate(random));
        initiator = new Handshake(initiatorId, responderId.publicKey());
        responder = new Handshake(responderId, initiatorId.publicKey());
        initiator.setPresharedKey(psk);
        responder.setPresharedKey(psk);
        initiatorMacs = new CookieGenerator(responderId.publicKey());
        responderMacs = new CookieGenerator(initiatorId.publicKey());
        initiatorChecker = new CookieChecker(initiatorId, random.split());
        responderChecker = new CookieChecker(responderId, random.split());
    }

    void advanceMillis(long ms) {
        nanos += ms * 1_000_000L;
        wallClock = wallClock.plusMillis(ms);
    }

    byte[] createInitiation(int index) {
        byte[] msg = new byte[Messages.INITIATION_SIZE];
        if (!initiator.createInitiation(msg, index, wallClock, random)) {
            throw new AssertionError("createInitiation failed");
        }
        initiatorMacs.addMacs(msg, msg.length, nanos);
        return msg;
    }

    /** The responder device's whole receive path for an initiation. */
    Reason receiveInitiation(byte[] msg, boolean underLoad) {
        MessageType type = MessageType.classify(msg, 0, msg.length);
        if (type != MessageType.INITIATION) {
            return msg.length == Messages.INITIATION_SIZE ? Reason.WRONG_TYPE : Reason.WRONG_LENGTH;
        }
        CookieChecker.MacCheck check =
                responderChecker.check(msg, msg.length, INITIATOR_ADDRESS, INITIATOR_PORT, underLoad, nanos);
        if (check == CookieChecker.MacCheck.INVALID_MAC) {
            return Reason.BAD_MAC1;
        }
        if (underLoad && check != CookieChecker.MacCheck.VALID_MAC_WITH_COOKIE) {
            return Reason.BAD_MAC2;
        }
        OpenedInitiation opened = Handshake.openInitiation(responderId, msg, 0, msg.length);
        if (opened.reason() != Reason.ACCEPTED) {
            return opened.reason();
        }
        if (!opened.remoteStatic().equals(initiatorId.publicKey())) {
            return Reason.UNKNOWN_PEER;
        }
        return responder.consumeInitiation(opened, nanos);
    }

    byte[] createResponse(int index) {
        byte[] msg = new byte[Messages.RESPONSE_SIZE];
        if (!responder.createResponse(msg, index, random)) {
            throw new AssertionError("createResponse failed");
        }
        responderMacs.addMacs(msg, msg.length, nanos);
        return msg;
    }

    /** The initiator device's whole receive path for a response. */
    Reason receiveResponse(byte[] msg) {
        if (MessageType.classify(msg, 0, msg.length) != MessageType.RESPONSE) {
            return Reason.WRONG_LENGTH;
        }
        if (initiatorChecker.check(msg, msg.length, new byte[4], 1, false, nanos)
                == CookieChecker.MacCheck.INVALID_MAC) {
            return Reason.BAD_MAC1;
        }
        return initiator.consumeResponse(msg, 0, msg.length);
    }
}
