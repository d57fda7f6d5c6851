// SPDX-License-Identifier: MIT
package io.jwg.core.transport;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;

/**
 * An in-memory UDP network for tests and embedders (wireguard-go's bindtest model): binds on it
 * exchange datagrams by address, and a test can watch, drop or rewrite what crosses it.
 */
public final class MemoryNetwork {

    /** Decides the fate of each datagram: deliver it (possibly changed) or drop it (null). */
    @FunctionalInterface
    public interface Filter {
        byte[] apply(InetSocketAddress from, InetSocketAddress to, byte[] datagram);
    }

    /** Sees every datagram sent on the network, delivered or not. */
    @FunctionalInterface
    public interface Tap {
        void sent(InetSocketAddress from, InetSocketAddress to, byte[] datagram);
    }

    private final Map<InetSocketAddress, MemoryBind> bound = new ConcurrentHashMap<>();
    private final List<Tap> taps = new CopyOnWriteArrayList<>();
    private volatile Filter filter = (from, to, d) -> d;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private int nextEphemeral = 40000;

    /** A bind whose datagrams come from {@code host}. */
    public MemoryBind newBind(InetAddress host) {
        return new MemoryBind(this, host);
    }

    public void setFilter(Filter f) {
        this.filter = f == null ? (from, to, d) -> d : f;
    }

    public void addTap(Tap t) {
        taps.add(t);
    }

    synchronized int register(MemoryBind b, InetAddress host, int port) throws BindException {
        if (port == 0) {
            do {
                port = nextEphemeral++;
            } while (bound.containsKey(new InetSocketAddress(host, port)));
        }
        InetSocketAddress a = new InetSocketAddress(host, port);
        if (bound.putIfAbsent(a, b) != null) {
            throw new BindException("address already in use: " + a);
        }
        return port;
    }

    void unregister(InetSocketAddress a, MemoryBind b) {
        bound.remove(a, b);
    }

    void send(InetSocketAddress from, InetSocketAddress to, byte[] datagram) {
        for (Tap t : taps) {
            // The receiver decrypts in place: a tap gets its own copy of what was sent.
            t.sent(from, to, datagram.clone());
        }
        byte[] d = filter.apply(from, to, datagram);
        if (d == null) {
            return;
        }
        MemoryBind target = bound.get(Endpoint.of(to).address());
        if (target != null) {
            inFlight.incrementAndGet();
            if (!target.enqueue(from, d)) {
                inFlight.decrementAndGet();
            }
        }
    }

    /** A datagram was put straight into a bind's queue (a test injecting it). */
    void injected() {
        inFlight.incrementAndGet();
    }

    /** A datagram sent on the network has been fully handled by its receiver (or dropped). */
    void delivered(int n) {
        inFlight.addAndGet(-n);
    }

    /** True when every datagram sent has been handled by its receiver: tests wait for this. */
    public boolean idle() {
        return inFlight.get() == 0;
    }
}
