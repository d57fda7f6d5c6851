// SPDX-License-Identifier: MIT
package io.jwg.noise;

import io.jwg.noise.crypto.Blake2s;

/**
 * This device's long-term key pair with the two keys derived from its public half: the mac1 key
 * that initiators use to reach us (HASH(LABEL_MAC1 || S_pub)) and the key we encrypt cookie
 * replies under (HASH(LABEL_COOKIE || S_pub)), whitepaper sections 5.4.4 and 5.4.7. Immutable: a
 * private-key change makes a new identity.
 */
public final class StaticIdentity {
    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final byte[] mac1Key;
    private final byte[] cookieKey;

    public StaticIdentity(PrivateKey privateKey) {
        this.privateKey = privateKey;
        this.publicKey = privateKey.publicKey();
        this.mac1Key = Blake2s.hash(Protocol.LABEL_MAC1, publicKey.raw());
        this.cookieKey = Blake2s.hash(Protocol.LABEL_COOKIE, publicKey.raw());
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    byte[] mac1Key() {
        return mac1Key;
    }

    byte[] cookieKey() {
        return cookieKey;
    }
}
