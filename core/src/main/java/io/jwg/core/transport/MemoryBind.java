// SPDX-License-Identifier: MIT
package io.jwg.core.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Bind} on a {@link MemoryNetwork}: sends copy the datagram onto the network; received
 * datagrams are delivered to the receiver in batches by the bind's own thread. A test can move the
 * bind to another host address ({@link #moveTo}, roaming) or inject datagrams from anywhere.
 */
public final class MemoryBind implements Bind {
    private record Datagram(InetSocketAddress from, byte[] data, boolean counted) {}

    private static final Datagram STOP = new Datagram(null, null, false);
    private final MemoryNetwork network;
    private volatile InetAddress host;
    private volatile InetSocketAddress local;
    private volatile int mark;
    private LinkedBlockingQueue<Datagram> inbound;
    private Thread thread;

    MemoryBind(MemoryNetwork network, InetAddress host) {
        this.network = network;
        this.host = host;
    }

    @Override
    public synchronized int open(int port, DatagramReceiver receiver) throws IOException {
        close();
        int bound = network.register(this, host, port);
        local = new InetSocketAddress(host, bound);
        LinkedBlockingQueue<Datagram> q = new LinkedBlockingQueue<>();
        inbound = q;
        thread = new Thread(() -> deliver(network, q, receiver), "memory-bind-" + local);
        thread.setDaemon(true);
        thread.start();
        return bound;
    }

    private static void deliver(MemoryNetwork network, LinkedBlockingQueue<Datagram> q, DatagramReceiver receiver) {
        List<Datagram> batch = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(q.take());
            } catch (InterruptedException e) {
                return;
            }
            q.drainTo(batch, 63);
            int counted = 0;
            for (Datagram d : batch) {
                if (d == STOP) {
                    stop = true;
                    continue;
                }
                if (d.counted) {
                    counted++;
                }
                if (!stop) {
                    receiver.receive(ByteBuffer.wrap(d.data), 0, d.data.length, d.from);
                }
            }
            receiver.endOfBatch();
            network.delivered(counted);
            batch.clear();
        }
        // Whatever arrived after the stop is dropped, but still accounted for.
        List<Datagram> rest = new ArrayList<>();
        q.drainTo(rest);
        network.delivered((int) rest.stream().filter(Datagram::counted).count());
    }

    /** Queues a datagram from the network; false when this bind is closed (the datagram is lost). */
    boolean enqueue(InetSocketAddress from, byte[] data) {
        LinkedBlockingQueue<Datagram> q = inbound;
        return q != null && q.offer(new Datagram(from, data, true));
    }

    @Override
    public void send(ByteBuffer buf, int off, int len, Endpoint to) throws IOException {
        InetSocketAddress from = local;
        if (from == null) {
            throw new IOException("bind is closed");
        }
        byte[] copy = new byte[len];
        buf.get(off, copy);
        network.send(from, to.address(), copy);
    }

    /** Delivers {@code data} to this bind's receiver as if {@code from} had sent it. */
    public void inject(byte[] data, InetSocketAddress from) {
        network.injected();
        if (!enqueue(from, data.clone())) {
            network.delivered(1);
        }
    }

    /**
     * Moves to another host address, keeping the port: the peers see our datagrams come from a
     * new address, as when a laptop changes networks.
     */
    public synchronized void moveTo(InetAddress newHost) throws IOException {
        host = newHost;
        InetSocketAddress old = local;
        if (old != null) {
            network.unregister(old, this);
            network.register(this, newHost, old.getPort());
            local = new InetSocketAddress(newHost, old.getPort());
        }
    }

    @Override
    public void setMark(int mark) {
        this.mark = mark;
    }

    public int mark() {
        return mark;
    }

    @Override
    public int port() {
        InetSocketAddress l = local;
        return l == null ? 0 : l.getPort();
    }

    /** The address this bind sends from, or null when closed. */
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public synchronized void close() {
        InetSocketAddress l = local;
        if (l == null) {
            return;
        }
        network.unregister(l, this);
        local = null;
        inbound.offer(STOP);
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        inbound = null;
        thread = null;
    }
}
