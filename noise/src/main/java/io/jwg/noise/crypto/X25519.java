// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import java.util.random.RandomGenerator;

/**
 * Curve25519 Diffie-Hellman (RFC 7748) over BouncyCastle's constant-time implementation, with
 * WireGuard's conventions (whitepaper section 5.4): private keys are clamped at generation, and a
 * shared secret of all zeros (the peer sent a low-order point) is rejected as the kernel's
 * {@code curve25519()} returning false is.
 */
public final class X25519 {
    public static final int KEY_SIZE = 32;

    private X25519() {}

    /** Clears bits 0-2 and 255 and sets bit 254 of a private key, in place (RFC 7748 section 5). */
    public static void clamp(byte[] privateKey) {
        privateKey[0] &= (byte) 248;
        privateKey[31] &= 127;
        privateKey[31] |= 64;
    }

    /** A fresh clamped private key, as {@code wg genkey} makes one. */
    public static byte[] generatePrivateKey(RandomGenerator random) {
        byte[] k = new byte[KEY_SIZE];
        random.nextBytes(k);
        clamp(k);
        return k;
    }

    /** The public key of {@code privateKey} (clamping happens inside the scalar multiplication). */
    public static byte[] publicFromPrivate(byte[] privateKey) {
        byte[] pub = new byte[KEY_SIZE];
        org.bouncycastle.math.ec.rfc7748.X25519.scalarMultBase(privateKey, 0, pub, 0);
        return pub;
    }

    /**
     * Writes DH(privateKey, publicKey) into {@code out}.
     *
     * @return false, with {@code out} zeroed, when the result is all zeros (a low-order or zero
     *     public key): the handshake must then be rejected
     */
    public static boolean sharedSecret(byte[] privateKey, byte[] publicKey, byte[] out) {
        org.bouncycastle.math.ec.rfc7748.X25519.scalarMult(privateKey, 0, publicKey, 0, out, 0);
        if (Bytes.isZero(out)) {
            Bytes.zero(out);
            return false;
        }
        return true;
    }
}
