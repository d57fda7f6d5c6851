// SPDX-License-Identifier: MIT
package io.jwg.core.transport;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The UDP seam of a device (wireguard-go's {@code conn.Bind}): one port for IPv4 and IPv6, a
 * receive callback, and synchronous sends from any thread. Implementations: {@link MemoryBind}
 * for tests and embedders, {@code transport.netty.NettyBind} for real sockets.
 */
public interface Bind extends AutoCloseable {

    /**
     * Binds the port (0 picks a free one) and starts delivering datagrams to {@code receiver}.
     * A bind that is already open is closed first. The socket is created on the calling thread
     * (so a caller that switched its network namespace gets its socket there).
     *
     * @return the port actually bound
     * @throws java.net.BindException when the port is in use (the UAPI reports EADDRINUSE)
     */
    int open(int port, DatagramReceiver receiver) throws IOException;

    /**
     * Sends {@code buf[off, off+len)} to {@code to} now; the buffer is borrowed for the call only
     * (its position and limit are neither used nor changed). Thread-safe. A datagram the network
     * refuses is dropped, counted and reported with an IOException (the data path logs and goes
     * on).
     */
    void send(ByteBuffer buf, int off, int len, Endpoint to) throws IOException;

    /**
     * Sends {@code count} datagrams to the same endpoint; datagram {@code i} is
     * {@code bufs[i][offs[i], offs[i]+lens[i])}. Implementations may coalesce them (sendmmsg,
     * UDP GSO); the default sends one by one. Stops at the first failure and reports it.
     */
    default void send(ByteBuffer[] bufs, int[] offs, int[] lens, int count, Endpoint to) throws IOException {
        for (int i = 0; i < count; i++) {
            send(bufs[i], offs[i], lens[i], to);
        }
    }

    /** Sets SO_MARK (fwmark) on the socket(s); 0 clears it. Takes effect at once when open. */
    void setMark(int mark) throws IOException;

    /** The bound port, or 0 when closed. */
    int port();

    /** Stops receiving and closes the socket(s); idempotent. */
    @Override
    void close();
}
