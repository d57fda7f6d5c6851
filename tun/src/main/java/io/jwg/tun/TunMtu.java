// SPDX-License-Identifier: MIT
package io.jwg.tun;

import java.util.function.LongSupplier;

/**
 * The MTU of a {@link LinuxTun}, cached: the user may change it at any time ({@code ip link set
 * mtu}), the data path asks for every packet, and asking the kernel costs three ioctls. So the
 * kernel is asked at most once per {@link #REFRESH_NANOS}; when it cannot tell (the interface
 * moved to another network namespace, where our name lookups cannot see it, or the device is
 * closed), the last known value stays.
 *
 * <p>Thread-safety: any thread may call {@link #get()}; a refresh happens under this object's
 * monitor, and readers of a fresh value take no lock.
 */
final class TunMtu {
    /** How long a value is trusted before the kernel is asked again. */
    static final long REFRESH_NANOS = 1_000_000_000L;

    private final int tunFd;
    private final int sockFd;
    private final int ifindex;
    private final DescriptorGuard guard;
    private final LongSupplier nanoClock;
    private final Ifreq ifreq = new Ifreq();
    private volatile int mtu;
    private volatile long checkedAt;

    TunMtu(int mtu, int tunFd, int sockFd, int ifindex, DescriptorGuard guard, LongSupplier nanoClock) {
        this.mtu = mtu;
        this.tunFd = tunFd;
        this.sockFd = sockFd;
        this.ifindex = ifindex;
        this.guard = guard;
        this.nanoClock = nanoClock;
        this.checkedAt = nanoClock.getAsLong();
    }

    int get() {
        if (nanoClock.getAsLong() - checkedAt < REFRESH_NANOS) {
            return mtu;
        }
        return refresh();
    }

    private synchronized int refresh() {
        long now = nanoClock.getAsLong();
        if (now - checkedAt < REFRESH_NANOS) {
            return mtu; // another thread just refreshed it
        }
        if (guard.enter()) {
            try {
                int current = query();
                if (current > 0) {
                    mtu = current;
                }
            } finally {
                guard.exit();
            }
        }
        checkedAt = now;
        return mtu;
    }

    /**
     * The kernel's MTU for our interface, or -1 when our namespace cannot see it. The name is
     * read from the descriptor (TUNGETIFF) rather than remembered, so a renamed interface is still
     * found; the index check makes sure an unrelated interface that took over the name in this
     * namespace (after ours moved away) is not mistaken for ours.
     */
    private int query() {
        if (!ifreq.ioctl(tunFd, LibC.TUNGETIFF)
                || !ifreq.ioctl(sockFd, LibC.SIOCGIFINDEX) || ifreq.intValue() != ifindex
                || !ifreq.ioctl(sockFd, LibC.SIOCGIFMTU)) {
            return -1;
        }
        return ifreq.intValue();
    }
}
