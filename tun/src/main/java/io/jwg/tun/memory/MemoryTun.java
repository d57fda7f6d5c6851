// SPDX-License-Identifier: MIT
package io.jwg.tun.memory;

import io.jwg.tun.Tun;
import io.jwg.tun.TunClosedException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TUN device in memory, for tests and for embedders that feed IP packets to WireGuard
 * themselves (wireguard-go's {@code tun/tuntest} channel TUN plays the same role).
 *
 * <p>Two bounded queues stand for the kernel. The <em>application side</em> {@link #inject}s the
 * packets it sends into the tunnel; the device's {@link #read} returns them. Packets the device
 * {@link #write}s (what came out of the tunnel) are collected with {@link #poll} or {@link #take}.
 * Like a real interface, nothing blocks the device: a write finding its queue full drops the
 * packet and counts it. Every packet is copied on the way in and out, so callers keep their
 * buffers; this costs an allocation per packet, which is fine for the purpose.
 *
 * <p>{@link #close()} wakes a blocked {@link #read} with {@link TunClosedException}; afterwards
 * {@code read} and {@code write} throw it, {@code inject} refuses, and {@code poll}/{@code take}
 * still hand out packets the device wrote before.
 *
 * <p>Thread-safe: every method may be called from any thread; one lock guards both queues.
 */
public final class MemoryTun implements Tun {

    public static final String DEFAULT_NAME = "mem0";
    public static final int DEFAULT_MTU = 1420;
    public static final int DEFAULT_QUEUE_CAPACITY = 1024;

    private final String name;
    private final int queueCapacity;
    private final int batchSize;
    private volatile int mtu;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition injected = lock.newCondition();
    private final Condition readRoom = lock.newCondition();
    private final Condition written = lock.newCondition();
    private final ArrayDeque<byte[]> toDevice = new ArrayDeque<>();
    private final ArrayDeque<byte[]> fromDevice = new ArrayDeque<>();
    private boolean closed;
    private long droppedInjects;
    private long droppedWrites;
    private long droppedReads;
    private long packetsRead;

    /** A device named {@value #DEFAULT_NAME} with MTU {@value #DEFAULT_MTU}. */
    public MemoryTun() {
        this(DEFAULT_NAME, DEFAULT_MTU);
    }

    /** A device with queues of {@value #DEFAULT_QUEUE_CAPACITY} packets, one packet per read. */
    public MemoryTun(String name, int mtu) {
        this(name, mtu, DEFAULT_QUEUE_CAPACITY, 1);
    }

    /**
     * @param queueCapacity packets each queue holds before it drops
     * @param batchSize most packets one {@link #read} returns (exercises a caller's batching)
     */
    public MemoryTun(String name, int mtu, int queueCapacity, int batchSize) {
        if (queueCapacity < 1 || batchSize < 1) {
            throw new IllegalArgumentException("queue capacity and batch size must be positive");
        }
        this.name = name;
        this.queueCapacity = queueCapacity;
        this.batchSize = batchSize;
        setMtu(mtu);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    /** Changes the MTU, as {@code ip link set NAME mtu N} would. */
    public void setMtu(int mtu) {
        if (mtu <= 0) {
            throw new IllegalArgumentException("MTU must be positive: " + mtu);
        }
        this.mtu = mtu;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    // ---- application side ----------------------------------------------------------------------

    /**
     * Queues a copy of {@code packet} for the device to read.
     *
     * @return false (and counts a drop) when the queue is full or the device closed
     */
    public boolean inject(byte[] packet) {
        return inject(packet, 0, packet.length);
    }

    /** Queues a copy of {@code packet} from its position to its limit; the position does not move. */
    public boolean inject(ByteBuffer packet) {
        byte[] copy = new byte[packet.remaining()];
        packet.get(packet.position(), copy);
        return offer(copy);
    }

    /** Queues a copy of {@code length} bytes of {@code packet} from {@code offset}. */
    public boolean inject(byte[] packet, int offset, int length) {
        byte[] copy = new byte[length];
        System.arraycopy(packet, offset, copy, 0, length);
        return offer(copy);
    }

    /**
     * Queues a copy of {@code packet}, waiting up to {@code timeout} for room (a producer that
     * must not lose packets to a slow device).
     *
     * @return false when the wait timed out or the device closed
     */
    public boolean inject(byte[] packet, long timeout, TimeUnit unit) throws InterruptedException {
        byte[] copy = packet.clone();
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (!closed && toDevice.size() >= queueCapacity) {
                if (nanos <= 0) {
                    droppedInjects++;
                    return false;
                }
                nanos = readRoom.awaitNanos(nanos);
            }
            return enqueueLocked(copy);
        } finally {
            lock.unlock();
        }
    }

    private boolean offer(byte[] copy) {
        lock.lock();
        try {
            return enqueueLocked(copy);
        } finally {
            lock.unlock();
        }
    }

    private boolean enqueueLocked(byte[] copy) {
        if (closed || toDevice.size() >= queueCapacity) {
            droppedInjects++;
            return false;
        }
        toDevice.add(copy);
        injected.signal();
        return true;
    }

    /** The next packet the device wrote, or null if there is none now. */
    public byte[] poll() {
        lock.lock();
        try {
            return fromDevice.poll();
        } finally {
            lock.unlock();
        }
    }

    /** The next packet the device wrote, waiting up to {@code timeout}; null if none came. */
    public byte[] poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (fromDevice.isEmpty() && !closed) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = written.awaitNanos(nanos);
            }
            return fromDevice.poll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next packet the device wrote, waiting as long as it takes.
     *
     * @throws TunClosedException the device is closed and everything it wrote was taken
     */
    public byte[] take() throws InterruptedException, TunClosedException {
        lock.lock();
        try {
            while (fromDevice.isEmpty()) {
                if (closed) {
                    throw closedException();
                }
                written.await();
            }
            return fromDevice.poll();
        } finally {
            lock.unlock();
        }
    }

    /** Injected packets the device has not read yet. */
    public int pendingReads() {
        lock.lock();
        try {
            return toDevice.size();
        } finally {
            lock.unlock();
        }
    }

    /** Packets {@link #inject} refused (queue full or closed). */
    public long droppedInjects() {
        lock.lock();
        try {
            return droppedInjects;
        } finally {
            lock.unlock();
        }
    }

    /** Packets {@link #write} dropped (queue full, or empty packet). */
    public long droppedWrites() {
        lock.lock();
        try {
            return droppedWrites;
        } finally {
            lock.unlock();
        }
    }

    /** Injected packets {@link #read} dropped because they did not fit the reader's buffer. */
    public long droppedReads() {
        lock.lock();
        try {
            return droppedReads;
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    // ---- device side ---------------------------------------------------------------------------

    /**
     * Returns up to {@code min(bufs.length, batchSize())} injected packets. A packet larger than
     * the room after {@code offset} (the buffer's capacity) is dropped and counted, as a packet
     * over the MTU would never reach a real reader.
     */
    @Override
    public int read(ByteBuffer[] bufs, int[] sizes, int offset) throws IOException {
        int max = Math.min(bufs.length, batchSize);
        lock.lock();
        try {
            int n = 0;
            while (n == 0) {
                while (toDevice.isEmpty() && !closed) {
                    injected.await();
                }
                if (closed) {
                    throw closedException();
                }
                while (n < max && !toDevice.isEmpty()) {
                    byte[] packet = toDevice.poll();
                    ByteBuffer buf = bufs[n];
                    if (packet.length > buf.capacity() - offset) {
                        droppedReads++;
                        continue;
                    }
                    buf.duplicate().clear().put(offset, packet); // its limit is not ours to honour
                    sizes[n++] = packet.length;
                    packetsRead++;
                }
                readRoom.signalAll();
            }
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading " + name);
        } finally {
            lock.unlock();
        }
    }

    /** Packets handed to the device by {@link #read} so far. */
    public long packetsRead() {
        lock.lock();
        try {
            return packetsRead;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void write(ByteBuffer[] bufs, int[] offs, int[] lens, int count) throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw closedException();
            }
            for (int i = 0; i < count; i++) {
                ByteBuffer buf = bufs[i];
                int length = lens[i];
                if (length <= 0 || fromDevice.size() >= queueCapacity) {
                    droppedWrites++;
                    continue;
                }
                byte[] copy = new byte[length];
                buf.get(offs[i], copy);
                fromDevice.add(copy);
            }
            written.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            injected.signalAll();
            readRoom.signalAll();
            written.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private TunClosedException closedException() {
        return new TunClosedException("TUN device " + name + " is closed");
    }

    @Override
    public String toString() {
        return "MemoryTun[" + name + "]";
    }
}
