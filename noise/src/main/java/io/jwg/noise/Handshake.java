// SPDX-License-Identifier: MIT
package io.jwg.noise;

import io.jwg.noise.crypto.Aead;
import io.jwg.noise.crypto.Bytes;
import io.jwg.noise.crypto.X25519;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * One peer's WireGuard handshake (whitepaper section 5.4.2 - 5.4.5): Noise_IKpsk2 ({@link IKpsk2})
 * with prologue IDENTIFIER, a TAI64N timestamp as the initiation payload and an empty response
 * payload, framed with message types and 32-bit indices. mac1/mac2 are added by
 * {@link CookieGenerator} and checked by {@link CookieChecker} before a message gets here.
 *
 * <pre>
 * ZEROED --createInitiation--> INITIATION_CREATED --consumeResponse--> RESPONSE_CONSUMED --beginSession--> ZEROED
 * ZEROED --consumeInitiation--> INITIATION_CONSUMED --createResponse--> RESPONSE_CREATED --beginSession--> ZEROED
 * </pre>
 *
 * A consumed initiation may replace any state (both sides may initiate at once; the kernel does
 * the same). A rejected message changes nothing. Knows nothing of devices or sockets: indices,
 * time and randomness are passed in. Thread-safe: every method holds this object's lock.
 */
public final class Handshake {

    /** Where a handshake stands; names as in the kernel's noise.h. */
    public enum State { ZEROED, INITIATION_CREATED, INITIATION_CONSUMED, RESPONSE_CREATED, RESPONSE_CONSUMED }

    private static final byte[] EMPTY = new byte[0];

    private final PublicKey remoteStatic;
    private StaticIdentity local;
    private PresharedKey presharedKey = PresharedKey.NONE;
    /** DH(local static, remote static), computed once per key pair; all zeros if unusable. */
    private final byte[] precomputedStaticStatic = new byte[X25519.KEY_SIZE];
    private boolean staticStaticValid;

    private State state = State.ZEROED;
    private SymmetricState symmetric;
    private byte[] localEphemeral;
    private byte[] remoteEphemeral;
    private int localIndex;
    private int remoteIndex;

    /** The newest timestamp accepted from this peer: replays must be strictly newer. */
    private final byte[] latestTimestamp = new byte[Tai64n.SIZE];
    private long lastInitiationConsumedNanos;
    private boolean consumedAnyInitiation;

    /** @param local our identity, or null while the device has no private key */
    public Handshake(StaticIdentity local, PublicKey remoteStatic) {
        this.remoteStatic = remoteStatic;
        setLocalIdentity(local);
    }

    public PublicKey remoteStatic() {
        return remoteStatic;
    }

    /** Changes our static key (the device's private key changed): forgets any handshake under way. */
    public synchronized void setLocalIdentity(StaticIdentity identity) {
        this.local = identity;
        staticStaticValid = identity != null
                && X25519.sharedSecret(identity.privateKey().raw(), remoteStatic.raw(), precomputedStaticStatic);
        clear();
    }

    public synchronized void setPresharedKey(PresharedKey psk) {
        this.presharedKey = psk == null ? PresharedKey.NONE : psk;
    }

    public synchronized PresharedKey presharedKey() {
        return presharedKey;
    }

    public synchronized State state() {
        return state;
    }

    /** Our index of the handshake under way (meaningful unless ZEROED). */
    public synchronized int localIndex() {
        return localIndex;
    }

    /** True when our key and the peer's can make a handshake at all (no key or a low-order peer key can't). */
    public synchronized boolean canHandshake() {
        return local != null && staticStaticValid;
    }

    /**
     * Writes an initiation (type 1) into {@code out[0, 148)} with zeroed MACs, remembering the
     * ephemeral key for the response. Replaces any handshake under way.
     *
     * @return false when there is no usable key pair (nothing is written)
     */
    public synchronized boolean createInitiation(byte[] out, int localIndex, Instant now, RandomGenerator random) {
        if (!canHandshake()) {
            return false;
        }
        clear();
        SymmetricState st = IKpsk2.initialize(Protocol.IDENTIFIER, remoteStatic.raw());
        byte[] ePriv = X25519.generatePrivateKey(random);
        byte[] ePub = X25519.publicFromPrivate(ePriv);
        java.util.Arrays.fill(out, 0, Messages.INITIATION_SIZE, (byte) 0);
        out[0] = (byte) MessageType.INITIATION.code;
        Bytes.putIntLE(out, Messages.SENDER_OFFSET, localIndex);
        byte[] timestamp = Tai64n.of(now);
        if (!IKpsk2.writeMessage1(st, ePriv, ePub, local.publicKey().raw(), remoteStatic.raw(), precomputedStaticStatic,
                timestamp, out, Messages.INITIATION_NOISE_OFFSET)) {
            Bytes.zero(ePriv);
            st.zero();
            return false;
        }
        this.symmetric = st;
        this.localEphemeral = ePriv;
        this.localIndex = localIndex;
        this.state = State.INITIATION_CREATED;
        return true;
    }

