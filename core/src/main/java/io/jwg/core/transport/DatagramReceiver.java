// SPDX-License-Identifier: MIT
package io.jwg.core.transport;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Where a {@link Bind} delivers received datagrams: the device's receive path. A bind delivers
 * datagrams in batches (what one recvmmsg or one event-loop read cycle produced) so the device can
 * batch its TUN writes; {@link #endOfBatch()} closes each batch.
 *
 * <p>Buffers are borrowed: the receiver may read and modify {@code buf[off, off+len)} (it decrypts
 * in place) until {@link #endOfBatch()} returns, and must not keep a reference after that. Only
 * {@code off} and {@code len} locate the datagram: a bind may give each datagram its own view or
 * let datagrams of a batch share one buffer, so position and limit carry no meaning. Each bind
 * calls these methods from one thread at a time.
 */
public interface DatagramReceiver {

    /** One datagram of the current batch, from {@code source}. Must not throw. */
    void receive(ByteBuffer buf, int off, int len, InetSocketAddress source);

    /** The current batch is complete; after this returns the bind reuses or frees its buffers. */
    void endOfBatch();
}
