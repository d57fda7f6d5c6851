// SPDX-License-Identifier: MIT
package io.jwg.tun;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;

/**
 * Remembers the native addresses of the direct buffers a caller keeps handing us, so that the
 * per-packet path of {@link LinuxTun} neither crosses JNI nor allocates to learn a buffer's address.
 *
 * <p>A data path recycles a pool of buffers, so after warm-up every lookup hits. The table is a
 * direct-mapped cache keyed by identity (a slice or duplicate is a different buffer with a
 * different address, and is cached separately). Entries hold buffers weakly: the cache never keeps
 * a caller's native memory alive, and a hit is only possible for the very object the caller passes
 * in, which is strongly reachable for the duration of the call, so a cached address is always valid
 * when it is used. A miss allocates one weak reference.
 *
 * <p>Not thread-safe: each direction of a device (the reading thread, the writing thread) owns
 * its own instance.
 */
final class DirectAddresses {

    private static final int SLOTS = 1024;

    @SuppressWarnings("unchecked")
    private final WeakReference<ByteBuffer>[] buffers = new WeakReference[SLOTS];
    private final long[] addresses = new long[SLOTS];

    /** The address of index 0 of {@code direct}, which must be a direct buffer. */
    long of(ByteBuffer direct) {
        int slot = System.identityHashCode(direct) & (SLOTS - 1);
        WeakReference<ByteBuffer> cached = buffers[slot];
        if (cached != null && cached.get() == direct) {
            return addresses[slot];
        }
        long address = LibC.address(direct);
        buffers[slot] = new WeakReference<>(direct);
        addresses[slot] = address;
        return address;
    }
}
