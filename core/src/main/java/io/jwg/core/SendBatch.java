// SPDX-License-Identifier: MIT
package io.jwg.core;

import io.jwg.core.transport.Endpoint;
import java.nio.ByteBuffer;

/**
 * The sealed transport messages of one TUN read that go to the same peer, endpoint and keypair,
 * waiting to leave together in one {@link io.jwg.core.transport.Bind#send(ByteBuffer[], int[],
 * int[], int, Endpoint) batch send} (which UDP GSO turns into one system call). Holds them in
 * counter order, which is the order they were sealed in; {@link Sender#flush} sends them and
 * empties it.
 *
 * <p>Not thread-safe: owned by the TUN reader thread. The arrays are sized once, so adding a
 * datagram allocates nothing.
 */
final class SendBatch {
    final ByteBuffer[] bufs;
    final int[] offs;
    final int[] lens;
    int count;
    Peer peer;
    Keypair keypair;
    Endpoint endpoint;
    /** The counter of the last datagram added: keepKeyFresh looks at it after the send. */
    long lastCounter;
    /** When the first datagram was sealed (clock nanos). */
    long nowNanos;
    /** Whether any datagram carries data (not a keepalive): the dataSent timer hook. */
    boolean carriesData;
    /** Total datagram bytes, for the peer's tx counter. */
    long bytes;

    SendBatch(int capacity) {
        bufs = new ByteBuffer[capacity];
        offs = new int[capacity];
        lens = new int[capacity];
    }

    /** True when a datagram for this peer, keypair and endpoint may join the batch. */
    boolean accepts(Peer p, Keypair k, Endpoint ep) {
        return count == 0 || (count < bufs.length && p == peer && k == keypair && ep == endpoint);
    }

    /** Adds a sealed datagram at {@code buf[off, off+len)}; the caller checked {@link #accepts}. */
    void add(Peer p, Keypair k, Endpoint ep, ByteBuffer buf, int off, int len, long counter,
            boolean data, long now) {
        if (count == 0) {
            peer = p;
            keypair = k;
            endpoint = ep;
            nowNanos = now;
        }
        bufs[count] = buf;
        offs[count] = off;
        lens[count] = len;
        count++;
        lastCounter = counter;
        carriesData |= data;
        bytes += len;
    }

    /** Empties the batch and drops its references, so a removed peer is not kept alive. */
    void clear() {
        for (int i = 0; i < count; i++) {
            bufs[i] = null;
        }
        count = 0;
        peer = null;
        keypair = null;
        endpoint = null;
        carriesData = false;
        bytes = 0;
    }
}
