// SPDX-License-Identifier: MIT
package io.jwg.tun;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.function.LongSupplier;

/**
 * A Linux TUN interface ({@code /dev/net/tun}, Documentation/networking/tuntap.rst) carrying bare
 * IP packets ({@code IFF_TUN | IFF_NO_PI}), the way wireguard-go's {@code tun.CreateTUN} does, by
 * default with TSO/GRO offloads ({@code IFF_VNET_HDR}, {@link TunOffload}).
 *
 * <p>{@link #create} opens the clone device, asks for the interface with {@code TUNSETIFF} (the
 * name may be a pattern such as {@code "jwg%d"}; {@link #name()} is what the kernel chose) and sets
 * its MTU. It does not bring the link up: wg-quick does {@code ip link set up} itself. The interface
 * lives as long as this object is open; closing it (or the process dying) deletes it, unless an
 * administrator made it persistent beforehand ({@code ip tuntap add mode tun NAME}): then create
 * attaches to it and close leaves it in place.
 *
 * <p>The file descriptor is non-blocking. {@link #read} tries {@code read(2)} first and only on
 * {@code EAGAIN} sleeps in {@code poll(2)} on the TUN descriptor and an eventfd; {@link #close}
 * signals that eventfd, which is how a reader blocked in the kernel is released. Without offloads
 * packets move straight between the kernel and the caller's direct buffers (heap buffers go through
 * a private copy); with them a read lands in a private 64 KiB buffer and its segments are cut into
 * the caller's, and writes hand the caller's payloads to writev(2) in place. Nothing is allocated
 * per packet.
 *
 * <p>Lifecycle, as wireguard-go does it: when the interface is deleted from under us
 * ({@code ip link del NAME}) the kernel detaches the descriptor and answers {@code EBADFD}; read and
 * write then throw {@link TunClosedException}, which tells the daemon to exit. Moving the interface
 * to another network namespace ({@code ip link set NAME netns X}) keeps the descriptor working.
 *
 * <p>Thread-safety: as {@link Tun} describes (one reader, one writer, concurrently; {@link #mtu()}
 * and {@link #close()} from any thread). A {@link DescriptorGuard} makes sure no descriptor is
 * closed while an operation uses it, so a recycled descriptor number is never touched by mistake.
 */
public final class LinuxTun implements Tun {

    /** The TUN clone device. */
    static final String CLONE_DEVICE = "/dev/net/tun";

    /** Longest interface name Linux accepts, in bytes (IFNAMSIZ minus the terminating NUL). */
    public static final int MAX_NAME_BYTES = TunSetIff.MAX_NAME_BYTES;

    /** MTU bounds of a Linux TUN interface (drivers/net/tun.c: MIN_MTU, MAX_MTU). */
    public static final int MIN_MTU = 68;
    public static final int MAX_MTU = 65535;

    /** How long {@link #mtu()} trusts its cached value before asking the kernel again. */
    static final long MTU_REFRESH_NANOS = TunMtu.REFRESH_NANOS;

    /** Size of the bounce buffers used for heap buffers: the largest IP packet. */
    private static final int MAX_PACKET_SIZE = 65535;

    private final String name;
    private final int tunFd;
    private final int wakeFd;
    private final int sockFd;
    /** The offload path, or null when the descriptor carries bare packets. */
    private final TunOffload offload;

    private final DescriptorGuard guard = new DescriptorGuard(this::closeDescriptors);

    // Owned by the reading thread.
    private final DirectAddresses readAddresses = new DirectAddresses();
    private final ByteBuffer readBounce = ByteBuffer.allocateDirect(MAX_PACKET_SIZE);
    private final long readBounceAddress = LibC.address(readBounce);
    private final ByteBuffer pollFds =
            ByteBuffer.allocateDirect(2 * LibC.POLLFD_SIZE).order(ByteOrder.nativeOrder());
    private final long pollFdsAddress = LibC.address(pollFds);

    // Owned by the writing thread.
    private final DirectAddresses writeAddresses = new DirectAddresses();
    private final ByteBuffer writeBounce = ByteBuffer.allocateDirect(MAX_PACKET_SIZE);
    private final long writeBounceAddress = LibC.address(writeBounce);
    private volatile long droppedWrites;
    private volatile int lastWriteErrno;

    /** The MTU, cached (see {@link TunMtu}). */
    private final TunMtu mtu;

    private LinuxTun(String name, int ifindex, int mtu, int tunFd, int wakeFd, int sockFd,
                     LongSupplier nanoClock, TunOffload offload) {
        this.offload = offload;
        this.name = name;
        this.mtu = new TunMtu(mtu, tunFd, sockFd, ifindex, guard, nanoClock);
        this.tunFd = tunFd;
        this.wakeFd = wakeFd;
        this.sockFd = sockFd;
        pollFds.putInt(0, tunFd).putShort(LibC.POLLFD_EVENTS, LibC.POLLIN);
        pollFds.putInt(LibC.POLLFD_SIZE, wakeFd)
                .putShort(LibC.POLLFD_SIZE + LibC.POLLFD_EVENTS, LibC.POLLIN);
    }

