// SPDX-License-Identifier: MIT
package io.jwg.core.transport.netty;

import io.jwg.core.transport.Bind;
import io.jwg.core.transport.DatagramReceiver;
import io.jwg.core.transport.Endpoint;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.StampedLock;

/**
 * The device's real UDP socket (wireguard-go's {@code StdNetBind}), on Netty's native epoll
 * transport: one dual-stack socket ({@code [::]:port}, IPv4 peers as v4-mapped addresses), or an
 * IPv4-only socket where IPv6 is off (see {@link Ipv6Probe}).
 *
 * <p>Receive, on 64-bit Linux: a thread of the bind's own reads with recvmmsg (and UDP_GRO) and
 * hands each read to the receiver as one batch ({@link RecvmmsgLoop}: no allocation per datagram);
 * the channel's event loop does not read. Elsewhere, or when turned off: the event loop reads with
 * recvmmsg into {@link #DATAGRAM_SLOT}-byte slots (no datagram can be truncated) and
 * {@link DatagramBatchHandler} hands each read cycle to the receiver as one batch. Send: the
 * calling thread writes straight to the socket with sendto(2), bypassing the event loop, so the
 * TUN, timer and handshake threads never queue behind receives.
 *
 * <p>UDP offloads (Linux; the constructor can turn them off): a batch send goes out segmented
 * (UDP GSO, {@link BatchSends}), falling back to one sendto per datagram; on receive, UDP_GRO lets
 * the kernel coalesce a flow's datagrams, which the receive side cuts apart again. (Netty 4.2 reads
 * the segment size only on its recvmsg path, so on Netty's path with GRO each read is one
 * {@link #DATAGRAM_SLOT} recvmsg instead of a recvmmsg of {@link #RECVMMSG_SLOTS}.)
 *
 * <p>Thread-safety: {@link #send} and {@link #setMark} may be called from any thread at any time.
 * {@link #open}, {@link #close} and {@link #setMark} are serialized with each other; a send that
 * races a close either completes on the old socket or fails with "closed", never touches a reused
 * file descriptor. Do not call {@link #open} or {@link #close} from inside the receiver (they wait
 * for the event loop that runs it).
 */
public final class NettyBind implements Bind {
    /** Receive slot per datagram: at least the largest UDP payload (65527 over IPv6). */
    static final int DATAGRAM_SLOT = 65535;
    /**
     * Slots per recvmmsg call: 16 x 64 KiB, one buffer of just under 1 MiB per call. (Netty's
     * pooled allocator is worse here: it creates and destroys a 4 MiB chunk around every such
     * buffer, measured with benchmarks/alloc.sh; the default adaptive one mostly reuses them.)
     */
    static final int RECVMMSG_SLOTS = 16;
    /** Netty's maxMessagesPerRead: it starts no further recvmmsg in a read cycle past this. */
    static final int MAX_MESSAGES_PER_READ = 64;
    /** With UDP_GRO: recvmsg calls per read cycle (each up to 64 coalesced datagrams). */
    static final int GRO_READS_PER_CYCLE = 16;
    /** The largest batch: the last recvmmsg of a cycle may start just below the limit. */
    static final int MAX_BATCH = MAX_MESSAGES_PER_READ + RECVMMSG_SLOTS - 1;
    /** Requested SO_RCVBUF/SO_SNDBUF, as wireguard-go's socketBufferSize. */
    static final int SOCKET_BUFFER_SIZE = 7 << 20;
    private static final long SHUTDOWN_TIMEOUT_MILLIS = 2000;
    private static final System.Logger LOG = System.getLogger(NettyBind.class.getName());

