// SPDX-License-Identifier: MIT
package io.jwg.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.noise.crypto.Aeads;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The slot rules of previous/current/next (the kernel's noise_keypairs). */
class KeypairsTest {
    private final List<Keypair> retired = new ArrayList<>();
    private final Keypairs slots = new Keypairs(retired::add);

    private static Keypair keypair(boolean initiator) {
        return TestKeypairs.make(initiator);
    }

    @Test
    void anInitiatorsSessionIsCurrentAtOnceAndTheOldOneStaysForReceiving() {
        Keypair a = keypair(true);
        Keypair b = keypair(true);
        slots.add(a);
        assertSame(a, slots.current());
        slots.add(b);
        assertSame(b, slots.current());
        assertSame(a, slots.previous());
        Keypair c = keypair(true);
        slots.add(c);
        assertEquals(List.of(a), retired);
        assertSame(b, slots.previous());
    }

    @Test
    void aRespondersSessionWaitsInNextUntilConfirmed() {
        Keypair old = keypair(true);
        slots.add(old);
        Keypair fresh = keypair(false);
        slots.add(fresh);
        assertSame(old, slots.current(), "we keep sending on the old session until confirmed");
        assertSame(fresh, slots.next());
        assertFalse(slots.receivedWith(old));
        assertTrue(slots.receivedWith(fresh));
        assertSame(fresh, slots.current());
        assertSame(old, slots.previous());
        assertNull(slots.next());
        assertFalse(slots.receivedWith(fresh), "confirmation happens once");
    }

    @Test
    void anUnconfirmedNextIsDemotedWhenWeInitiateMeanwhile() {
        Keypair cur = keypair(true);
        slots.add(cur);
        Keypair next = keypair(false);
        slots.add(next);
        Keypair mine = keypair(true);
        slots.add(mine);
        assertSame(mine, slots.current());
        assertSame(next, slots.previous());
        assertNull(slots.next());
        assertTrue(retired.contains(cur));
    }

    @Test
    void clearRetiresEverything() {
        slots.add(keypair(true));
        slots.add(keypair(true));
        slots.add(keypair(false));
        slots.clear();
        assertNull(slots.current());
        assertNull(slots.previous());
        assertNull(slots.next());
        assertEquals(3, retired.size());
    }

    @Test
    void expiringForSendingStopsCurrentAndNextButNotReceiving() {
        Keypair cur = keypair(true);
        slots.add(cur);
        slots.expireForSending();
        assertEquals(-1, cur.nextSendCounter(0, Timings.DEFAULT));
        assertTrue(cur.canReceive(0, Timings.DEFAULT));
        assertTrue(Aeads.fastest() != null);
    }
}
