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
public final class PrivateKey extends Key {
    private volatile PublicKey publicKey;

    private PrivateKey(byte[] key) {
        super(key);
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

    /** Zeroes the key; the object must not be used afterwards. */
    public void destroy() {
        Bytes.zero(key);
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