    /**
     * Creates the TUN interface {@code name} (or the first free name matching a pattern such as
     * {@code "jwg%d"}; the empty name lets the kernel pick {@code tunN}) with the given MTU, left
     * down.
     *
     * @throws IllegalArgumentException the name is longer than {@value #MAX_NAME_BYTES} bytes or
     *         contains '/', ':' or whitespace, or the MTU is outside [68, 65535]
     * @throws IOException with a message fit for the user when the kernel refuses, e.g. the name
     *         is taken by another interface or process, or the process lacks CAP_NET_ADMIN
     */
    public static LinuxTun create(String name, int mtu) throws IOException {
        return create(name, mtu, true);
    }

    /**
     * As {@link #create(String, int)}, choosing whether to use offloads.
     *
     * @param offloads open the descriptor with {@code IFF_VNET_HDR} and let the kernel hand us TCP
     *        packets of up to 64 KiB and partial checksums ({@code TUNSETOFFLOAD}), and give it
     *        coalesced TCP segments on write ({@link TunOffload}): far fewer system calls and
     *        trips through the kernel's stack per byte. {@link #batchSize()} is then
     *        {@value TunOffload#BATCH}. Without: one bare packet per read and write.
     */
    public static LinuxTun create(String name, int mtu, boolean offloads) throws IOException {
        return create(name, mtu, offloads, System::nanoTime);
    }

