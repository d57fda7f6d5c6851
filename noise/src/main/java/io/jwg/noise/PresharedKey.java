// SPDX-License-Identifier: MIT
package io.jwg.noise;

import java.util.random.RandomGenerator;

/**
 * The optional symmetric key mixed into the handshake (whitepaper section 5.2, the "psk" token);
 * all zeros when the peers use none. {@link #toString()} never shows the key.
 */
public final class PresharedKey extends Key {
    /** No pre-shared key: 32 zero bytes, as the protocol defines it. */
    public static final PresharedKey NONE = new PresharedKey(new byte[KeyText.SIZE]);

    private PresharedKey(byte[] key) {
        super(key);
    }

    public static PresharedKey of(byte[] key) {
        return new PresharedKey(KeyText.checkSize(key, "pre-shared key"));
    }

    public static PresharedKey fromBase64(String text) {
        return new PresharedKey(KeyText.fromBase64(text, "pre-shared key"));
    }

    public static PresharedKey fromHex(String text) {
        return new PresharedKey(KeyText.fromHex(text, "pre-shared key"));
    }

    /** 32 random bytes, as {@code wg genpsk} makes them (no clamping). */
    public static PresharedKey generate(RandomGenerator random) {
        byte[] k = new byte[KeyText.SIZE];
        random.nextBytes(k);
        return new PresharedKey(k);
    }

    @Override
    public int hashCode() {
        return 0; // secret: nothing of it leaks through a hash
    }

    @Override
    public String toString() {
        return isZero() ? "PresharedKey(none)" : "PresharedKey(redacted)";
    }
}
