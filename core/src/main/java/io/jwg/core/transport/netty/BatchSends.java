// SPDX-License-Identifier: MIT
package io.jwg.core.transport.netty;

import io.jwg.core.transport.Endpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;

/**
 * How a {@link NettyBind} sends a batch of datagrams to one endpoint: cut into runs that
 * {@link UdpGso#runLength} allows, each run in one segmented sendmsg, and when the kernel refuses,
 * datagram by datagram ({@link LinuxCalls}). Decides when to give GSO up for good: at once on
 * EIO (an IPsec route; on older kernels also a device without checksum offload, which Linux
 * 6.18 segments in software instead, as tried with ethtool), ENOPROTOOPT or EOPNOTSUPP, or after
 * {@link #REFUSALS_BEFORE_GIVING_UP} refused runs in a row (EINVAL, EMSGSIZE: segments larger than
 * the route's MTU, a socket without checksums), and logs that once at DEBUG.
 *
 * <p>Thread-safety: {@link #send} may run on several threads at once (each has its own
 * {@link UdpGso} and {@link LinuxCalls}); the on/off state is volatile and the refusal count a
 * deliberately racy heuristic.
 */
final class BatchSends {
    /** Kernel refusals (EINVAL, EMSGSIZE) of segmented runs in a row after which GSO is given up. */
    static final int REFUSALS_BEFORE_GIVING_UP = 16;
    private static final System.Logger LOG = System.getLogger(BatchSends.class.getName());

    private final ThreadLocal<UdpGso> segmenters = ThreadLocal.withInitial(UdpGso::new);
    private final LongAdder drops;
    private volatile boolean enabled;
    /** Survives {@link #enable}: a route or kernel that refused segmentation for good stays refused. */
    private volatile boolean givenUp;
    private int refusals;

    /** @param drops where datagrams dropped on a full send buffer (EAGAIN) are counted */
    BatchSends(LongAdder drops) {
        this.drops = drops;
    }

    /** Turns GSO on (where supported here and not given up before) or off, for a new socket. */
    void enable(boolean wanted) {
        enabled = wanted && !givenUp && UdpGso.SUPPORTED
                && io.netty.channel.epoll.SegmentedDatagramPacket.isSupported();
    }

    boolean enabled() {
        return enabled;
    }

    /**
     * Sends {@code count} datagrams ({@code bufs[i][offs[i], offs[i]+lens[i])}) to {@code to} on
     * socket {@code fd}; stops at the first error that a single send reports. Allocates nothing.
     */
    void send(LinuxCalls calls, int fd, boolean dualStack, ByteBuffer[] bufs, int[] offs, int[] lens, int count,
            Endpoint to) throws IOException {
        UdpGso segmenter = segmenters.get();
        for (int i = 0; i < count;) {
            int n = UdpGso.runLength(lens, i, count);
            UdpGso.Result r = n > 1 && enabled
                    ? segmenter.send(fd, calls, dualStack, bufs, offs, lens, i, n, to)
                    : UdpGso.Result.REFUSED;
            switch (r) {
                case SENT -> refusals = 0;
                case DROPPED -> drops.add(n);
                case UNSUPPORTED -> {
                    giveUp(LinuxCalls.describe(segmenter.lastErrno()));
                    sendEach(calls, fd, dualStack, bufs, offs, lens, i, n, to);
                }
                case REFUSED -> {
                    if (n > 1 && ++refusals >= REFUSALS_BEFORE_GIVING_UP) {
                        giveUp(refusals + " segmented sends in a row refused");
                    }
                    sendEach(calls, fd, dualStack, bufs, offs, lens, i, n, to);
                }
                case FAILED -> sendEach(calls, fd, dualStack, bufs, offs, lens, i, n, to);
            }
            i += n;
        }
    }

    private void sendEach(LinuxCalls calls, int fd, boolean dualStack, ByteBuffer[] bufs, int[] offs, int[] lens,
            int start, int n, Endpoint to) throws IOException {
        for (int i = start; i < start + n; i++) {
            if (!calls.send(fd, dualStack, bufs[i], offs[i], lens[i], to)) {
                drops.increment();
            }
        }
    }

    private void giveUp(String why) {
        if (!givenUp) {
            givenUp = true;
            LOG.log(System.Logger.Level.DEBUG, "UDP GSO off for good, sending datagram by datagram: {0}", why);
        }
        enabled = false;
    }
}
