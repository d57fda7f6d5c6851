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
        byte[] next = Blake2s.hash(h, data, off, len);
        System.arraycopy(next, 0, h, 0, h.length);
    }

    /** MixKey with only the chaining key kept: ck = KDF1(ck, ikm). */
    void mixChainOnly(byte[] ikm) {
        byte[] next = Kdf.kdf1(ck, ikm);
        System.arraycopy(next, 0, ck, 0, ck.length);
        Bytes.zero(next);
    }

    /** MixKey(ikm): (ck, k) = KDF2(ck, ikm); returns k, which the caller zeroes after use. */
    byte[] mixKey(byte[] ikm) {
        byte[][] out = Kdf.kdf2(ck, ikm);
        System.arraycopy(out[0], 0, ck, 0, ck.length);
        Bytes.zero(out[0]);
        return out[1];
    }

    /** MixKeyAndHash(psk): (ck, τ, k) = KDF3(ck, psk); h = HASH(h || τ); returns k. */
    byte[] mixKeyAndHash(byte[] psk) {
        byte[][] out = Kdf.kdf3(ck, psk);
        System.arraycopy(out[0], 0, ck, 0, ck.length);
        mixHash(out[1]);
        Bytes.zero(out[0], out[1]);
        return out[2];
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
        return Kdf.kdf2(ck, new byte[0]);
    }

    void zero() {
        Bytes.zero(ck, h);
    }
}