    /**
     * Opens the first half of an initiation (e, es, s) with our static key to learn who sent it.
     * Checks type and length; MACs must have been checked already. Touches no peer state.
     */
    public static OpenedInitiation openInitiation(StaticIdentity local, byte[] msg, int off, int len) {
        if (local == null) {
            return OpenedInitiation.rejected(Reason.NO_IDENTITY);
        }
        Reason framing = checkFraming(msg, off, len, MessageType.INITIATION);
        if (framing != Reason.ACCEPTED) {
            return OpenedInitiation.rejected(framing);
        }
        SymmetricState st = IKpsk2.initialize(Protocol.IDENTIFIER, local.publicKey().raw());
        byte[] re = new byte[X25519.KEY_SIZE];
        byte[] rs = new byte[X25519.KEY_SIZE];
        Reason r = IKpsk2.readMessage1Static(st, local.privateKey().raw(), msg, off + Messages.INITIATION_NOISE_OFFSET,
                re, rs);
        if (r != Reason.ACCEPTED) {
            st.zero();
            return OpenedInitiation.rejected(r);
        }
        int ctOff = off + Messages.INITIATION_NOISE_OFFSET + IKpsk2.KEY + IKpsk2.ENCRYPTED_STATIC;
        byte[] encryptedTimestamp = java.util.Arrays.copyOfRange(msg, ctOff, ctOff + Tai64n.SIZE + Aead.TAG_SIZE);
        return OpenedInitiation.opened(st, re, encryptedTimestamp, Bytes.getIntLE(msg, off + Messages.SENDER_OFFSET),
                PublicKey.of(rs));
    }

    /**
     * Finishes consuming an initiation from this peer (ss, timestamp): rejects a replayed
     * timestamp or one arriving within HANDSHAKE_INITIATION_RATE of the last accepted initiation.
     * On success the state is INITIATION_CONSUMED and a response can be created.
     *
     * @param nowNanos monotonic time, for the flood limit
     */
    public synchronized Reason consumeInitiation(OpenedInitiation opened, long nowNanos) {
        if (opened.reason() != Reason.ACCEPTED || !opened.remoteStatic().equals(remoteStatic)) {
            return opened.reason() != Reason.ACCEPTED ? opened.reason() : Reason.UNKNOWN_PEER;
        }
        if (!canHandshake()) {
            return local == null ? Reason.NO_IDENTITY : Reason.BAD_PUBLIC_KEY;
        }
        // Work on a copy so that a rejection leaves the opened message reusable and us unchanged.
        SymmetricState st = opened.state.copy();
        byte[] timestamp = new byte[Tai64n.SIZE];
        Reason r = IKpsk2.readMessage1Payload(st, precomputedStaticStatic, opened.encryptedTimestamp, 0,
                opened.encryptedTimestamp.length, timestamp);
        if (r != Reason.ACCEPTED) {
            st.zero();
            return r;
        }
        if (!Tai64n.isAfter(timestamp, latestTimestamp)) {
            st.zero();
            return Reason.REPLAYED;
        }
        if (consumedAnyInitiation
                && nowNanos - lastInitiationConsumedNanos < Protocol.HANDSHAKE_INITIATION_RATE.toNanos()) {
            st.zero();
            return Reason.FLOODED;
        }
        clear();
        System.arraycopy(timestamp, 0, latestTimestamp, 0, Tai64n.SIZE);
        lastInitiationConsumedNanos = nowNanos;
        consumedAnyInitiation = true;
        symmetric = st;
        remoteEphemeral = opened.remoteEphemeral.clone();
        remoteIndex = opened.senderIndex;
        state = State.INITIATION_CONSUMED;
        return Reason.ACCEPTED;
    }

