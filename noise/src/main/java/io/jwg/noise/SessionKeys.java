// SPDX-License-Identifier: MIT
package io.jwg.noise;

import io.jwg.noise.crypto.Bytes;

/**
 * The outcome of a completed handshake (whitepaper section 5.4.5): the two transport keys, the
 * indices that name the session on the wire, and which side initiated. Core turns this into a
 * keypair; {@link #destroy()} zeroes the keys once they are copied into their ciphers.
 */
public final class SessionKeys {
    private final byte[] sendKey;
    private final byte[] receiveKey;
    private final int localIndex;
    private final int remoteIndex;
    private final boolean initiator;

    SessionKeys(byte[] sendKey, byte[] receiveKey, int localIndex, int remoteIndex, boolean initiator) {
        this.sendKey = sendKey;
        this.receiveKey = receiveKey;
        this.localIndex = localIndex;
        this.remoteIndex = remoteIndex;
        this.initiator = initiator;
    }

    /** The key for messages we send (not a copy: zeroed by {@link #destroy()}). */
    public byte[] sendKey() {
        return sendKey;
    }

    /** The key for messages we receive (not a copy: zeroed by {@link #destroy()}). */
    public byte[] receiveKey() {
        return receiveKey;
    }

    /** The index the peer puts in messages to us. */
    public int localIndex() {
        return localIndex;
    }

    /** The index we put in messages to the peer. */
    public int remoteIndex() {
        return remoteIndex;
    }

    public boolean isInitiator() {
        return initiator;
    }

    public void destroy() {
        Bytes.zero(sendKey, receiveKey);
    }

    @Override
    public String toString() {
        return "SessionKeys(local=" + Integer.toUnsignedString(localIndex) + ", remote="
                + Integer.toUnsignedString(remoteIndex) + ", initiator=" + initiator + ")";
    }
}
