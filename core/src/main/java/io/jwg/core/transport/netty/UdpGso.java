// SPDX-License-Identifier: MIT
package io.jwg.core.transport.netty;

import com.sun.jna.Native;
import io.jwg.core.transport.Endpoint;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * UDP generic segmentation offload on send (udp(7) {@code UDP_SEGMENT}, Linux 4.18+): one
 * sendmsg(2) hands the kernel several datagrams for the same destination as one buffer, with a
 * {@code SOL_UDP/UDP_SEGMENT} control message giving the segment size; the kernel (or the NIC)
 * cuts it back into datagrams of that size, the last one possibly shorter. One system call and
 * one trip down the stack replace one per datagram.
 *
 * <p>The datagrams need not be contiguous: the message's iovecs point at each one where it lies
 * (the kernel concatenates them before cutting). {@link #runLength} picks how many consecutive
 * datagrams can share one call: equal lengths except a shorter last one, at most
 * {@link #MAX_SEGMENTS}, at most {@link #MAX_PAYLOAD} bytes in all.
 *
 * <p>The msghdr, iovecs and control message live in native memory allocated once per instance;
 * a call allocates nothing. Not thread-safe: each sending thread owns one instance (a
 * thread-local of the bind). Only on 64-bit Linux ({@link LinuxCalls#SUPPORTED}); the layouts
 * below are x86_64/aarch64 glibc's.
 */
final class UdpGso {
    /** What one {@link #send} did; no allocation, no exception on the data path. */
    enum Result {
        /** The kernel took every datagram of the run. */
        SENT,
        /** The socket's send buffer was full (EAGAIN): the run was dropped, like a router's queue overflowing. */
        DROPPED,
        /** This run cannot go out segmented (too large for the route's MTU, a heap buffer): send it datagram by datagram. */
        REFUSED,
        /** The route or kernel cannot segment at all (IPsec, no checksum offload on old kernels): stop using GSO. */
        UNSUPPORTED,
        /** Another error (unreachable network, ...): the caller sends datagram by datagram and reports what that says. */
        FAILED
    }

    static final boolean SUPPORTED = LinuxCalls.SUPPORTED && LinuxCalls.registerLibc(UdpGso.class);

    /**
     * Segments per call. The kernel's UDP_MAX_SEGMENTS is 64 through Linux 6.x's early releases
     * and 128 since; 64 works on every kernel with UDP_SEGMENT and already covers a 64 KiB
     * TCP segment cut to the tunnel MTU (about 45 datagrams).
     */
    static final int MAX_SEGMENTS = 64;
    /** The largest UDP payload over IPv4 (65535 - 20 IP - 8 UDP), which also bounds IPv6 here. */
    static final int MAX_PAYLOAD = 65507;

    private static final int SOL_UDP = 17;
    private static final int UDP_SEGMENT = 103;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int EINTR = 4;
    private static final int EIO = 5;
    private static final int EAGAIN = 11;
    private static final int EINVAL = 22;
    private static final int EMSGSIZE = 90;
    private static final int ENOPROTOOPT = 92;
    private static final int EOPNOTSUPP = 95;

    // struct msghdr (56 bytes), then MAX_SEGMENTS struct iovec (16 bytes each), then one cmsghdr
    // (16 bytes) with a u16 segment size, padded to CMSG_SPACE(2) = 24.
    private static final int MSG_NAME = 0;
    private static final int MSG_NAMELEN = 8;
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int MSG_CONTROL = 32;
    private static final int MSG_CONTROLLEN = 40;
    private static final int MSGHDR_SIZE = 56;
    private static final int IOVEC_SIZE = 16;
    private static final int CMSG_LEN_U16 = 16 + 2;
    private static final int CMSG_SPACE_U16 = 24;
    private static final int IOV_OFFSET = MSGHDR_SIZE;
    private static final int CMSG_OFFSET = IOV_OFFSET + MAX_SEGMENTS * IOVEC_SIZE;

    private final ByteBuffer mem = ByteBuffer.allocateDirect(CMSG_OFFSET + CMSG_SPACE_U16).order(ByteOrder.nativeOrder());
    private final long memAddress = LinuxCalls.addressOfDirect(mem);
    /** errno of the last {@link Result#FAILED} or {@link Result#UNSUPPORTED} call. */
    private int lastErrno;

    UdpGso() {
        mem.putLong(MSG_IOV, memAddress + IOV_OFFSET);
        mem.putLong(MSG_CONTROL, memAddress + CMSG_OFFSET);
        mem.putLong(MSG_CONTROLLEN, CMSG_SPACE_U16);
        mem.putLong(CMSG_OFFSET, CMSG_LEN_U16);
        mem.putInt(CMSG_OFFSET + 8, SOL_UDP);
        mem.putInt(CMSG_OFFSET + 12, UDP_SEGMENT);
    }


    /**
     * How many datagrams from {@code start} (of {@code count}) one segmented send can carry: all
     * as long as the first, except that a shorter one may end the run; at most
     * {@link #MAX_SEGMENTS} and {@link #MAX_PAYLOAD} bytes. At least 1.
     */
    static int runLength(int[] lens, int start, int count) {
        int size = lens[start];
        int total = size;
        int n = 1;
        while (start + n < count && n < MAX_SEGMENTS) {
            int len = lens[start + n];
            if (len > size || total + len > MAX_PAYLOAD) {
                break;
            }
            total += len;
            n++;
            if (len < size) {
                break; // a shorter datagram can only be the last segment
            }
        }
        return n;
    }

    /**
     * Sends datagrams {@code [start, start+n)} (a run from {@link #runLength}, n at least 2,
     * direct buffers) to {@code to} in one segmented sendmsg on socket {@code fd}.
     */
    Result send(int fd, LinuxCalls calls, boolean dualStack, ByteBuffer[] bufs, int[] offs, int[] lens,
            int start, int n, Endpoint to) {
        for (int i = 0; i < n; i++) {
            ByteBuffer b = bufs[start + i];
            if (!b.isDirect()) {
                return Result.REFUSED;
            }
            int iov = IOV_OFFSET + i * IOVEC_SIZE;
            mem.putLong(iov, calls.addressOf(b) + offs[start + i]);
            mem.putLong(iov + 8, lens[start + i]);
        }
        mem.putLong(MSG_NAME, calls.sockaddr(to, dualStack));
        mem.putInt(MSG_NAMELEN, calls.sockaddrLength());
        mem.putLong(MSG_IOVLEN, n);
        mem.putShort(CMSG_OFFSET + 16, (short) lens[start]);
        for (;;) {
            long sent = sendmsg(fd, memAddress, MSG_DONTWAIT);
            if (sent >= 0) {
                return Result.SENT; // UDP takes a message whole or not at all: never a partial send
            }
            int err = Native.getLastError();
            switch (err) {
                case EINTR:
                    continue;
                case EAGAIN:
                    return Result.DROPPED;
                case EINVAL:
                case EMSGSIZE:
                    return Result.REFUSED;
                case EIO:
                case ENOPROTOOPT:
                case EOPNOTSUPP:
                    lastErrno = err;
                    return Result.UNSUPPORTED;
                default:
                    lastErrno = err;
                    return Result.FAILED;
            }
        }
    }

    /** The errno behind the last UNSUPPORTED or FAILED result. */
    int lastErrno() {
        return lastErrno;
    }

    private static native long sendmsg(int fd, long msg, int flags);
}