    /** As {@link #create(String, int, boolean)}, with the clock used by the MTU cache injected (tests). */
    static LinuxTun create(String name, int mtu, boolean offloads, LongSupplier nanoClock)
            throws IOException {
        byte[] nameBytes = TunSetIff.validName(name);
        if (mtu < MIN_MTU || mtu > MAX_MTU) {
            throw new IllegalArgumentException(
                    "MTU " + mtu + " is outside the range a TUN interface accepts ["
                            + MIN_MTU + ", " + MAX_MTU + "]");
        }
        if (!LibC.SUPPORTED) {
            throw new IOException("TUN devices are supported on 64-bit Linux only (this is "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")");
        }
        int tunFd = -1;
        int sockFd = -1;
        int wakeFd = -1;
        try {
            tunFd = openCloneDevice();
            Ifreq ifr = TunSetIff.attach(tunFd, name, nameBytes, offloads ? LibC.IFF_VNET_HDR : 0);
            String assigned = ifr.name();
            if (offloads && LibC.ioctl(tunFd, LibC.TUNSETOFFLOAD, TunOffload.OFFLOADS) < 0) {
                // The virtio_net_hdr stays (it only ever says "nothing to do" then); coalesced
                // writes still work, as they need no negotiation.
                System.getLogger(LinuxTun.class.getName()).log(System.Logger.Level.DEBUG,
                        "TUNSETOFFLOAD refused on {0}: {1}", assigned, LibC.describe(LibC.errno()));
            }

            sockFd = LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
            if (sockFd < 0) {
                throw new IOException("cannot open a control socket for " + assigned + ": "
                        + LibC.describe(LibC.errno()));
            }
            if (!ifr.intValue(mtu).ioctl(sockFd, LibC.SIOCSIFMTU)) {
                throw new IOException("cannot set the MTU of " + assigned + " to " + mtu + ": "
                        + LibC.describe(LibC.errno()));
            }
            if (!ifr.ioctl(sockFd, LibC.SIOCGIFINDEX)) {
                throw new IOException("cannot find the index of " + assigned + ": "
                        + LibC.describe(LibC.errno()));
            }
            int ifindex = ifr.intValue();

            wakeFd = LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
            if (wakeFd < 0) {
                throw new IOException("cannot create an eventfd: " + LibC.describe(LibC.errno()));
            }
            LinuxTun tun = new LinuxTun(assigned, ifindex, mtu, tunFd, wakeFd, sockFd, nanoClock,
                    offloads ? new TunOffload() : null);
            tunFd = sockFd = wakeFd = -1;
            return tun;
        } finally {
            closeQuietly(wakeFd);
            closeQuietly(sockFd);
            closeQuietly(tunFd);
        }
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * The MTU, asked from the kernel at most once per second. When the kernel cannot tell (the
     * interface moved to another network namespace, where our name lookups cannot see it, or the
     * device is closed), the last known value stays.
     */
    @Override
    public int mtu() {
        return mtu.get();
    }

    @Override
    public int batchSize() {
        return offload != null ? TunOffload.BATCH : 1;
    }

    /** Whether this descriptor carries TSO and checksum offloads (see {@link #create(String, int, boolean)}). */
    public boolean offloads() {
        return offload != null;
    }

    /**
     * Reads one packet into {@code bufs[0]} at {@code offset}, or with offloads the segments of one
     * TSO packet into {@code bufs[0..]}; the room is each buffer's capacity minus {@code offset},
     * which must hold an MTU-sized packet.
     */
    @Override
    public int read(ByteBuffer[] bufs, int[] sizes, int offset) throws IOException {
        if (offload != null) {
            return readOffloaded(bufs, sizes, offset);
        }
        ByteBuffer buf = bufs[0];
        int room = buf.capacity() - offset;
        if (offset < 0 || room <= 0) {
            throw new IllegalArgumentException("offset " + offset + " leaves no room in a buffer of "
                    + buf.capacity() + " bytes");
        }
        if (buf.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        if (!guard.enter()) {
            throw closed();
        }
        try {
            boolean direct = buf.isDirect();
            long target = direct ? readAddresses.of(buf) + offset : readBounceAddress;
            int count = direct ? room : Math.min(room, MAX_PACKET_SIZE);
            for (;;) {
                long n = LibC.read(tunFd, target, count);
                if (n >= 0) {
                    if (!direct) {
                        // Into the array itself: buf's limit must not cap the packet.
                        readBounce.get(0, buf.array(), buf.arrayOffset() + offset, (int) n);
                    }
                    sizes[0] = (int) n;
                    return 1;
                }
                awaitReadableAfterFailure();
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * With offloads: first hands out what is left of the last TSO packet, then reads the next
     * packet (virtio_net_hdr in front) into a private buffer and cuts it into the caller's.
     */
    private int readOffloaded(ByteBuffer[] bufs, int[] sizes, int offset) throws IOException {
        if (offset < 0 || offset >= bufs[0].capacity()) {
            throw new IllegalArgumentException("offset " + offset + " leaves no room in a buffer of "
                    + bufs[0].capacity() + " bytes");
        }
        if (!guard.enter()) {
            throw closed();
        }
        try {
            for (;;) {
                if (offload.pending()) {
                    int n = offload.emit(bufs, sizes, offset);
                    if (n > 0) {
                        return n;
                    }
                    continue;
                }
                long n = LibC.read(tunFd, offload.rawAddress, offload.rawSize);
                if (n >= 0) {
                    offload.loaded(n);
                    continue;
                }
                awaitReadableAfterFailure();
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * Writes packets {@code bufs[0..count)}, each from {@code offset} to its limit. A packet the
     * kernel refuses is dropped and counted ({@link #droppedWrites()}): {@code EINVAL} for a
     * malformed packet, and {@code EIO} while the link is down (e.g. before {@code ip link set up},
     * or for a moment while it moves between namespaces), which is no reason to stop the device.
     */
    @Override
    public void write(ByteBuffer[] bufs, int[] offs, int[] lens, int count) throws IOException {
        if (!guard.enter()) {
            throw closed();
        }
        try {
            if (offload != null) {
                writeOffloaded(bufs, offs, lens, count);
                return;
            }
            for (int i = 0; i < count; i++) {
                writeOne(bufs[i], offs[i], lens[i]);
            }
        } finally {
            guard.exit();
        }
    }

    private void writeOne(ByteBuffer buf, int offset, int length) throws TunClosedException {
        if (offset < 0 || length <= 0 || offset + length > buf.capacity()
                || (!buf.isDirect() && length > MAX_PACKET_SIZE)) {
            dropWrite(LibC.EINVAL);
            return;
        }
        long source;
        if (buf.isDirect()) {
            source = writeAddresses.of(buf) + offset;
        } else {
            writeBounce.put(0, buf, offset, length);
            source = writeBounceAddress;
        }
        for (;;) {
            if (LibC.write(tunFd, source, length) >= 0) {
                return;
            }
            int err = LibC.errno();
            if (err == LibC.EBADFD) {
                throw new TunClosedException("TUN interface " + name + " was deleted");
            }
            if (err != LibC.EINTR) {
                dropWrite(err);
                return;
            }
        }
    }

    /** With offloads: each run of coalesced segments, or packet alone, in one writev(2). */
    private void writeOffloaded(ByteBuffer[] bufs, int[] offs, int[] lens, int count) throws TunClosedException {
        int i = 0;
        while (i < count) {
            int end = offload.prepare(bufs, offs, lens, i, count);
            if (end < 0) {
                dropWrite(LibC.EINVAL);
                i = -end;
                continue;
            }
            int err = writev(offload.iovAddress, offload.iovCount());
            if (err == LibC.EINVAL && end - i > 1) {
                // This kernel takes no coalesced packets from us: send every packet alone.
                offload.refuseCoalescing();
                continue;
            }
            if (err != 0) {
                dropWrite(err);
            }
            i = end;
        }
    }

    /** One writev(2), retried on EINTR; returns 0 or the errno that refused it. */
    private int writev(long iov, int iovcnt) throws TunClosedException {
        for (;;) {
            if (LibC.writev(tunFd, iov, iovcnt) >= 0) {
                return 0;
            }
            int err = LibC.errno();
            if (err == LibC.EBADFD) {
                throw new TunClosedException("TUN interface " + name + " was deleted");
            }
            if (err != LibC.EINTR) {
                return err;
            }
        }
    }

    private void dropWrite(int err) {
        // Single writer at a time: a plain read-modify-write of the volatile is enough.
        droppedWrites = droppedWrites + 1;
        lastWriteErrno = err;
    }

    /** Packets {@link #write} dropped because the kernel refused them (or they were empty). */
    public long droppedWrites() {
        return droppedWrites;
    }

    /** With offloads: packets read that were malformed or used an offload not asked for (dropped). */
    public long refusedReads() {
        return offload == null ? 0 : offload.refusedReads();
    }

    /** With offloads: segments written to the kernel as parts of coalesced packets. */
    public long coalescedSegments() {
        return offload == null ? 0 : offload.coalescedSegments();
    }

    /** Why the last dropped packet was refused, e.g. "Input/output error"; null if none was. */
    public String lastWriteError() {
        int err = lastWriteErrno;
        return err == 0 ? null : LibC.describe(err);
    }

    /**
     * Closes the device, deleting the interface; idempotent. A {@link #read} blocked in another
     * thread is woken and throws {@link TunClosedException}. Returns once the descriptors are
     * closed, which waits for a read or write in flight to notice (immediately: neither blocks in
     * the kernel once the eventfd is signalled).
     */
    @Override
    public void close() {
        guard.close(this::signalWake);
    }

    @Override
    public String toString() {
        return "LinuxTun[" + name + "]";
    }

    // ---- lifecycle -----------------------------------------------------------------------------

    private void closeDescriptors() {
        closeQuietly(wakeFd);
        closeQuietly(sockFd);
        closeQuietly(tunFd);
    }

    private void signalWake() {
        ByteBuffer one = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder());
        one.putLong(0, 1L);
        LibC.write(wakeFd, LibC.address(one), Long.BYTES);
    }

    private TunClosedException closed() {
        return new TunClosedException("TUN interface " + name + " is closed");
    }

    // ---- read path -----------------------------------------------------------------------------

    /** After a failed read(2): waits on EAGAIN, returns on EINTR (to retry), throws otherwise. */
    private void awaitReadableAfterFailure() throws IOException {
        int err = LibC.errno();
        if (err == LibC.EAGAIN) {
            awaitReadable();
        } else if (err != LibC.EINTR) {
            throw readFailure(err);
        }
    }

    /** Sleeps until the TUN descriptor may be readable; throws once close() signalled. */
    private void awaitReadable() throws IOException {
        for (;;) {
            int ready = LibC.poll(pollFdsAddress, 2, -1);
            if (ready > 0) {
                if (pollFds.getShort(LibC.POLLFD_SIZE + LibC.POLLFD_REVENTS) != 0) {
                    throw closed();
                }
                // POLLIN, or POLLERR on a deleted interface: the next read(2) tells which.
                return;
            }
            int err = LibC.errno();
            if (ready < 0 && err != LibC.EINTR) {
                throw new IOException("poll on TUN interface " + name + " failed: "
                        + LibC.describe(err));
            }
        }
    }

    private IOException readFailure(int err) {
        if (err == LibC.EBADFD) {
            return new TunClosedException("TUN interface " + name + " was deleted");
        }
        return new IOException("read from TUN interface " + name + " failed: " + LibC.describe(err));
    }

    // ---- creation helpers ----------------------------------------------------------------------

    private static int openCloneDevice() throws IOException {
        int fd = LibC.open(CLONE_DEVICE, LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (fd >= 0) {
            return fd;
        }
        int err = LibC.errno();
        String reason = switch (err) {
            case LibC.ENOENT, LibC.ENODEV, LibC.ENXIO ->
                    "the TUN driver is not available (load it with 'modprobe tun'"
                            + " or, in a container, pass the device /dev/net/tun in)";
            case LibC.EACCES, LibC.EPERM -> "permission denied (run as root or with CAP_NET_ADMIN)";
            default -> LibC.describe(err);
        };
        throw new IOException("cannot open " + CLONE_DEVICE + ": " + reason);
    }

    private static void closeQuietly(int fd) {
        if (fd >= 0) {
            LibC.close(fd);
        }
    }
}
