// SPDX-License-Identifier: MIT
package io.jwg.core;

import io.jwg.noise.Protocol;
import io.jwg.noise.SessionKeys;
import io.jwg.noise.crypto.Aead;
import io.jwg.noise.crypto.AeadProvider;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One session derived by a handshake (whitepaper section 5.4.5; the kernel's noise_keypair): a
 * sending and a receiving cipher, the send counter, the replay window, the two indices, when it
 * was made and by which side. Immutable but for the counter, the window and the validity flag.
 */
final class Keypair {
    final Peer peer;
    final Aead sendCipher;
    final Aead receiveCipher;
    final int localIndex;
    final int remoteIndex;
    final boolean initiator;
    final long createdNanos;
    final AtomicLong sendCounter = new AtomicLong();
    final ReplayWindow replay = new ReplayWindow();
    /** The index-table entry naming this keypair; set once when installed. */
    IndexTable.Entry indexEntry;
    /** Cleared when the device key changes: we stop sending with it at once (kernel: sending.is_valid). */
    private volatile boolean sendingValid = true;

    Keypair(Peer peer, SessionKeys keys, AeadProvider aead, long createdNanos) {
        this.peer = peer;
        this.sendCipher = aead.create(keys.sendKey());
        this.receiveCipher = aead.create(keys.receiveKey());
        this.localIndex = keys.localIndex();
        this.remoteIndex = keys.remoteIndex();
        this.initiator = keys.isInitiator();
        this.createdNanos = createdNanos;
        keys.destroy();
    }

    /**
     * Takes the next send counter, or -1 when this keypair may not send any more: too old
     * (REJECT_AFTER_TIME), invalidated, or out of counters (REJECT_AFTER_MESSAGES).
     */
    long nextSendCounter(long nowNanos, Timings timings) {
        if (!sendingValid || nowNanos - createdNanos >= timings.rejectAfterTimeNanos()) {
            return -1;
        }
        long c = sendCounter.getAndIncrement();
        if (Long.compareUnsigned(c, Protocol.REJECT_AFTER_MESSAGES) >= 0) {
            sendCounter.set(Protocol.REJECT_AFTER_MESSAGES); // stay exhausted, never wrap
            return -1;
        }
        return c;
    }

    /** Whether a message received under this keypair may still be accepted (REJECT_AFTER_TIME). */
    boolean canReceive(long nowNanos, Timings timings) {
        return nowNanos - createdNanos < timings.rejectAfterTimeNanos();
    }

    boolean sendingValid() {
        return sendingValid;
    }

    void invalidateSending() {
        sendingValid = false;
    }

    /** Zeroes both keys; packets still in flight with it then fail to authenticate and are dropped. */
    void destroy() {
        sendingValid = false;
        sendCipher.close();
        receiveCipher.close();
    }

    @Override
    public String toString() {
        return "Keypair(" + Integer.toUnsignedString(localIndex) + (initiator ? ", initiator)" : ", responder)");
    }
}
