// SPDX-License-Identifier: MIT
package io.jwg.noise;

import io.jwg.noise.crypto.Bytes;
import java.util.random.RandomGenerator;

/**
 * The optional symmetric key mixed into the handshake (whitepaper section 5.2, the "psk" token);
 * all zeros when the peers use none. {@link #toString()} never shows the key.
 */
public final class PresharedKey {
    /** No pre-shared key: 32 zero bytes, as the protocol defines it. */
    public static final PresharedKey NONE = new PresharedKey(new byte[KeyText.SIZE]);

    private final byte[] key;

    private PresharedKey(byte[] key) {
        this.key = key;
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

    public boolean isZero() {
        return Bytes.isZero(key);
    }

    public byte[] toBytes() {
        return key.clone();
    }

    byte[] raw() {
        return key;
    }

    public String toBase64() {
        return KeyText.toBase64(key);
    }

    public String toHex() {
        return KeyText.toHex(key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PresharedKey other && Bytes.constantTimeEquals(key, other.key);
    }

    @Override
    public int hashCode() {
        return 0;
    }

    @Override
    public String toString() {
        return isZero() ? "PresharedKey(none)" : "PresharedKey(redacted)";
    }
}
