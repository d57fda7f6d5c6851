// SPDX-License-Identifier: MIT
package io.jwg.core;

import io.jwg.noise.Handshake;
import io.jwg.noise.Messages;
import io.jwg.noise.OpenedInitiation;
import io.jwg.noise.PrivateKey;
import io.jwg.noise.SessionKeys;
import io.jwg.noise.StaticIdentity;
import io.jwg.noise.crypto.Aeads;
import java.time.Instant;
import java.util.SplittableRandom;

/** Real keypairs from a real handshake, for tests of the session slots. */
final class TestKeypairs {
    private static final SplittableRandom RANDOM = new SplittableRandom(42);

    private TestKeypairs() {}

    static synchronized SessionKeys[] session() {
        StaticIdentity a = new StaticIdentity(PrivateKey.generate(RANDOM));
        StaticIdentity b = new StaticIdentity(PrivateKey.generate(RANDOM));
        Handshake ha = new Handshake(a, b.publicKey());
        Handshake hb = new Handshake(b, a.publicKey());
        byte[] init = new byte[Messages.INITIATION_SIZE];
        ha.createInitiation(init, 1, Instant.now(), RANDOM);
        OpenedInitiation o = Handshake.openInitiation(b, init, 0, init.length);
        hb.consumeInitiation(o, 0);
        byte[] resp = new byte[Messages.RESPONSE_SIZE];
        hb.createResponse(resp, 2, RANDOM);
        ha.consumeResponse(resp, 0, resp.length);
        return new SessionKeys[] {ha.beginSession(), hb.beginSession()};
    }

    static Keypair make(boolean initiator) {
        SessionKeys[] s = session();
        return new Keypair(null, initiator ? s[0] : s[1], Aeads.fastest(), 0);
    }
}
