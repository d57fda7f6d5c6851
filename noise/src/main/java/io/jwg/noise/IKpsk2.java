// SPDX-License-Identifier: MIT
package io.jwg.noise;

import io.jwg.noise.crypto.Aead;
import io.jwg.noise.crypto.Bytes;
import io.jwg.noise.crypto.X25519;

/**
 * The Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s pattern (Noise specification sections 7.5 and 9),
 * with prologue and payloads as parameters so that the published Noise test vector and WireGuard
 * (prologue = IDENTIFIER, payloads = TAI64N timestamp and nothing) run the same code:
 *
 * <pre>
 * IKpsk2:
 *   &lt;- s
 *   ...
 *   -&gt; e, es, s, ss
 *   &lt;- e, ee, se, psk
 * </pre>
 *
 * Each step below carries its token as a label. Only the handshake messages' Noise bytes are
 * handled here; framing (types, indices, MACs) is {@link Handshake}'s job. Static-static DH is
 * passed in because WireGuard precomputes it per peer.
 */
final class IKpsk2 {
    static final int KEY = X25519.KEY_SIZE;
    static final int ENCRYPTED_STATIC = KEY + Aead.TAG_SIZE;

    private IKpsk2() {}

    /** Size of message 1 with a payload of {@code payloadLen} bytes. */
    static int message1Size(int payloadLen) {
        return KEY + ENCRYPTED_STATIC + payloadLen + Aead.TAG_SIZE;
    }

    /** Size of message 2 with a payload of {@code payloadLen} bytes. */
    static int message2Size(int payloadLen) {
        return KEY + payloadLen + Aead.TAG_SIZE;
    }

    /** Both sides start from the construction's hash, the prologue and the responder's static key. */
    static SymmetricState initialize(byte[] prologue, byte[] responderStatic) {
        SymmetricState st = SymmetricState.initialize(Protocol.CONSTRUCTION);
        st.mixHash(prologue);
        st.mixHash(responderStatic); // <- s
        return st;
    }

    /** Initiator: writes message 1 at {@code out[off]}; false when a DH result is zero. */
    static boolean writeMessage1(SymmetricState st, byte[] ePriv, byte[] ePub, byte[] sPub, byte[] rs,
            byte[] ssShared, byte[] payload, byte[] out, int off) {
        // e
        System.arraycopy(ePub, 0, out, off, KEY);
        st.mixHash(ePub);
        st.mixChainOnly(ePub);
        // es
        byte[] dh = new byte[KEY];
        if (!X25519.sharedSecret(ePriv, rs, dh)) {
            return false;
        }
        byte[] k = st.mixKey(dh);
        Bytes.zero(dh);
        // s
        st.encryptAndHash(k, sPub, 0, KEY, out, off + KEY);
        Bytes.zero(k);
        // ss
        k = st.mixKey(ssShared);
        // payload
        st.encryptAndHash(k, payload, 0, payload.length, out, off + KEY + ENCRYPTED_STATIC);
        Bytes.zero(k);
        return true;
    }

    /**
     * Responder, first half of message 1 (e, es, s): fills {@code reOut} with the initiator's
     * ephemeral and {@code rsOut} with its static key, which tells the caller which peer this is.
     */
    static Reason readMessage1Static(SymmetricState st, byte[] sPriv, byte[] msg, int off, byte[] reOut, byte[] rsOut) {
        // e
        System.arraycopy(msg, off, reOut, 0, KEY);
        st.mixHash(reOut);
        st.mixChainOnly(reOut);
        // es
        byte[] dh = new byte[KEY];
        if (!X25519.sharedSecret(sPriv, reOut, dh)) {
            return Reason.BAD_PUBLIC_KEY;
        }
        byte[] k = st.mixKey(dh);
        Bytes.zero(dh);
        // s
        boolean ok = st.decryptAndHash(k, msg, off + KEY, ENCRYPTED_STATIC, rsOut, 0);
        Bytes.zero(k);
        return ok ? Reason.ACCEPTED : Reason.DECRYPTION_FAILED;
    }

    /** Responder, second half of message 1 (ss, payload) from the ciphertext at {@code ct[off]}. */
    static Reason readMessage1Payload(SymmetricState st, byte[] ssShared, byte[] ct, int off, int ctLen, byte[] payloadOut) {
        // ss
        byte[] k = st.mixKey(ssShared);
        // payload
        boolean ok = st.decryptAndHash(k, ct, off, ctLen, payloadOut, 0);
        Bytes.zero(k);
        return ok ? Reason.ACCEPTED : Reason.DECRYPTION_FAILED;
    }

    /** Responder: writes message 2 at {@code out[off]}; false when a DH result is zero. */
    static boolean writeMessage2(SymmetricState st, byte[] ePriv, byte[] ePub, byte[] re, byte[] rs, byte[] psk,
            byte[] payload, byte[] out, int off) {
        // e
        System.arraycopy(ePub, 0, out, off, KEY);
        st.mixHash(ePub);
        st.mixChainOnly(ePub);
        byte[] dh = new byte[KEY];
        // ee
        if (!X25519.sharedSecret(ePriv, re, dh)) {
            return false;
        }
        st.mixChainOnly(dh);
        // se
        if (!X25519.sharedSecret(ePriv, rs, dh)) {
            return false;
        }
        st.mixChainOnly(dh);
        Bytes.zero(dh);
        // psk
        byte[] k = st.mixKeyAndHash(psk);
        // payload
        st.encryptAndHash(k, payload, 0, payload.length, out, off + KEY);
        Bytes.zero(k);
        return true;
    }

    /** Initiator: reads message 2 (e, ee, se, psk, payload) into {@code payloadOut}. */
    static Reason readMessage2(SymmetricState st, byte[] ePriv, byte[] sPriv, byte[] psk, byte[] msg, int off,
            int payloadLen, byte[] payloadOut) {
        byte[] re = new byte[KEY];
        // e
        System.arraycopy(msg, off, re, 0, KEY);
        st.mixHash(re);
        st.mixChainOnly(re);
        byte[] dh = new byte[KEY];
        // ee
        if (!X25519.sharedSecret(ePriv, re, dh)) {
            return Reason.BAD_PUBLIC_KEY;
        }
        st.mixChainOnly(dh);
        // se
        if (!X25519.sharedSecret(sPriv, re, dh)) {
            return Reason.BAD_PUBLIC_KEY;
        }
        st.mixChainOnly(dh);
        Bytes.zero(dh);
        // psk
        byte[] k = st.mixKeyAndHash(psk);
        // payload
        boolean ok = st.decryptAndHash(k, msg, off + KEY, payloadLen + Aead.TAG_SIZE, payloadOut, 0);
        Bytes.zero(k);
        return ok ? Reason.ACCEPTED : Reason.DECRYPTION_FAILED;
    }
}
