// SPDX-License-Identifier: MIT
package io.jwg.core.transport.netty;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledDirectByteBuf;
import java.nio.ByteBuffer;

/**
 * The allocator of the UDP_GRO receive path, which reads one 64 KiB buffer per recvmsg: Netty's
 * adaptive allocator does not pool buffers of that size and falls back to a fresh, zeroed direct
 * buffer with a cleaner for every read (benchmarks/alloc.sh showed it as the data path's largest
 * allocation), and its pooled allocator creates and destroys a chunk around each one. Here the
 * native memory of the few buffers in flight is kept and handed out again; only the small
 * {@code ByteBuf} wrapper is new per read. A request of another size goes to {@link Unpooled}.
 *
 * <p>Thread-safety: buffers are allocated and, normally, released on the channel's event loop; a
 * release elsewhere (a channel closed from another thread) is safe too, as the free list is locked.
 */
final class ReceiveBufferAllocator extends AbstractByteBufAllocator {
    private final int size;
    /** Kept for reuse: each read of a cycle holds one buffer until the batch handler releases them all. */
    private final ByteBuffer[] free;
    private int freeCount;

    /** Buffers of {@code size} bytes, up to {@code kept} of them kept (the reads of one read cycle). */
    ReceiveBufferAllocator(int size, int kept) {
        super(true);
        this.size = size;
        this.free = new ByteBuffer[kept];
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        if (initialCapacity != size) {
            return Unpooled.directBuffer(initialCapacity, maxCapacity);
        }
        ByteBuffer memory = take();
        ByteBuf buf = new Reused(memory);
        buf.clear(); // a wrapped buffer starts out full; Netty reads into the writable part
        return buf;
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return Unpooled.buffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return true;
    }

    private synchronized ByteBuffer take() {
        if (freeCount > 0) {
            ByteBuffer b = free[--freeCount];
            free[freeCount] = null;
            return b.clear();
        }
        return ByteBuffer.allocateDirect(size);
    }

    private synchronized void give(ByteBuffer memory) {
        if (freeCount < free.length) {
            free[freeCount++] = memory;
        }
    }

    /** Buffers kept for reuse right now (tests). */
    synchronized int kept() {
        return freeCount;
    }

    /** A Netty buffer over kept memory; released, it gives the memory back instead of freeing it. */
    private final class Reused extends UnpooledDirectByteBuf {
        private final ByteBuffer memory;

        Reused(ByteBuffer memory) {
            super(ReceiveBufferAllocator.this, memory, memory.capacity());
            this.memory = memory;
        }

        @Override
        protected void deallocate() {
            super.deallocate(); // a wrapped buffer's memory is not freed by Netty
            give(memory);
        }
    }
}
