// SPDX-License-Identifier: MIT
package io.jwg.core.transport.netty;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Senders' addresses as {@link InetSocketAddress} objects, made from the raw sockaddr a receive
 * returned, without allocating for the senders seen recently: a tunnel's datagrams come from a
 * handful of endpoints, so a small cache keyed by the sockaddr's bytes returns the same object
 * again and again. IPv4 senders (AF_INET, or v4-mapped on a dual-stack socket) become
 * {@code Inet4Address}es, as Netty reports them and as the device's endpoints compare them.
 *
 * <p>Not thread-safe: one receive thread owns an instance.
 */
final class SourceAddresses {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    /** Entries; replaced round-robin, so a flood of spoofed sources costs one object per datagram. */
    static final int ENTRIES = 8;

    private final long[] high = new long[ENTRIES];
    private final long[] low = new long[ENTRIES];
    private final long[] portScope = new long[ENTRIES];
    private final InetSocketAddress[] addresses = new InetSocketAddress[ENTRIES];
    private int next;

    /**
     * The sender of the sockaddr at {@code sockaddr[off]} (native byte order for the family, as
     * the kernel wrote it), or {@code null} for a family other than IPv4/IPv6.
     */
    InetSocketAddress of(ByteBuffer sockaddr, int off) {
        int family = sockaddr.getShort(off) & 0xffff;
        int port = ((sockaddr.get(off + 2) & 0xff) << 8) | (sockaddr.get(off + 3) & 0xff);
        long hi, lo;
        int scope = 0;
        if (family == AF_INET) {
            hi = 0;
            lo = sockaddr.getInt(off + 4) & 0xffff_ffffL;
        } else if (family == AF_INET6) {
            hi = sockaddr.getLong(off + 8);
            lo = sockaddr.getLong(off + 16);
            scope = sockaddr.getInt(off + 24);
        } else {
            return null;
        }
        long ps = ((long) family << 48) | ((long) port << 32) | (scope & 0xffff_ffffL);
        for (int i = 0; i < ENTRIES; i++) {
            if (low[i] == lo && high[i] == hi && portScope[i] == ps && addresses[i] != null) {
                return addresses[i];
            }
        }
        InetSocketAddress made = make(sockaddr, off, family, port, scope);
        int slot = next;
        next = (next + 1) % ENTRIES;
        high[slot] = hi;
        low[slot] = lo;
        portScope[slot] = ps;
        addresses[slot] = made;
        return made;
    }

    private static InetSocketAddress make(ByteBuffer sockaddr, int off, int family, int port, int scope) {
        byte[] bytes;
        if (family == AF_INET) {
            bytes = new byte[4];
            sockaddr.get(off + 4, bytes);
        } else if (isV4Mapped(sockaddr, off + 8)) {
            bytes = new byte[4];
            sockaddr.get(off + 8 + 12, bytes);
        } else {
            bytes = new byte[16];
            sockaddr.get(off + 8, bytes);
        }
        try {
            InetAddress address = bytes.length == 16 && scope != 0
                    ? Inet6Address.getByAddress(null, bytes, scope)
                    : InetAddress.getByAddress(bytes);
            return new InetSocketAddress(address, port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // only for a length other than 4 or 16
        }
    }

    private static boolean isV4Mapped(ByteBuffer sockaddr, int addr) {
        for (int i = 0; i < 10; i++) {
            if (sockaddr.get(addr + i) != 0) {
                return false;
            }
        }
        return sockaddr.get(addr + 10) == (byte) 0xff && sockaddr.get(addr + 11) == (byte) 0xff;
    }
}
