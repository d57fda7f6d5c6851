// SPDX-License-Identifier: MIT
package io.jwg.core;

import io.jwg.core.transport.MemoryNetwork;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts what crosses a memory network, by sender host, message type and size. */
final class NetworkCounter implements MemoryNetwork.Tap {
    private final AtomicInteger[][] byHostAndType = new AtomicInteger[256][5];
    private final AtomicInteger[] keepalives = new AtomicInteger[256];

    NetworkCounter() {
        for (int h = 0; h < 256; h++) {
            keepalives[h] = new AtomicInteger();
            for (int t = 0; t < 5; t++) {
                byHostAndType[h][t] = new AtomicInteger();
            }
        }
    }

    @Override
    public void sent(InetSocketAddress from, InetSocketAddress to, byte[] d) {
        int host = from.getAddress().getAddress()[from.getAddress().getAddress().length - 1] & 0xff;
        int type = d.length > 0 && d[0] >= 1 && d[0] <= 4 ? d[0] : 0;
        byHostAndType[host][type].incrementAndGet();
        if (type == 4 && d.length == 32) {
            keepalives[host].incrementAndGet();
        }
    }

    int count(InetAddress from, int type) {
        return byHostAndType[last(from)][type].get();
    }

    int keepalives(InetAddress from) {
        return keepalives[last(from)].get();
    }

    int total(InetAddress from) {
        int n = 0;
        for (int t = 0; t < 5; t++) {
            n += byHostAndType[last(from)][t].get();
        }
        return n;
    }

    private static int last(InetAddress a) {
        byte[] b = a.getAddress();
        return b[b.length - 1] & 0xff;
    }
}
