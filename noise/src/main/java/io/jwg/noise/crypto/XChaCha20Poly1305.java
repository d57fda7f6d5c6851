// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import java.nio.ByteBuffer;

/**
 * XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03): HChaCha20 derives a subkey from the key and the
 * first 16 bytes of the 24-byte nonce, then ChaCha20-Poly1305 runs with the nonce 0^32 || last 8
 * bytes. WireGuard uses it only for cookie replies (whitepaper section 5.4.7), so it is written for
 * clarity, not speed.
 */
public final class XChaCha20Poly1305 {
    public static final int NONCE_SIZE = 24;

    private XChaCha20Poly1305() {}

    /** Encrypts {@code plaintext} under {@code key} and {@code nonce} (24 bytes); returns ct || tag. */
    public static byte[] seal(byte[] key, byte[] nonce, byte[] plaintext, byte[] ad) {
        byte[] out = new byte[plaintext.length + Aead.TAG_SIZE];
        try (Aead aead = inner(key, nonce)) {
            aead.seal(innerCounter(nonce), ad, ByteBuffer.wrap(plaintext), 0, plaintext.length, ByteBuffer.wrap(out), 0);
        }
        return out;
    }

    /** Decrypts ct || tag; returns null when it does not authenticate. */
    public static byte[] open(byte[] key, byte[] nonce, byte[] ciphertext, int off, int len, byte[] ad) {
        if (len < Aead.TAG_SIZE) {
            return null;
        }
        byte[] out = new byte[len - Aead.TAG_SIZE];
        try (Aead aead = inner(key, nonce)) {
            if (!aead.open(innerCounter(nonce), ad, ByteBuffer.wrap(ciphertext), off, len, ByteBuffer.wrap(out), 0)) {
                Bytes.zero(out);
                return null;
            }
        }
        return out;
    }

    private static Aead inner(byte[] key, byte[] nonce) {
        if (key.length != 32 || nonce.length != NONCE_SIZE) {
            throw new IllegalArgumentException("XChaCha20-Poly1305 needs a 32-byte key and a 24-byte nonce");
        }
        byte[] subkey = hChaCha20(key, nonce);
        try {
            return Aeads.fastest().create(subkey);
        } finally {
            Bytes.zero(subkey);
        }
    }

    /** The inner nonce is 4 zero bytes then nonce[16..24): exactly our Aead's counter layout. */
    private static long innerCounter(byte[] nonce) {
        return Bytes.getLongLE(nonce, 16);
    }

    /** HChaCha20(key, nonce[0..16)): 20 ChaCha rounds, output words 0-3 and 12-15 (draft section 2.2). */
    static byte[] hChaCha20(byte[] key, byte[] nonce) {
        int[] x = new int[16];
        x[0] = 0x61707865;
        x[1] = 0x3320646e;
        x[2] = 0x79622d32;
        x[3] = 0x6b206574;
        for (int i = 0; i < 8; i++) {
            x[4 + i] = Bytes.getIntLE(key, 4 * i);
        }
        for (int i = 0; i < 4; i++) {
            x[12 + i] = Bytes.getIntLE(nonce, 4 * i);
        }
        for (int round = 0; round < 10; round++) {
            quarterRound(x, 0, 4, 8, 12);
            quarterRound(x, 1, 5, 9, 13);
            quarterRound(x, 2, 6, 10, 14);
            quarterRound(x, 3, 7, 11, 15);
            quarterRound(x, 0, 5, 10, 15);
            quarterRound(x, 1, 6, 11, 12);
            quarterRound(x, 2, 7, 8, 13);
            quarterRound(x, 3, 4, 9, 14);
        }
        byte[] out = new byte[32];
        for (int i = 0; i < 4; i++) {
            Bytes.putIntLE(out, 4 * i, x[i]);
            Bytes.putIntLE(out, 16 + 4 * i, x[12 + i]);
        }
        java.util.Arrays.fill(x, 0);
        return out;
    }

    private static void quarterRound(int[] x, int a, int b, int c, int d) {
        x[a] += x[b];
        x[d] = Integer.rotateLeft(x[d] ^ x[a], 16);
        x[c] += x[d];
        x[b] = Integer.rotateLeft(x[b] ^ x[c], 12);
        x[a] += x[b];
        x[d] = Integer.rotateLeft(x[d] ^ x[a], 8);
        x[c] += x[d];
        x[b] = Integer.rotateLeft(x[b] ^ x[c], 7);
    }
}
