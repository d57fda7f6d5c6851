// SPDX-License-Identifier: MIT
package io.jwg.tun;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A layer-3 tunnel device carrying raw IPv4/IPv6 packets (no packet-information header), the seam
 * between the WireGuard device and the operating system (wireguard-go's {@code tun.Device}).
 *
 * <p>I/O is in batches: an implementation with offloads ({@link LinuxTun}'s IFF_VNET_HDR with
 * TSO/GRO) hands over the segments of a 64 KiB TCP packet in one read and coalesces a batch's
 * segments in write; implementations without offloads move one packet per call. Every packet
 * starts at a caller-chosen {@code offset} in its buffer, so the caller keeps headroom in front
 * of it (the WireGuard transport header) and encrypts in place. Buffers are borrowed for the
 * duration of the call; positions and limits are not used on read and are described below for
 * write.
 *
 * <p>{@link #read} is called by one thread at a time, {@link #write} by one thread at a time; a
 * read and a write may run concurrently. {@link #close} may be called from any thread and makes a
 * blocked {@code read} return by throwing {@link TunClosedException}.
 */
public interface Tun extends Closeable {

    /** The interface name, as the kernel assigned it. */
    String name();

    /** The interface MTU as last known (the user may change it at any time). */
    int mtu();

    /** Largest number of packets a single {@link #read} may return. */
    int batchSize();

    /**
     * Blocks until at least one packet is available, then reads up to {@code bufs.length} packets.
     * Packet {@code i} is written to {@code bufs[i]} starting at absolute index {@code offset};
     * its length goes to {@code sizes[i]}.
     *
     * @return the number of packets read, at least 1
     * @throws TunClosedException when the device was closed or deleted (e.g. {@code ip link del})
     */
    int read(ByteBuffer[] bufs, int[] sizes, int offset) throws IOException;

    /**
     * Writes {@code count} packets; packet {@code i} is {@code bufs[i][offs[i], offs[i]+lens[i])}.
     * A packet the system refuses is dropped and counted, not thrown.
     *
     * @throws TunClosedException when the device was closed or deleted
     */
    void write(ByteBuffer[] bufs, int[] offs, int[] lens, int count) throws IOException;

    /** Closes the device; idempotent. */
    @Override
    void close();
}
