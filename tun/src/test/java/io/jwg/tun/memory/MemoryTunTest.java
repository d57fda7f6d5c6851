// SPDX-License-Identifier: MIT
package io.jwg.tun.memory;

import io.jwg.tun.TunWrites;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.tun.TunClosedException;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemoryTunTest {

    private static final int OFFSET = 16;

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final MemoryTun tun = new MemoryTun("mem7", 1420, 4, 1);

    @AfterEach
    void stop() {
        tun.close();
        threads.shutdownNow();
    }

    @Test
    void injectedPacketIsReadAtTheOffsetFromACopy() throws Exception {
        byte[] packet = {0x45, 1, 2, 3, 4};
        assertTrue(tun.inject(packet));
        packet[1] = 99; // the caller keeps its array

        // The limit is below the offset on purpose: read fills up to the capacity.
        ByteBuffer buf = ByteBuffer.allocateDirect(64).position(3).limit(10);
        int[] sizes = new int[1];
        assertEquals(1, tun.read(new ByteBuffer[] {buf}, sizes, OFFSET));

        assertEquals(5, sizes[0]);
        byte[] got = new byte[5];
        buf.duplicate().clear().get(OFFSET, got);
        assertArrayEquals(new byte[] {0x45, 1, 2, 3, 4}, got);
        assertEquals(3, buf.position(), "read leaves position and limit alone");
        assertEquals(10, buf.limit());
    }

    @Test
    void injectingAByteBufferTakesItsRemainingBytesWithoutMovingIt() throws Exception {
        ByteBuffer src = ByteBuffer.wrap(new byte[] {9, 9, 0x60, 7, 8, 9}).position(2).limit(5);
        assertTrue(tun.inject(src));
        assertEquals(2, src.position());

        ByteBuffer buf = ByteBuffer.allocate(32);
        int[] sizes = new int[1];
        tun.read(new ByteBuffer[] {buf}, sizes, 0);

        assertEquals(3, sizes[0]);
        assertEquals(0x60, buf.get(0));
        assertEquals(8, buf.get(2));
    }

    @Test
    void writtenPacketsArePolledInOrderFromOffsetToLimit() throws Exception {
        ByteBuffer a = ByteBuffer.allocate(64);
        a.put(OFFSET, new byte[] {1, 2, 3}).limit(OFFSET + 3);
        ByteBuffer b = ByteBuffer.allocateDirect(64);
        b.put(OFFSET, new byte[] {4, 5}).limit(OFFSET + 2);

        TunWrites.write(tun, new ByteBuffer[] {a, b}, 2, OFFSET);
        a.put(OFFSET, (byte) 42); // the device copied the packet

        assertArrayEquals(new byte[] {1, 2, 3}, tun.poll(1, TimeUnit.SECONDS));
        assertArrayEquals(new byte[] {4, 5}, tun.take());
        assertNull(tun.poll());
    }

    @Test
    void closeWakesABlockedReaderWithTunClosed() throws Exception {
        Future<Integer> reader = threads.submit(
                () -> tun.read(new ByteBuffer[] {ByteBuffer.allocate(2048)}, new int[1], 0));
        assertThrows(TimeoutException.class, () -> reader.get(100, TimeUnit.MILLISECONDS));

        tun.close();

        ExecutionException e = assertThrows(ExecutionException.class,
                () -> reader.get(5, TimeUnit.SECONDS));
        assertInstanceOf(TunClosedException.class, e.getCause());
    }

    @Test
    void afterCloseTheDeviceRefusesButWrittenPacketsCanStillBeTaken() throws Exception {
        ByteBuffer packet = ByteBuffer.wrap(new byte[] {1, 2});
        TunWrites.write(tun, new ByteBuffer[] {packet}, 1, 0);
        tun.close();

        assertTrue(tun.isClosed());
        assertFalse(tun.inject(new byte[] {1}));
        assertThrows(TunClosedException.class,
                () -> tun.read(new ByteBuffer[] {ByteBuffer.allocate(8)}, new int[1], 0));
        assertThrows(TunClosedException.class,
                () -> TunWrites.write(tun, new ByteBuffer[] {packet}, 1, 0));
        assertArrayEquals(new byte[] {1, 2}, tun.take());
        assertThrows(TunClosedException.class, tun::take);
        assertNull(tun.poll(1, TimeUnit.SECONDS));
    }

    @Test
    void fullQueuesDropAndCountInsteadOfBlocking() throws Exception {
        for (int i = 0; i < 4; i++) {
            assertTrue(tun.inject(new byte[] {(byte) i}));
        }
        assertFalse(tun.inject(new byte[] {4}));
        assertEquals(1, tun.droppedInjects());
        assertEquals(4, tun.pendingReads());

        ByteBuffer[] five = new ByteBuffer[5];
        for (int i = 0; i < 5; i++) {
            five[i] = ByteBuffer.wrap(new byte[] {(byte) i});
        }
        TunWrites.write(tun, five, 5, 0);
        assertEquals(1, tun.droppedWrites());
    }

    @Test
    void timedInjectWaitsForTheReaderToMakeRoom() throws Exception {
        for (int i = 0; i < 4; i++) {
            tun.inject(new byte[] {(byte) i});
        }
        Future<Boolean> producer = threads.submit(
                () -> tun.inject(new byte[] {4}, 5, TimeUnit.SECONDS));
        assertThrows(TimeoutException.class, () -> producer.get(100, TimeUnit.MILLISECONDS));

        tun.read(new ByteBuffer[] {ByteBuffer.allocate(8)}, new int[1], 0);

        assertTrue(producer.get(5, TimeUnit.SECONDS));
        assertEquals(4, tun.pendingReads());
        assertFalse(tun.inject(new byte[] {5}, 0, TimeUnit.SECONDS), "no wait, no room");
    }

    @Test
    void readReturnsUpToTheBatchSize() throws Exception {
        MemoryTun batched = new MemoryTun("mem8", 1420, 16, 3);
        for (int i = 0; i < 4; i++) {
            batched.inject(new byte[] {(byte) i});
        }
        ByteBuffer[] bufs = {ByteBuffer.allocate(8), ByteBuffer.allocate(8),
                ByteBuffer.allocate(8), ByteBuffer.allocate(8)};
        int[] sizes = new int[4];

        assertEquals(3, batched.batchSize());
        assertEquals(3, batched.read(bufs, sizes, 0));
        assertEquals(2, bufs[2].get(0));
        assertEquals(1, batched.read(bufs, sizes, 0));
        assertEquals(3, bufs[0].get(0));
    }

    @Test
    void aPacketTooLargeForTheReadersBufferIsDroppedAndCounted() throws Exception {
        tun.inject(new byte[100]);
        tun.inject(new byte[] {7});
        ByteBuffer small = ByteBuffer.allocate(OFFSET + 50);
        int[] sizes = new int[1];

        assertEquals(1, tun.read(new ByteBuffer[] {small}, sizes, OFFSET));

        assertEquals(1, sizes[0]);
        assertEquals(7, small.get(OFFSET));
        assertEquals(1, tun.droppedReads());
    }

    @Test
    void nameAndMtuAreConfigurable() {
        assertEquals("mem7", tun.name());
        assertEquals(1420, tun.mtu());
        tun.setMtu(1280);
        assertEquals(1280, tun.mtu());
        assertThrows(IllegalArgumentException.class, () -> tun.setMtu(0));
        assertEquals(MemoryTun.DEFAULT_MTU, new MemoryTun().mtu());
        assertEquals(1, new MemoryTun().batchSize());
    }
}
