// SPDX-License-Identifier: MIT
package io.jwg.tun;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Test shorthand: builds IPv4/IPv6 TCP segments with correct checksums, field by field. */
final class TcpPackets {
    boolean v6;
    boolean dontFragment = true;
    int id = 0x1234;
    int ttl = 64;
    int tos;
    int srcPort = 40000;
    int dstPort = 5201;
    int ack = 0x01020304;
    int window = 502;
    /** TCP options, a multiple of 4 bytes (e.g. a timestamp option). */
    byte[] options = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2};

    TcpPackets(boolean v6) {
        this.v6 = v6;
    }

    int headerLength() {
        return (v6 ? 40 : 20) + 20 + options.length;
    }

    /** A segment in a fresh direct buffer of {@code room} bytes, at {@code off}, in {@code order}. */
    ByteBuffer segment(int seq, int flags, byte[] payload, int off, ByteOrder order) {
        int ipl = v6 ? 40 : 20;
        int tcpl = 20 + options.length;
        int total = ipl + tcpl + payload.length;
        ByteBuffer b = ByteBuffer.allocateDirect(off + total + 64).order(order);
        int o = off;
        if (v6) {
            b.put(o, (byte) 0x60);
            IpFields.putU16(b, o + 4, tcpl + payload.length);
            b.put(o + 6, (byte) 6).put(o + 7, (byte) ttl);
            for (int i = 0; i < 16; i++) {
                b.put(o + 8 + i, (byte) (i == 0 ? 0xfd : i == 15 ? 1 : 0));
                b.put(o + 24 + i, (byte) (i == 0 ? 0xfd : i == 15 ? 2 : 0));
            }
        } else {
            b.put(o, (byte) 0x45).put(o + 1, (byte) tos);
            IpFields.putU16(b, o + 2, total);
            IpFields.putU16(b, o + 4, id);
            IpFields.putU16(b, o + 6, dontFragment ? IpFields.IPV4_DONT_FRAGMENT : 0);
            b.put(o + 8, (byte) ttl).put(o + 9, (byte) 6);
            IpFields.putI32(b, o + 12, 0x0a000001);
            IpFields.putI32(b, o + 16, 0x0a000002);
            IpFields.putU16(b, o + 10, Checksums.ipv4Header(b, o));
        }
        int t = o + ipl;
        IpFields.putU16(b, t, srcPort);
        IpFields.putU16(b, t + 2, dstPort);
        IpFields.putI32(b, t + 4, seq);
        IpFields.putI32(b, t + 8, ack);
        b.put(t + 12, (byte) ((tcpl / 4) << 4)).put(t + 13, (byte) flags);
        IpFields.putU16(b, t + 14, window);
        b.put(t + 20, options);
        b.put(t + tcpl, payload);
        int l4 = tcpl + payload.length;
        int sum = Checksums.fold((long) Checksums.pseudoHeader(b, o, 6, l4) + Checksums.sum(b, t, l4));
        IpFields.putU16(b, t + 16, Checksums.complement(sum));
        return b.clear();
    }

    static byte[] bytes(ByteBuffer b, int off, int len) {
        byte[] out = new byte[len];
        b.get(off, out);
        return out;
    }
}
