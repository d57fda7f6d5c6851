// SPDX-License-Identifier: MIT
package io.jwg.noise;

/**
 * An initiation whose first half (e, es, s) has been opened with our static key, so its sender's
 * identity is known but nothing is accepted yet: the device looks the peer up by
 * {@link #remoteStatic()}, then hands this to that peer's {@link Handshake#consumeInitiation}.
 * Holds copies of everything it needs, so the datagram's buffer may be reused at once.
 */
public final class OpenedInitiation {
    private final Reason reason;
    final SymmetricState state;
    final byte[] remoteEphemeral;
    final byte[] encryptedTimestamp;
    final int senderIndex;
    private final PublicKey remoteStatic;

    private OpenedInitiation(Reason reason, SymmetricState state, byte[] remoteEphemeral, byte[] encryptedTimestamp,
            int senderIndex, PublicKey remoteStatic) {
        this.reason = reason;
        this.state = state;
        this.remoteEphemeral = remoteEphemeral;
        this.encryptedTimestamp = encryptedTimestamp;
        this.senderIndex = senderIndex;
        this.remoteStatic = remoteStatic;
    }

    static OpenedInitiation rejected(Reason reason) {
        return new OpenedInitiation(reason, null, null, null, 0, null);
    }

    static OpenedInitiation opened(SymmetricState state, byte[] remoteEphemeral, byte[] encryptedTimestamp,
            int senderIndex, PublicKey remoteStatic) {
        return new OpenedInitiation(Reason.ACCEPTED, state, remoteEphemeral, encryptedTimestamp, senderIndex,
                remoteStatic);
    }

    /** {@link Reason#ACCEPTED} when the static key decrypted; otherwise why not. */
    public Reason reason() {
        return reason;
    }

    /** The initiator's static public key; null unless {@link #reason()} is ACCEPTED. */
    public PublicKey remoteStatic() {
        return remoteStatic;
    }

    /** The initiator's index for this handshake. */
    public int senderIndex() {
        return senderIndex;
    }
}
