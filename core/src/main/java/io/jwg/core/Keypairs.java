// SPDX-License-Identifier: MIT
package io.jwg.core;

import java.util.function.Consumer;

/**
 * A peer's three session slots and their rotation rules (the kernel's noise_keypairs): the
 * current keypair sends; the previous one still receives packets in flight after a rekey; the
 * next one is a responder's new session, unused for sending until the initiator confirms it with
 * its first transport message. Readers on the data path read the volatile slots without locks;
 * changes hold this object's lock. Retired keypairs go to the {@code retire} callback, which
 * removes their index and zeroes their keys.
 */
final class Keypairs {
    private volatile Keypair previous;
    private volatile Keypair current;
    private volatile Keypair next;
    private final Consumer<Keypair> retire;

    Keypairs(Consumer<Keypair> retire) {
        this.retire = retire;
    }

    Keypair current() {
        return current;
    }

    Keypair previous() {
        return previous;
    }

    Keypair next() {
        return next;
    }

    /**
     * Installs a freshly derived keypair. An initiator's is usable at once: it becomes current and
     * the old current (or an unconfirmed next) becomes previous. A responder's waits in next and
     * drops the previous slot, since its peer will switch to the new session soon.
     */
    synchronized void add(Keypair k) {
        if (k.initiator) {
            if (next != null) {
                retireSlot(previous);
                previous = next;
                next = null;
                retireSlot(current);
            } else {
                retireSlot(previous);
                previous = current;
            }
            current = k;
        } else {
            retireSlot(next);
            next = k;
            retireSlot(previous);
            previous = null;
        }
    }

    /**
     * Called after a message authenticated under {@code k}. When {@code k} is the next keypair, the
     * initiator has confirmed it: it becomes current and the old current previous.
     *
     * @return true when this confirmed a new session (the handshake is complete for a responder)
     */
    boolean receivedWith(Keypair k) {
        if (k != next) {
            return false;
        }
        synchronized (this) {
            if (k != next) {
                return false;
            }
            retireSlot(previous);
            previous = current;
            current = k;
            next = null;
            return true;
        }
    }

    /** Stops sending with the current and next keypairs (our private key changed). */
    synchronized void expireForSending() {
        if (current != null) {
            current.invalidateSending();
        }
        if (next != null) {
            next.invalidateSending();
        }
    }

    /** Retires every keypair (zero key material, peer removed, device down). */
    synchronized void clear() {
        retireSlot(previous);
        retireSlot(current);
        retireSlot(next);
        previous = current = next = null;
    }

    private void retireSlot(Keypair k) {
        if (k != null) {
            retire.accept(k);
        }
    }
}
