// SPDX-License-Identifier: MIT
package io.jwg.noise;

import java.util.Arrays;

/** A Curve25519 public key: a peer's identity. Immutable; usable as a map key. */
public final class PublicKey extends Key {
    private final int hash;

    private PublicKey(byte[] key) {
        super(key);
        this.hash = Arrays.hashCode(key);
    }

    /** Wraps a copy of 32 bytes. */
    public static PublicKey of(byte[] key) {
        return new PublicKey(KeyText.checkSize(key, "public key"));
    }

    public static PublicKey fromBase64(String text) {
        return new PublicKey(KeyText.fromBase64(text, "public key"));
    }

    public static PublicKey fromHex(String text) {
        return new PublicKey(KeyText.fromHex(text, "public key"));
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Abbreviated as peers are logged: {@code peer(AbCd…WxYz)}. */
    @Override
    public String toString() {
        String b = toBase64();
        return "peer(" + b.substring(0, 4) + "…" + b.substring(39, 43) + ")";
    }
}
