// SPDX-License-Identifier: MIT
package io.jwg.core.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

/** The GRO receive buffers: released memory comes back for the next read instead of being freed. */
class ReceiveBufferAllocatorTest {

    @Test
    void aReleasedBufferIsReusedEmptyAndWritable() {
        ReceiveBufferAllocator alloc = new ReceiveBufferAllocator(65535, 4);
        ByteBuf first = alloc.ioBuffer(65535);
        assertTrue(first.isDirect());
        assertEquals(0, first.readableBytes());
        assertEquals(65535, first.writableBytes());
        first.writeLong(42);
        java.nio.ByteBuffer memory = first.internalNioBuffer(0, 8);
        long address = io.jwg.core.transport.netty.LinuxCalls.SUPPORTED
                ? LinuxCalls.addressOfDirect(memory) : 0;
        first.release();
        assertEquals(1, alloc.kept());

        ByteBuf second = alloc.ioBuffer(65535);
        assertEquals(0, alloc.kept());
        assertEquals(0, second.readableBytes());
        assertEquals(65535, second.writableBytes());
        if (LinuxCalls.SUPPORTED) {
            assertEquals(address, LinuxCalls.addressOfDirect(second.internalNioBuffer(0, 8)),
                    "the same native memory");
        }
        second.release();
    }

    @Test
    void slicesKeepTheMemoryUntilTheLastIsReleased() {
        ReceiveBufferAllocator alloc = new ReceiveBufferAllocator(65535, 4);
        ByteBuf buf = alloc.ioBuffer(65535).writeZero(3000);
        ByteBuf a = buf.retainedSlice(0, 1500);
        ByteBuf b = buf.retainedSlice(1500, 1500);
        buf.release();
        a.release();
        assertEquals(0, alloc.kept());
        b.release();
        assertEquals(1, alloc.kept());
    }

    @Test
    void otherSizesAreOrdinaryBuffers() {
        ReceiveBufferAllocator alloc = new ReceiveBufferAllocator(65535, 4);
        ByteBuf small = alloc.ioBuffer(100);
        assertEquals(100, small.capacity());
        small.release();
        assertEquals(0, alloc.kept());
        ByteBuf one = alloc.ioBuffer(65535);
        ByteBuf two = alloc.ioBuffer(65535);
        assertSame(alloc, one.alloc());
        one.release();
        two.release();
        assertEquals(2, alloc.kept());
    }
}