    private final int eventLoopThreads;
    private final boolean gsoWanted;
    private final boolean groWanted;
    private final LongAdder sendDrops = new LongAdder();
    private final LongAdder sendErrors = new LongAdder();
    private final LongAdder receiverFailures = new LongAdder();
    private final LongAdder readErrors = new LongAdder();
    private final LongAdder truncated = new LongAdder();
    private final boolean nativeReceive;
    private volatile RecvmmsgLoop receiveLoop;
    /** Read-locked by senders, write-locked to retire a socket: the fd is closed only after. */
    private final StampedLock socketLock = new StampedLock();
    private final ThreadLocal<ByteBuffer> directScratch =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(DATAGRAM_SLOT));
    private final ThreadLocal<LinuxCalls> nativeSend =
            ThreadLocal.withInitial(() -> new LinuxCalls(DATAGRAM_SLOT));
    private final BatchSends batchSends = new BatchSends(sendDrops);
    private volatile boolean gro;

    private EventLoopGroup group;
    private EventLoopThreads groupThreads;
    private EpollDatagramChannel channel;
    private volatile Socket socket;
    private volatile boolean dualStack;
    private volatile int port;
    private volatile int mark;

    /** A bind with one event-loop thread and the UDP offloads (GSO and GRO) on where supported. */
    public NettyBind() {
        this(1);
    }

    /** @param eventLoopThreads threads of the receive event loop (one socket uses one of them) */
    public NettyBind(int eventLoopThreads) {
        this(eventLoopThreads, true, true);
    }

    /**
     * @param eventLoopThreads threads of the receive event loop (one socket uses one of them)
     * @param gso whether batch sends may use UDP segmentation offload where supported
     * @param gro whether the socket may receive coalesced datagrams (UDP_GRO) where supported
     */
    public NettyBind(int eventLoopThreads, boolean gso, boolean gro) {
        this(eventLoopThreads, gso, gro, RecvmmsgLoop.SUPPORTED);
    }

    /** @param nativeReceive whether to receive with {@link RecvmmsgLoop} rather than Netty's read path */
    NettyBind(int eventLoopThreads, boolean gso, boolean gro, boolean nativeReceive) {
        if (eventLoopThreads < 1) {
            throw new IllegalArgumentException("eventLoopThreads must be >= 1: " + eventLoopThreads);
        }
        this.eventLoopThreads = eventLoopThreads;
        this.gsoWanted = gso;
        this.groWanted = gro;
        this.nativeReceive = nativeReceive && RecvmmsgLoop.SUPPORTED;
    }

    @Override
    public synchronized int open(int port, DatagramReceiver receiver) throws IOException {
        Objects.requireNonNull(receiver, "receiver");
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (!Epoll.isAvailable()) {
            throw new IOException("jwg's UDP transport needs Netty's native epoll (Linux x86_64): "
                    + Epoll.unavailabilityCause(), Epoll.unavailabilityCause());
        }
        closeChannel();
        if (group == null) {
            groupThreads = new EventLoopThreads();
            group = new MultiThreadIoEventLoopGroup(eventLoopThreads, groupThreads, EpollIoHandler.newFactory());
        }
        EpollDatagramChannel ch = null;
        if (Ipv6Probe.enabledInCallersNamespace()) {
            ch = tryDualStack(port, receiver);
        }
        boolean dual = ch != null;
        if (ch == null) {
            ch = newChannel(SocketProtocolFamily.INET, receiver);
            bind(ch, port, anyAddress(SocketProtocolFamily.INET));
        }
        long stamp = socketLock.writeLock();
        try {
            channel = ch;
            dualStack = dual;
            batchSends.enable(gsoWanted);
            this.port = ch.localAddress().getPort();
            socket = (Socket) ch.fd();
        } finally {
            socketLock.unlockWrite(stamp);
        }
        if (nativeReceive) {
            try {
                receiveLoop = RecvmmsgLoop.start(socket.intValue(), receiver, receiverFailures, readErrors, truncated);
            } catch (RuntimeException e) {
                closeChannel();
                throw new IOException("cannot start the UDP receive thread: " + e.getMessage(), e);
            }
        }
        return this.port;
    }

    /** The dual-stack channel, or null when IPv6 sockets cannot be made or bound here. */
    private EpollDatagramChannel tryDualStack(int port, DatagramReceiver receiver) throws IOException {
        EpollDatagramChannel ch;
        try {
            ch = newChannel(SocketProtocolFamily.INET6, receiver);
        } catch (ChannelException | IOException e) {
            return null;
        }
        try {
            bind(ch, port, anyAddress(SocketProtocolFamily.INET6));
            return ch;
        } catch (BindException e) {
            throw e;
        } catch (IOException e) {
            return null;
        }
    }

    /** Runs on the caller's thread: the constructor makes the fd, in the caller's namespace. */
    private EpollDatagramChannel newChannel(SocketProtocolFamily family, DatagramReceiver receiver)
            throws IOException {
        EpollDatagramChannel ch = new EpollDatagramChannel(family);
        try {
            Socket fd = (Socket) ch.fd();
            if (family == SocketProtocolFamily.INET6) {
                LinuxSocketOptions.allowIpv4(fd);
            }
            LinuxSocketOptions.requestBuffers(fd, SOCKET_BUFFER_SIZE);
            if (mark != 0) {
                LinuxSocketOptions.setMark(fd, mark);
            }
            ch.config().setMaxDatagramPayloadSize(DATAGRAM_SLOT);
            // RecvmmsgLoop reads this socket: Netty must never ask epoll for its readability.
            ch.config().setAutoRead(!nativeReceive);
            boolean coalesced = groWanted && enableGro(ch);
            gro = coalesced;
            // With GRO one slot per read: Netty reads the segment size only on its recvmsg path.
            // Each GRO read may carry up to 64 datagrams, so fewer reads per cycle do, and their
            // buffers (held until the cycle's batch is handled) are kept for the next cycle.
            ch.config().setRecvByteBufAllocator(
                    new FixedRecvByteBufAllocator((coalesced ? 1 : RECVMMSG_SLOTS) * DATAGRAM_SLOT)
                            .maxMessagesPerRead(coalesced ? GRO_READS_PER_CYCLE : MAX_MESSAGES_PER_READ));
            if (coalesced) {
                ch.config().setAllocator(new ReceiveBufferAllocator(DATAGRAM_SLOT, GRO_READS_PER_CYCLE));
            }
            ch.pipeline().addLast(new DatagramBatchHandler(receiver, MAX_BATCH, receiverFailures, readErrors));
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.unsafe().closeForcibly();
            throw e;
        }
    }

    /** Sets UDP_GRO; false where the kernel (before 5.0) or Netty has no such option. */
    private static boolean enableGro(EpollDatagramChannel ch) {
        if (!io.netty.channel.epoll.SegmentedDatagramPacket.isSupported()) {
            return false;
        }
        try {
            ch.config().setOption(EpollChannelOption.UDP_GRO, true);
            return ch.config().isUdpGro();
        } catch (ChannelException e) {
            LOG.log(System.Logger.Level.DEBUG, "UDP_GRO not available, receiving datagram by datagram: {0}",
                    e.toString());
            return false;
        }
    }

    private void bind(EpollDatagramChannel ch, int port, InetAddress any) throws IOException {
        ChannelFuture done = group.register(ch).awaitUninterruptibly();
        if (done.isSuccess()) {
            done = ch.bind(new InetSocketAddress(any, port)).awaitUninterruptibly();
        }
        if (done.isSuccess()) {
            return;
        }
        ch.close().awaitUninterruptibly();
        Throwable cause = done.cause();
        if (cause instanceof Errors.NativeIoException n && n.expectedErr() == -LinuxSocketOptions.EADDRINUSE) {
            BindException e = new BindException("UDP port " + port + ": address already in use");
            e.initCause(cause);
            throw e;
        }
        throw new IOException("cannot bind UDP port " + port + ": " + cause.getMessage(), cause);
    }

    private static InetAddress anyAddress(SocketProtocolFamily family) {
        try {
            return InetAddress.getByAddress(new byte[family == SocketProtocolFamily.INET6 ? 16 : 4]);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** The open socket, if it can reach {@code to}; the caller holds the socket lock. */
    private Socket socketFor(Endpoint to) throws IOException {
        Socket s = socket;
        if (s == null) {
            throw new IOException("UDP bind is closed");
        }
        if (!dualStack && to.isIpv6()) {
            throw new IOException("cannot send to " + to + ": IPv6 is disabled, the UDP socket is IPv4-only");
        }
        return s;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A full socket send buffer (EAGAIN) drops the datagram and counts it in
     * {@link #sendDrops()} without an exception: that is congestion, like a router's queue
     * overflowing, not a fault. Heap buffers are first copied to a per-thread direct buffer.
     * On 64-bit Linux the datagram goes out through {@link LinuxCalls}, which allocates nothing;
     * elsewhere through Netty's {@code sendTo}, which copies the address into one or two small
     * fresh byte arrays per call.
     */
    @Override
    public void send(ByteBuffer buf, int off, int len, Endpoint to) throws IOException {
        long stamp = socketLock.readLock();
        try {
            Socket s = socketFor(to);
            if (LinuxCalls.SUPPORTED) {
                if (!nativeSend.get().send(s.intValue(), dualStack, buf, off, len, to)) {
                    sendDrops.increment();
                }
                return;
            }
            ByteBuffer data = buf;
            int pos = off;
            if (!buf.isDirect()) {
                data = directScratch.get();
                data.put(0, buf, off, len);
                pos = 0;
            }
            int sent = s.sendTo(data, pos, pos + len, to.address().getAddress(), to.port());
            if (sent == 0 && len > 0) {
                sendDrops.increment();
            }
        } catch (IOException e) {
            sendErrors.increment();
            throw e;
        } catch (RuntimeException e) {
            sendErrors.increment();
            throw new IOException("sendto " + to + " failed", e);
        } finally {
            socketLock.unlockRead(stamp);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>With GSO, each run of equal-sized datagrams goes out in one sendmsg, with the fallbacks
     * of {@link BatchSends}; a full send buffer drops a run and counts each of its datagrams in
     * {@link #sendDrops()}. Allocates nothing.
     */
    @Override
    public void send(ByteBuffer[] bufs, int[] offs, int[] lens, int count, Endpoint to) throws IOException {
        if (count < 2 || !batchSends.enabled()) {
            Bind.super.send(bufs, offs, lens, count, to);
            return;
        }
        long stamp = socketLock.readLock();
        try {
            Socket s = socketFor(to);
            batchSends.send(nativeSend.get(), s.intValue(), dualStack, bufs, offs, lens, count, to);
        } catch (IOException e) {
            sendErrors.increment();
            throw e;
        } catch (RuntimeException e) {
            sendErrors.increment();
            throw new IOException("sendmsg " + to + " failed", e);
        } finally {
            socketLock.unlockRead(stamp);
        }
    }

    /** True while batch sends use UDP segmentation offload. */
    public boolean usesGso() {
        return batchSends.enabled();
    }

    /** True when datagrams are received by the bind's own recvmmsg thread rather than by Netty. */
    public boolean usesRecvmmsg() {
        return receiveLoop != null;
    }

    /** Received datagrams dropped as truncated (none are: every slot holds the largest). */
    long truncated() {
        return truncated.sum();
    }

    /** True when the open socket receives coalesced datagrams (UDP_GRO). */
    public boolean usesGro() {
        return gro && socket != null;
    }

    @Override
    public synchronized void setMark(int mark) throws IOException {
        long stamp = socketLock.readLock();
        try {
            Socket s = socket;
            if (s != null) {
                LinuxSocketOptions.setMark(s, mark);
            }
            this.mark = mark;
        } finally {
            socketLock.unlockRead(stamp);
        }
    }

    @Override
    public int port() {
        return port;
    }

    /** True when one AF_INET6 socket serves IPv4 and IPv6; false for the IPv4-only fallback. */
    public boolean isDualStack() {
        return dualStack;
    }

    /** Datagrams dropped because the socket send buffer was full (EAGAIN). */
    public long sendDrops() {
        return sendDrops.sum();
    }

    /** Sends that failed with an IOException (unreachable network, closed bind, ...). */
    public long sendErrors() {
        return sendErrors.sum();
    }

    /** Datagrams (or batch ends) whose receiver threw. */
    public long receiverFailures() {
        return receiverFailures.sum();
    }

    /** Receive calls (recvmmsg, or Netty's read cycles) that failed; the socket stays open. */
    public long readErrors() {
        return readErrors.sum();
    }

    /** The socket's file descriptor number, or -1 when closed (tests read options with it). */
    int fd() {
        Socket s = socket;
        return s == null ? -1 : s.intValue();
    }

    @Override
    public synchronized void close() {
        closeChannel();
        if (group != null) {
            // No quiet period: nothing else is scheduled on this group once the channel is gone.
            group.shutdownGracefully(0, SHUTDOWN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly(SHUTDOWN_TIMEOUT_MILLIS * 2);
            groupThreads.join(SHUTDOWN_TIMEOUT_MILLIS);
            group = null;
            groupThreads = null;
        }
    }

    private void closeChannel() {
        EpollDatagramChannel ch = channel;
        if (ch == null) {
            return;
        }
        if (receiveLoop != null) {
            receiveLoop.stop(); // before the fd closes: the thread must never read a reused fd
            receiveLoop = null;
        }
        // Retire the socket under the write lock (waiting for in-flight sends), then close the fd
        // outside it: the event loop may itself be inside a receiver that is sending.
        long stamp = socketLock.writeLock();
        try {
            socket = null;
            channel = null;
            port = 0;
        } finally {
            socketLock.unlockWrite(stamp);
        }
        ch.close().awaitUninterruptibly();
    }
}
