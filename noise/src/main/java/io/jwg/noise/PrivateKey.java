// SPDX-License-Identifier: MIT
package io.jwg.noise;

import io.jwg.noise.crypto.Bytes;
import io.jwg.noise.crypto.X25519;
import java.util.random.RandomGenerator;

/**
 * A Curve25519 private key. The bytes are kept as given (wireguard-go reports them back
 * unchanged); clamping happens inside every scalar multiplication, and {@link #generate} clamps as
 * {@code wg genkey} does. {@link #toString()} never shows the key.
 */
public final class PrivateKey {
    private final byte[] key;
    private volatile PublicKey publicKey;

    private PrivateKey(byte[] key) {
        this.key = key;
    }

    public static PrivateKey of(byte[] key) {
        return new PrivateKey(KeyText.checkSize(key, "private key"));
    }

    public static PrivateKey fromBase64(String text) {
        return new PrivateKey(KeyText.fromBase64(text, "private key"));
    }

    public static PrivateKey fromHex(String text) {
        return new PrivateKey(KeyText.fromHex(text, "private key"));
    }

    /** A new clamped key from {@code random} (pass a SecureRandom outside tests). */
    public static PrivateKey generate(RandomGenerator random) {
        return new PrivateKey(X25519.generatePrivateKey(random));
    }

    public PublicKey publicKey() {
        PublicKey p = publicKey;
        if (p == null) {
            p = PublicKey.of(X25519.publicFromPrivate(key));
            publicKey = p;
        }
        return p;
    }

    /** True for the all-zero key, which the UAPI uses to mean "no key". */
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

    /** Zeroes the key; the object must not be used afterwards. */
    public void destroy() {
        Bytes.zero(key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PrivateKey other && Bytes.constantTimeEquals(key, other.key);
    }

    @Override
    public int hashCode() {
        return publicKey().hashCode();
    }

    @Override
    public String toString() {
        return "PrivateKey(redacted)";
    }
}
