// SPDX-License-Identifier: MIT
package io.jwg.noise;

import io.jwg.noise.crypto.Aead;
import io.jwg.noise.crypto.Aeads;
import io.jwg.noise.crypto.Blake2s;
import io.jwg.noise.crypto.Bytes;
import io.jwg.noise.crypto.Kdf;
import java.nio.ByteBuffer;

/**
 * The Noise SymmetricState (Noise specification section 5.2) over BLAKE2s and ChaCha20-Poly1305:
 * the chaining key {@code ck} and the handshake hash {@code h}. WireGuard's handshake is exactly
 * these operations; every AEAD key is used once, so the nonce is always 0. Not thread-safe: owned
 * by one {@link Handshake}, which holds its lock.
 */
final class SymmetricState {
    private static final byte[] EMPTY = new byte[0];
    final byte[] ck;
    final byte[] h;

    private SymmetricState(byte[] ck, byte[] h) {
        this.ck = ck;
        this.h = h;
    }

    /** InitializeSymmetric(protocolName): h = name padded, or HASH(name) when longer than 32. */
    static SymmetricState initialize(byte[] protocolName) {
        byte[] h = new byte[Blake2s.HASH_SIZE];
        if (protocolName.length <= h.length) {
            System.arraycopy(protocolName, 0, h, 0, protocolName.length);
        } else {
            h = Blake2s.hash(protocolName);
        }
        return new SymmetricState(h.clone(), h);
    }

    SymmetricState copy() {
        return new SymmetricState(ck.clone(), h.clone());
    }

    void mixHash(byte[] data) {
        mixHash(data, 0, data.length);
    }

    void mixHash(byte[] data, int off, int len) {
        Blake2s.hash(h, data, off, len, h, 0);
    }

    /** MixKey with only the chaining key kept: ck = KDF1(ck, ikm). */
    void mixChainOnly(byte[] ikm) {
        Kdf.kdf(ck, ikm, 0, ikm.length, ck, null, null);
    }

    /** MixKey(ikm): (ck, k) = KDF2(ck, ikm); returns k, which the caller zeroes after use. */
    byte[] mixKey(byte[] ikm) {
        byte[] k = new byte[Kdf.SIZE];
        Kdf.kdf(ck, ikm, 0, ikm.length, ck, k, null);
        return k;
    }

    /** MixKeyAndHash(psk): (ck, τ, k) = KDF3(ck, psk); h = HASH(h || τ); returns k. */
    byte[] mixKeyAndHash(byte[] psk) {
        byte[] tau = new byte[Kdf.SIZE];
        byte[] k = new byte[Kdf.SIZE];
        Kdf.kdf(ck, psk, 0, psk.length, ck, tau, k);
        mixHash(tau);
        Bytes.zero(tau);
        return k;
    }

    /** EncryptAndHash: out = AEAD(k, 0, plain, h); h = HASH(h || out). Writes len + 16 bytes. */
    void encryptAndHash(byte[] k, byte[] plain, int pOff, int pLen, byte[] out, int outOff) {
        try (Aead aead = Aeads.fastest().create(k)) {
            aead.seal(0, h, ByteBuffer.wrap(plain), pOff, pLen, ByteBuffer.wrap(out), outOff);
        }
        mixHash(out, outOff, pLen + Aead.TAG_SIZE);
    }

    /**
     * DecryptAndHash: plain = AEAD-open(k, 0, ct, h); on success h = HASH(h || ct). On failure h
     * is unchanged and false is returned.
     */
    boolean decryptAndHash(byte[] k, byte[] ct, int off, int len, byte[] plain, int pOff) {
        boolean ok;
        try (Aead aead = Aeads.fastest().create(k)) {
            ok = aead.open(0, h, ByteBuffer.wrap(ct), off, len, ByteBuffer.wrap(plain), pOff);
        }
        if (ok) {
            mixHash(ct, off, len);
        }
        return ok;
    }

    /** Split(): the two transport keys, initiator-to-responder first. */
    byte[][] split() {
        return Kdf.kdf2(ck, EMPTY);
    }

    void zero() {
        Bytes.zero(ck, h);
    }
}
