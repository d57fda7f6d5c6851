// SPDX-License-Identifier: MIT
package io.jwg.cli.scenarios;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import io.jwg.core.testing.InNamespace;
import io.jwg.core.testing.Netns;
import io.jwg.core.testing.Pcap;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A packet capture inside a namespace without tcpdump: an {@code AF_PACKET} socket (packet(7),
 * {@code SOCK_DGRAM}, all protocols) opened in the namespace, optionally bound to one interface,
 * read by a background thread until {@link #close()}. It sees IPv4 and IPv6 packets in both
 * directions, link headers removed; {@link #packets()} returns them and {@link Packet#udp()}
 * decodes UDP with {@link Pcap}. {@link #writePcap} saves them for Wireshark. Needs root.
 * Thread-safe.
 */
public final class PacketCapture implements AutoCloseable {
    private static final int AF_PACKET = 17;
    private static final int SOCK_DGRAM = 2;
    private static final int ETH_P_ALL_BE = 0x0300; // htons(ETH_P_ALL = 3)
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int PACKET_OUTGOING = 4;
    private static final int SOCKADDR_LL_SIZE = 20;

    private interface LibC extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        int bind(int fd, byte[] addr, int len) throws LastErrorException;

        int setsockopt(int fd, int level, int name, Memory value, int len) throws LastErrorException;

        long recvfrom(int fd, byte[] buf, long len, int flags, byte[] addr, IntByReference addrLen)
                throws LastErrorException;

        int if_nametoindex(String name);

        int close(int fd) throws LastErrorException;
    }

    private static final class Holder {
        static final LibC LIBC = Native.load("c", LibC.class);
    }

    /**
     * One captured IP packet.
     *
     * @param time when it was read
     * @param outgoing sent by this namespace (rather than received)
     * @param ifindex the interface it passed
     * @param ip the IP packet, from its IP header on
     */
    public record Packet(Instant time, boolean outgoing, int ifindex, byte[] ip) {
        public int version() {
            return ip.length == 0 ? 0 : (ip[0] & 0xff) >>> 4;
        }

        public InetAddress source() {
            return address(version() == 4 ? 12 : 8);
        }

        public InetAddress destination() {
            return address(version() == 4 ? 16 : 24);
        }

        /** The IP protocol (IPv4) or first next-header (IPv6). */
        public int protocol() {
            return version() == 4 ? ip[9] & 0xff : ip[6] & 0xff;
        }

        /** The packet as a UDP datagram, when it is one. */
        public Optional<Pcap.UdpDatagram> udp() {
            try {
                List<Pcap.UdpDatagram> d = Pcap.parse(pcapFile(List.of(this))).udpDatagrams();
                return d.isEmpty() ? Optional.empty() : Optional.of(d.get(0));
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        private InetAddress address(int at) {
            int len = version() == 4 ? 4 : 16;
            try {
                return InetAddress.getByAddress(Arrays.copyOfRange(ip, at, at + len));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String toString() {
            String what = udp().map(Pcap.UdpDatagram::toString)
                    .orElse(source().getHostAddress() + " -> " + destination().getHostAddress() + " proto "
                            + protocol() + " (" + ip.length + " bytes)");
            return (outgoing ? "out " : "in  ") + what;
        }
    }

    private final String where;
    private final int fd;
    private final List<Packet> packets = new ArrayList<>();
    private final Thread reader;
    private volatile boolean closed;

    private PacketCapture(String where, int fd) {
        this.where = where;
        this.fd = fd;
        this.reader = Thread.ofPlatform().daemon().name("capture-" + where).start(this::read);
    }

    /** Captures every IP packet on every interface of {@code netns}. */
    public static PacketCapture start(Netns netns) {
        return start(netns, null);
    }

    /** Captures every IP packet on interface {@code ifname} of {@code netns} (all interfaces when null). */
    public static PacketCapture start(Netns netns, String ifname) {
        try {
            int fd = InNamespace.call(netns, () -> open(ifname));
            return new PacketCapture(netns.name() + (ifname == null ? "" : ":" + ifname), fd);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot capture in " + netns.name(), e);
        }
    }

    private static int open(String ifname) {
        int fd = Holder.LIBC.socket(AF_PACKET, SOCK_DGRAM, ETH_P_ALL_BE);
        try {
            try (Memory tv = new Memory(16)) {
                tv.setLong(0, 0);
                tv.setLong(8, 50_000); // 50 ms, so close() is noticed promptly
                Holder.LIBC.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, 16);
            }
            if (ifname != null) {
                int index = Holder.LIBC.if_nametoindex(ifname);
                if (index == 0) {
                    throw new IllegalArgumentException("no interface " + ifname);
                }
                ByteBuffer sll = ByteBuffer.allocate(SOCKADDR_LL_SIZE).order(ByteOrder.nativeOrder());
                sll.putShort(0, (short) AF_PACKET);
                sll.order(ByteOrder.BIG_ENDIAN).putShort(2, (short) 3); // ETH_P_ALL, network order
                sll.order(ByteOrder.nativeOrder()).putInt(4, index);
                Holder.LIBC.bind(fd, sll.array(), SOCKADDR_LL_SIZE);
            }
            return fd;
        } catch (RuntimeException e) {
            Holder.LIBC.close(fd);
            throw e;
        }
    }

    private void read() {
        byte[] buf = new byte[65536];
        byte[] addr = new byte[SOCKADDR_LL_SIZE];
        while (!closed) {
            long n;
            IntByReference len = new IntByReference(SOCKADDR_LL_SIZE);
            try {
                n = Holder.LIBC.recvfrom(fd, buf, buf.length, 0, addr, len);
            } catch (LastErrorException e) {
                continue; // EAGAIN on the timeout, or EINTR
            }
            ByteBuffer sll = ByteBuffer.wrap(addr);
            int protocol = sll.order(ByteOrder.BIG_ENDIAN).getShort(2) & 0xffff;
            if (n <= 0 || (protocol != 0x0800 && protocol != 0x86dd)) {
                continue;
            }
            int ifindex = sll.order(ByteOrder.nativeOrder()).getInt(4);
            boolean outgoing = (addr[10] & 0xff) == PACKET_OUTGOING;
            Packet p = new Packet(Instant.now(), outgoing, ifindex, Arrays.copyOf(buf, (int) n));
            synchronized (packets) {
                packets.add(p);
            }
        }
    }

    /** The IP packets captured so far, in order. */
    public List<Packet> packets() {
        synchronized (packets) {
            return List.copyOf(packets);
        }
    }

    /** The UDP datagrams captured so far, in order. */
    public List<Pcap.UdpDatagram> udp() {
        return packets().stream().flatMap(p -> p.udp().stream()).toList();
    }

    /** Forgets what was captured so far. */
    public void clear() {
        synchronized (packets) {
            packets.clear();
        }
    }

    /** Writes the packets captured so far as a classic pcap file (LINKTYPE_RAW). */
    public void writePcap(Path file) throws IOException {
        Files.write(file, pcapFile(packets()));
    }

    private static byte[] pcapFile(List<Packet> list) {
        int size = 24 + list.stream().mapToInt(p -> 16 + p.ip.length).sum();
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b23c4d).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65536)
                .putInt(Pcap.LINKTYPE_RAW);
        for (Packet p : list) {
            b.putInt((int) p.time.getEpochSecond()).putInt(p.time.getNano()).putInt(p.ip.length)
                    .putInt(p.ip.length).put(p.ip);
        }
        return b.array();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Holder.LIBC.close(fd);
    }

    @Override
    public String toString() {
        return "capture " + where;
    }
}
