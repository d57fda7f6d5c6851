// SPDX-License-Identifier: MIT
package io.jwg.core;

import io.jwg.noise.Handshake;

/**
 * One role of a peer's handshake, with the index that names it on the wire. A peer has two: the
 * handshake we initiate and the one we answer. The kernel and wireguard-go keep a single state, so
 * when both sides initiate at once each discards its own initiation on consuming the other's and
 * drops the answer to it, and both wait REKEY_TIMEOUT for a retry. Kept apart, the two handshakes
 * are independent Noise sessions and both complete at once; the data path then settles on one
 * session by the usual next/current rotation. Guarded by the peer's handshakeLock.
 */
final class HandshakeSlot {
    final Handshake handshake;
    private IndexTable.Entry entry;

    HandshakeSlot(Handshake handshake) {
        this.handshake = handshake;
    }

    /** A fresh random index for the handshake about to be sent; the previous one is dropped. */
    int freshIndex(IndexTable table, Peer peer) {
        drop(table);
        entry = table.insertHandshake(peer);
        return entry.index;
    }

    /** True when {@code e} is this slot's current index entry. */
    boolean owns(IndexTable.Entry e) {
        return e != null && e == entry;
    }

    /** Hands the index over to the session the handshake derived. */
    IndexTable.Entry takeEntry() {
        IndexTable.Entry e = entry;
        entry = null;
        return e;
    }

    /** Forgets the index, e.g. when creating the message failed. */
    void drop(IndexTable table) {
        if (entry != null) {
            table.remove(entry);
            entry = null;
        }
    }

    /** Forgets the handshake under way and its index. */
    void clear(IndexTable table) {
        handshake.clear();
        drop(table);
    }
}
