// SPDX-License-Identifier: MIT
package io.jwg.core.transport.netty;

import com.sun.jna.Native;
import io.jwg.core.transport.DatagramReceiver;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The UDP socket's receive side on one thread of its own, without Netty (wireguard-go's
 * {@code receiveIP} with recvmmsg): poll(2) until the socket is readable, then recvmmsg(2) of up to
 * {@link #SLOTS} datagrams into fixed native slots, each with its sender's sockaddr and, with
 * UDP_GRO, the segment size that cuts a coalesced read back into datagrams; every recvmmsg is one
 * {@link DatagramReceiver} batch. Netty's own read path creates a {@code DatagramPacket}, an
 * {@code InetSocketAddress} and buffer objects for every datagram (about 320 bytes each, measured
 * with benchmarks/alloc.sh) and reads coalesced datagrams only one recvmsg at a time; here the
 * steady state allocates nothing (senders' addresses come from {@link SourceAddresses}) and GRO and
 * recvmmsg work together.
 *
 * <p>Lifecycle: {@link #start} on an open, bound socket whose Netty channel does not read
 * (autoRead off); {@link #stop} wakes the thread through an eventfd and waits for it, and must
 * return before the socket's fd is closed, so the thread never reads a reused descriptor.
 *
 * <p>Memory: the slots take {@link #SLOTS} x 64 KiB of native memory, resident only as far as
 * datagrams have filled them.
 */
final class RecvmmsgLoop {
    /** True on 64-bit Linux where the libc calls bind (the struct layouts below are x86-64/arm64). */
    static final boolean SUPPORTED = LinuxCalls.SUPPORTED && LinuxCalls.registerLibc(RecvmmsgLoop.class);

    /** Datagrams (or coalesced reads of up to 64 datagrams) per recvmmsg. */
    static final int SLOTS = 16;
    private static final int SLOT_SIZE = 1 << 16;
    private static final int MMSGHDR = 64;
    private static final int IOVEC = 16;
    private static final int NAME = 32;
    private static final int CONTROL = 32;
    private static final int POLLFD = 8;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_TRUNC = 0x20;
    private static final int SOL_UDP = 17;
    private static final int UDP_GRO = 104;
    private static final short POLLIN = 0x1;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int EBADF = 9;
    private static final int ENOTSOCK = 88;
    private static final int EFD_CLOEXEC = 0x80000;
    private static final long JOIN_MILLIS = 2000;
    private static final System.Logger LOG = System.getLogger(RecvmmsgLoop.class.getName());

    private final int fd;
    private final int wakeFd;
    private final DatagramReceiver receiver;
    private final LongAdder receiverFailures;
    private final LongAdder readErrors;
    private final LongAdder truncated;
    private final ByteBuffer data = ByteBuffer.allocateDirect(SLOTS * SLOT_SIZE);
    private final ByteBuffer meta = ByteBuffer.allocateDirect(SLOTS * (MMSGHDR + IOVEC + NAME + CONTROL) + 2 * POLLFD)
            .order(ByteOrder.nativeOrder());
    private final long metaAddress = LinuxCalls.addressOfDirect(meta);
    private final int names = SLOTS * (MMSGHDR + IOVEC);
    private final int controls = names + SLOTS * NAME;
    private final int pollfds = controls + SLOTS * CONTROL;
    private final SourceAddresses sources = new SourceAddresses();
    private final Thread thread;
    private volatile boolean stopping;

    private RecvmmsgLoop(int fd, int wakeFd, DatagramReceiver receiver, LongAdder receiverFailures,
            LongAdder readErrors, LongAdder truncated) {
        this.fd = fd;
        this.wakeFd = wakeFd;
        this.receiver = receiver;
        this.receiverFailures = receiverFailures;
        this.readErrors = readErrors;
        this.truncated = truncated;
        long dataAddress = LinuxCalls.addressOfDirect(data);
        for (int i = 0; i < SLOTS; i++) {
            int hdr = i * MMSGHDR;
            int iov = SLOTS * MMSGHDR + i * IOVEC;
            meta.putLong(iov, dataAddress + (long) i * SLOT_SIZE);
            meta.putLong(iov + 8, SLOT_SIZE - 1); // 65535: no UDP payload is larger
            meta.putLong(hdr, metaAddress + names + i * NAME); // msg_name
            meta.putLong(hdr + 16, metaAddress + iov); // msg_iov
            meta.putLong(hdr + 24, 1); // msg_iovlen
            meta.putLong(hdr + 32, metaAddress + controls + i * CONTROL); // msg_control
        }
        meta.putInt(pollfds, fd).putShort(pollfds + 4, POLLIN);
        meta.putInt(pollfds + POLLFD, wakeFd).putShort(pollfds + POLLFD + 4, POLLIN);
        thread = new Thread(this::run, "jwg-udp-receive");
        thread.setDaemon(true);
    }

    /** Starts reading socket {@code fd}; the caller's Netty channel must not read it. */
    static RecvmmsgLoop start(int fd, DatagramReceiver receiver, LongAdder receiverFailures, LongAdder readErrors,
            LongAdder truncated) {
        int wake = eventfd(0, EFD_CLOEXEC);
        if (wake < 0) {
            throw new IllegalStateException("eventfd failed: " + LinuxCalls.describe(Native.getLastError()));
        }
        RecvmmsgLoop loop = new RecvmmsgLoop(fd, wake, receiver, receiverFailures, readErrors, truncated);
        loop.thread.start();
        return loop;
    }

    /** Wakes the thread and waits until it has left the socket alone. */
    void stop() {
        stopping = true;
        ByteBuffer one = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder()).putLong(0, 1);
        write(wakeFd, LinuxCalls.addressOfDirect(one), 8);
        boolean interrupted = false;
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (thread.isAlive()) {
            LOG.log(System.Logger.Level.WARNING, "UDP receive thread did not stop within {0} ms", JOIN_MILLIS);
        } else {
            close(wakeFd);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        int errorsInARow = 0;
        try {
            while (!stopping) {
                for (int i = 0; i < SLOTS; i++) {
                    int hdr = i * MMSGHDR;
                    meta.putInt(hdr + 8, NAME); // msg_namelen
                    meta.putLong(hdr + 40, CONTROL); // msg_controllen
                    meta.putInt(hdr + 48, 0); // msg_flags
                }
                int n = recvmmsg(fd, metaAddress, SLOTS, MSG_DONTWAIT, 0);
                if (n > 0) {
                    errorsInARow = 0;
                    deliver(n);
                    continue;
                }
                int err = n == 0 ? EAGAIN : Native.getLastError();
                if (err == EAGAIN || err == EINTR) {
                    waitReadable(-1);
                } else if (err == EBADF || err == ENOTSOCK) {
                    return; // closed under us: only possible if stop was not called first
                } else {
                    // A pending socket error (an ICMP error, say) is reported once; anything that
                    // persists is retried at most a hundred times a second.
                    readErrors.increment();
                    if (readErrors.sum() == 1) {
                        LOG.log(System.Logger.Level.WARNING, "recvmmsg failed: {0}; the socket stays open",
                                LinuxCalls.describe(err));
                    }
                    if (++errorsInARow > 1) {
                        waitReadable(10);
                    }
                }
            }
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "UDP receive thread failed; no more datagrams are received", t);
            throw t;
        }
    }

    private void waitReadable(int timeoutMillis) {
        meta.putShort(pollfds + 6, (short) 0).putShort(pollfds + POLLFD + 6, (short) 0);
        poll(metaAddress + pollfds, 2, timeoutMillis); // EINTR or readiness: the loop reads again
    }

    /** Hands the {@code n} messages of one recvmmsg to the receiver as one batch. */
    private void deliver(int n) {
        for (int i = 0; i < n; i++) {
            int hdr = i * MMSGHDR;
            int len = meta.getInt(hdr + 56);
            if ((meta.getInt(hdr + 48) & MSG_TRUNC) != 0) {
                truncated.increment(); // cannot happen with 64 KiB slots; never deliver a part
                continue;
            }
            var source = sources.of(meta, names + i * NAME);
            if (source == null) {
                continue; // not an IPv4/IPv6 sender
            }
            int segment = groSegmentSize(hdr, i);
            int base = i * SLOT_SIZE;
            if (segment <= 0 || segment >= len) {
                receive(base, len, source);
            } else {
                for (int off = 0; off < len; off += segment) {
                    receive(base + off, Math.min(segment, len - off), source);
                }
            }
        }
        try {
            receiver.endOfBatch();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void receive(int off, int len, java.net.InetSocketAddress source) {
        try {
            receiver.receive(data, off, len, source);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** The UDP_GRO control message's segment size, or 0 when the read is one datagram. */
    private int groSegmentSize(int hdr, int i) {
        long controlLen = meta.getLong(hdr + 40);
        int base = controls + i * CONTROL;
        for (int c = 0; c + 16 <= controlLen;) {
            long cmsgLen = meta.getLong(base + c);
            if (cmsgLen < 16 || c + cmsgLen > controlLen) {
                return 0;
            }
            if (meta.getInt(base + c + 8) == SOL_UDP && meta.getInt(base + c + 12) == UDP_GRO && cmsgLen >= 20) {
                return meta.getInt(base + c + 16);
            }
            c += (int) ((cmsgLen + 7) & ~7L);
        }
        return 0;
    }

    private void failed(RuntimeException e) {
        receiverFailures.increment();
        if (receiverFailures.sum() == 1) {
            LOG.log(System.Logger.Level.WARNING, "datagram receiver threw; dropping the datagram and continuing", e);
        }
    }


    private static native int recvmmsg(int fd, long msgvec, int vlen, int flags, long timeout);

    private static native int poll(long fds, long nfds, int timeout);

    private static native int eventfd(int initval, int flags);

    private static native long write(int fd, long buf, long count);

    private static native int close(int fd);
}
