// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import java.util.random.RandomGenerator;

/**
 * Curve25519 Diffie-Hellman, the X25519 function of RFC 7748 section 5, with WireGuard's
 * conventions (whitepaper section 5.4): private keys are clamped at generation, and a shared
 * secret of all zeros (the peer sent a low-order point) is rejected as the kernel's
 * {@code curve25519()} returning false is.
 *
 * <p>A variable point is multiplied with the Montgomery ladder of RFC 7748 section 5 over
 * {@link Field25519}: 255 steps, each the same field operations and a masked conditional swap, so
 * the time depends on no secret bit. The base point is multiplied on the birationally equivalent
 * Edwards curve with a precomputed table ({@link Edwards25519}), three times cheaper.
 *
 * <p>Stateless and thread-safe.
 */
public final class X25519 {
    public static final int KEY_SIZE = 32;
    /** (486662 - 2) / 4, the ladder constant of RFC 7748 section 5. */
    private static final long A24 = 121665;

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
        byte[] k = privateKey.clone();
        clamp(k);
        byte[] pub = new byte[KEY_SIZE];
        Edwards25519.scalarMultBaseU(k, pub);
        Bytes.zero(k);
        return pub;
    }

    /**
     * Writes DH(privateKey, publicKey) into {@code out}.
     *
     * @return false, with {@code out} zeroed, when the result is all zeros (a low-order or zero
     *     public key): the handshake must then be rejected
     */
    public static boolean sharedSecret(byte[] privateKey, byte[] publicKey, byte[] out) {
        byte[] k = privateKey.clone();
        clamp(k);
        ladder(k, publicKey, out);
        Bytes.zero(k);
        if (Bytes.isZero(out)) {
            Bytes.zero(out);
            return false;
        }
        return true;
    }

    /** out = X25519(k, u) for a clamped scalar k; u's bit 255 is ignored and u may exceed p. */
    private static void ladder(byte[] k, byte[] u, byte[] out) {
        long[] x1 = Field25519.create();
        Field25519.decode(u, 0, x1);
        long[] x2 = Field25519.one();
        long[] z2 = Field25519.create();
        long[] x3 = x1.clone();
        long[] z3 = Field25519.one();
        long[] a = Field25519.create();
        long[] b = Field25519.create();
        long[] c = Field25519.create();
        long[] d = Field25519.create();
        long[] aa = Field25519.create();
        long[] bb = Field25519.create();
        long[] e = Field25519.create();
        int swap = 0;
        for (int t = 254; t >= 0; t--) {
            int bit = (k[t >>> 3] >>> (t & 7)) & 1;
            swap ^= bit;
            Field25519.cswap(swap, x2, x3);
            Field25519.cswap(swap, z2, z3);
            swap = bit;

            Field25519.add(a, x2, z2);
            Field25519.sub(b, x2, z2);
            Field25519.add(c, x3, z3);
            Field25519.sub(d, x3, z3);
            Field25519.mul(d, d, a); // DA
            Field25519.mul(c, c, b); // CB
            Field25519.sqr(aa, a);
            Field25519.sqr(bb, b);
            Field25519.add(x3, d, c);
            Field25519.sqr(x3, x3);
            Field25519.sub(z3, d, c);
            Field25519.sqr(z3, z3);
            Field25519.mul(z3, z3, x1);
            Field25519.mul(x2, aa, bb);
            Field25519.sub(e, aa, bb);
            Field25519.mulSmall(z2, e, A24);
            Field25519.add(z2, z2, aa);
            Field25519.mul(z2, z2, e);
        }
        Field25519.cswap(swap, x2, x3);
        Field25519.cswap(swap, z2, z3);
        Field25519.invert(z2, z2);
        Field25519.mul(x2, x2, z2);
        Field25519.encode(x2, out, 0);
    }
}