    /**
     * Writes a response (type 2) into {@code out[0, 92)} with zeroed MACs.
     *
     * @return false unless an initiation was just consumed (nothing is written then)
     */
    public synchronized boolean createResponse(byte[] out, int localIndex, RandomGenerator random) {
        if (state != State.INITIATION_CONSUMED) {
            return false;
        }
        byte[] ePriv = X25519.generatePrivateKey(random);
        byte[] ePub = X25519.publicFromPrivate(ePriv);
        java.util.Arrays.fill(out, 0, Messages.RESPONSE_SIZE, (byte) 0);
        out[0] = (byte) MessageType.RESPONSE.code;
        Bytes.putIntLE(out, Messages.SENDER_OFFSET, localIndex);
        Bytes.putIntLE(out, Messages.RESPONSE_RECEIVER_OFFSET, remoteIndex);
        boolean ok = IKpsk2.writeMessage2(symmetric, ePriv, ePub, remoteEphemeral, remoteStatic.raw(),
                presharedKey.raw(), EMPTY, out, Messages.RESPONSE_NOISE_OFFSET);
        Bytes.zero(ePriv);
        if (!ok) {
            clear();
            return false;
        }
        this.localIndex = localIndex;
        state = State.RESPONSE_CREATED;
        return true;
    }

    /**
     * Consumes a response (type 2) to our initiation. Checks type, length, that its receiver index
     * is ours and that we are waiting for it. MACs must have been checked already. A rejected
     * response changes nothing, so a forged one cannot cancel a real handshake.
     */
    public synchronized Reason consumeResponse(byte[] msg, int off, int len) {
        Reason framing = checkFraming(msg, off, len, MessageType.RESPONSE);
        if (framing != Reason.ACCEPTED) {
            return framing;
        }
        if (state != State.INITIATION_CREATED) {
            return Reason.WRONG_STATE;
        }
        if (Bytes.getIntLE(msg, off + Messages.RESPONSE_RECEIVER_OFFSET) != localIndex) {
            return Reason.WRONG_INDEX;
        }
        SymmetricState st = symmetric.copy();
        Reason r = IKpsk2.readMessage2(st, localEphemeral, local.privateKey().raw(), presharedKey.raw(), msg,
                off + Messages.RESPONSE_NOISE_OFFSET, 0, EMPTY);
        if (r != Reason.ACCEPTED) {
            st.zero();
            return r;
        }
        symmetric.zero();
        symmetric = st;
        remoteIndex = Bytes.getIntLE(msg, off + Messages.SENDER_OFFSET);
        state = State.RESPONSE_CONSUMED;
        return Reason.ACCEPTED;
    }

    /**
     * Derives the transport keys once the handshake is complete (initiator: after consuming the
     * response; responder: after creating it) and returns the handshake to ZEROED.
     *
     * @return the keys, or null when the handshake is not complete
     */
    public synchronized SessionKeys beginSession() {
        boolean initiator;
        if (state == State.RESPONSE_CONSUMED) {
            initiator = true;
        } else if (state == State.RESPONSE_CREATED) {
            initiator = false;
        } else {
            return null;
        }
        byte[][] keys = symmetric.split();
        SessionKeys session = initiator
                ? new SessionKeys(keys[0], keys[1], localIndex, remoteIndex, true)
                : new SessionKeys(keys[1], keys[0], localIndex, remoteIndex, false);
        clear();
        return session;
    }

    /** Forgets the handshake under way (not the replay and flood history). */
    public synchronized void clear() {
        if (symmetric != null) {
            symmetric.zero();
            symmetric = null;
        }
        Bytes.zero(localEphemeral, remoteEphemeral);
        localEphemeral = null;
        remoteEphemeral = null;
        state = State.ZEROED;
    }

    /** The handshake hash h so far (tests compare both sides after every message). */
    synchronized byte[] hash() {
        return symmetric == null ? null : symmetric.h.clone();
    }

    synchronized byte[] chainingKey() {
        return symmetric == null ? null : symmetric.ck.clone();
    }

    private static Reason checkFraming(byte[] msg, int off, int len, MessageType expected) {
        if (len != expected.size || off < 0 || off + len > msg.length) {
            return Reason.WRONG_LENGTH;
        }
        return Bytes.getIntLE(msg, off) == expected.code ? Reason.ACCEPTED : Reason.WRONG_TYPE;
    }

    @Override
    public String toString() {
        return "Handshake(" + remoteStatic + ", " + state() + ")";
    }
}
