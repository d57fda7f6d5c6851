// SPDX-License-Identifier: MIT
package io.jwg.core.transport.netty;

import io.jwg.core.transport.DatagramReceiver;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link DatagramReceiver} for tests: copies every datagram (the bind's buffer is only lent),
 * remembers its source and the batch it came in, and lets the test thread wait for a count.
 */
class RecordingReceiver implements DatagramReceiver {
    record Datagram(byte[] data, InetSocketAddress source, int batch) {
    }

    private final List<Datagram> received = new ArrayList<>();
    private final List<Integer> batchSizes = new ArrayList<>();
    private int currentBatch;

    @Override
    public synchronized void receive(ByteBuffer buf, int off, int len, InetSocketAddress source) {
        byte[] copy = new byte[len];
        buf.get(off, copy);
        received.add(new Datagram(copy, source, batchSizes.size()));
        currentBatch++;
    }

    @Override
    public synchronized void endOfBatch() {
        batchSizes.add(currentBatch);
        currentBatch = 0;
        notifyAll();
    }

    /** Waits until {@code n} datagrams arrived and their batch was closed; returns them all. */
    synchronized List<Datagram> await(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.size() - currentBatch < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out: " + (received.size() - currentBatch) + " of " + n
                        + " datagrams arrived");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return List.copyOf(received);
    }

    synchronized List<Integer> batchSizes() {
        return List.copyOf(batchSizes);
    }
}
