// SPDX-License-Identifier: MIT
package io.jwg.tun;

import com.sun.jna.Memory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Direct buffers for a batch of packets that cost resident memory only where packets are written.
 * A TUN with offloads reads up to {@value TunOffload#BATCH} packets at a time, each of which may in
 * principle be 64 KiB, so a reader keeps about 8 MiB of buffers; {@link ByteBuffer#allocateDirect}
 * zeroes all of it (and so makes it resident), while malloc'd memory the process never touched is
 * not, and a 1,420-byte MTU touches one page in sixteen of each buffer. The memory is freed when the
 * buffers become unreachable (JNA ties it to them).
 */
public final class PacketBuffers {
    private PacketBuffers() {
    }

    /** {@code count} direct buffers of {@code size} bytes each, in {@code order}, contents undefined. */
    public static ByteBuffer[] allocate(int count, int size, ByteOrder order) {
        ByteBuffer[] bufs = new ByteBuffer[count];
        for (int i = 0; i < count; i++) {
            bufs[i] = new Memory(size).getByteBuffer(0, size).order(order);
        }
        return bufs;
    }
}
