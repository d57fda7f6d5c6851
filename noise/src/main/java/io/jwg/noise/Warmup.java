// SPDX-License-Identifier: MIT
package io.jwg.noise;

import io.jwg.noise.crypto.Aead;
import io.jwg.noise.crypto.Aeads;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * Runs the handshake and the data-path AEAD between two throwaway identities, so that the JIT has
 * compiled them before the first real peer arrives: in a cold JVM the first handshake's
 * Diffie-Hellman runs interpreted and takes hundreds of milliseconds, which is long enough for
 * both sides' initiations to cross and for a user to see a slow first ping. Touches no state
 * outside itself.
 */
public final class Warmup {
    private Warmup() {}

    /** Completes {@code handshakes} handshakes and seals/opens {@code packets} 1420-byte packets. */
    public static void exercise(int handshakes, int packets, RandomGenerator random) {
        StaticIdentity a = new StaticIdentity(PrivateKey.generate(random));
        StaticIdentity b = new StaticIdentity(PrivateKey.generate(random));
        SessionKeys keys = null;
        for (int i = 0; i < handshakes; i++) {
            Handshake initiator = new Handshake(a, b.publicKey());
            Handshake responder = new Handshake(b, a.publicKey());
            CookieGenerator macs = new CookieGenerator(b.publicKey());
            CookieChecker checker = new CookieChecker(b, random);
            byte[] init = new byte[Messages.INITIATION_SIZE];
            initiator.createInitiation(init, i, Instant.EPOCH.plusSeconds(i), random);
            macs.addMacs(init, init.length, 0);
            checker.check(init, init.length, new byte[4], 1, false, 0);
            responder.consumeInitiation(Handshake.openInitiation(b, init, 0, init.length), 0);
            byte[] resp = new byte[Messages.RESPONSE_SIZE];
            responder.createResponse(resp, i, random);
            initiator.consumeResponse(resp, 0, resp.length);
            responder.beginSession().destroy();
            keys = initiator.beginSession();
        }
        if (keys == null || packets == 0) {
            return;
        }
        ByteBuffer buf = ByteBuffer.allocateDirect(1420 + Aead.TAG_SIZE);
        try (Aead aead = Aeads.fastest().create(keys.sendKey())) {
            for (int i = 0; i < packets; i++) {
                aead.seal(i, null, buf, 0, 1420, buf, 0);
                aead.open(i, null, buf, 0, 1420 + Aead.TAG_SIZE, buf, 0);
            }
        }
        keys.destroy();
    }
}
