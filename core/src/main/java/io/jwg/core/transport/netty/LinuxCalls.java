// SPDX-License-Identifier: MIT
package io.jwg.core.transport.netty;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import io.jwg.core.transport.Endpoint;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The libc calls the bind makes itself, without allocating, on 64-bit Linux: sendto(2) for
 * {@link NettyBind#send}, and memcpy(3) for {@link DatagramBatchHandler} (copying a received
 * datagram out of Netty's buffer by address, as Netty without {@code sun.misc.Unsafe} on recent
 * JDKs has no allocation-free way to).
 *
 * <p>sendto: Netty's {@code Socket.sendTo} takes an {@code InetAddress} and copies it into fresh byte
 * arrays on every call (the address, and for an IPv4 peer on the dual-stack socket its v4-mapped
 * form); here each sending thread keeps the peer's {@code sockaddr} in native memory, rebuilt only
 * when the endpoint changes, and the call is a JNA direct-mapped native method (one JNI
 * transition, no boxing).
 *
 * <p>Not thread-safe: each sending thread owns one instance (a thread-local of the bind).
 */
final class LinuxCalls {
    /** True where this works: 64-bit Linux (pointers passed as long, the generic errno values). */
    static final boolean SUPPORTED = Platform.isLinux() && Platform.is64Bit() && registerLibc(LinuxCalls.class);

    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int SOCKADDR_IN_SIZE = 16;
    private static final int SOCKADDR_IN6_SIZE = 28;
    private static final int SLOTS = 1024;
    private static final int PROBES = 8;

    private final ByteBuffer sockaddr = ByteBuffer.allocateDirect(SOCKADDR_IN6_SIZE).order(ByteOrder.nativeOrder());
    private final long sockaddrAddress = address(sockaddr);
    private final ByteBuffer scratch;
    private final long scratchAddress;
    private Endpoint cachedEndpoint;
    private boolean cachedDualStack;
    private int sockaddrLength;

    // Native addresses of the direct buffers this thread sends from (the TUN reader's), by
    // identity; held weakly, as tun's DirectAddresses does.
    @SuppressWarnings("unchecked")
    private final WeakReference<ByteBuffer>[] buffers = new WeakReference[SLOTS];
    private final long[] addresses = new long[SLOTS];

    LinuxCalls(int scratchSize) {
        scratch = ByteBuffer.allocateDirect(scratchSize);
        scratchAddress = address(scratch);
    }

    /** Binds {@code c}'s native methods to libc (JNA direct mapping); false where that fails. */
    static boolean registerLibc(Class<?> c) {
        try {
            Native.register(c, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            return true;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    /**
     * Sends {@code buf[off, off+len)} to {@code to} on socket {@code fd}.
     *
     * @return true if sent, false if the socket's send buffer was full (EAGAIN: dropped)
     */
    boolean send(int fd, boolean dualStack, ByteBuffer buf, int off, int len, Endpoint to) throws IOException {
        long data;
        if (buf.isDirect()) {
            data = addressOf(buf) + off;
        } else {
            scratch.put(0, buf, off, len);
            data = scratchAddress;
        }
        if (to != cachedEndpoint || dualStack != cachedDualStack) {
            fill(to, dualStack);
        }
        for (;;) {
            if (sendto(fd, data, len, MSG_DONTWAIT, sockaddrAddress, sockaddrLength) >= 0) {
                return true;
            }
            int err = Native.getLastError();
            if (err == EAGAIN) {
                return false;
            }
            if (err != EINTR) {
                throw new IOException("sendto " + to + " failed: " + describe(err));
            }
        }
    }

    /** The native address of {@code to}'s sockaddr (cached; rebuilt when the endpoint changes). */
    long sockaddr(Endpoint to, boolean dualStack) {
        if (to != cachedEndpoint || dualStack != cachedDualStack) {
            fill(to, dualStack);
        }
        return sockaddrAddress;
    }

    /** The length of the sockaddr {@link #sockaddr} last returned. */
    int sockaddrLength() {
        return sockaddrLength;
    }

    private void fill(Endpoint to, boolean dualStack) {
        byte[] a = to.addressBytes();
        for (int i = 0; i < SOCKADDR_IN6_SIZE; i++) {
            sockaddr.put(i, (byte) 0);
        }
        int port = to.port();
        if (dualStack) {
            sockaddr.putShort(0, (short) AF_INET6);
            sockaddr.put(2, (byte) (port >>> 8)).put(3, (byte) port);
            if (a.length == 4) {
                sockaddr.put(8 + 10, (byte) 0xff).put(8 + 11, (byte) 0xff);
                sockaddr.put(8 + 12, a, 0, 4);
            } else {
                sockaddr.put(8, a, 0, 16);
                if (to.address().getAddress() instanceof Inet6Address v6) {
                    sockaddr.putInt(24, v6.getScopeId());
                }
            }
            sockaddrLength = SOCKADDR_IN6_SIZE;
        } else {
            sockaddr.putShort(0, (short) AF_INET);
            sockaddr.put(2, (byte) (port >>> 8)).put(3, (byte) port);
            sockaddr.put(4, a, 0, 4);
            sockaddrLength = SOCKADDR_IN_SIZE;
        }
        cachedEndpoint = to;
        cachedDualStack = dualStack;
    }

    /**
     * The native address of a direct buffer's first byte, cached by identity for the buffers this
     * thread sends from (the TUN reader's, over a hundred with a vectored TUN): open addressing
     * over {@link #SLOTS} entries, probing {@link #PROBES} of them, so a batch of buffers does not
     * evict itself.
     */
    long addressOf(ByteBuffer direct) {
        int start = System.identityHashCode(direct);
        int free = -1;
        for (int p = 0; p < PROBES; p++) {
            int slot = (start + p) & (SLOTS - 1);
            WeakReference<ByteBuffer> cached = buffers[slot];
            ByteBuffer b = cached == null ? null : cached.get();
            if (b == direct) {
                return addresses[slot];
            }
            if (b == null && free < 0) {
                free = slot;
            }
        }
        int slot = free >= 0 ? free : start & (SLOTS - 1);
        long address = address(direct);
        buffers[slot] = new WeakReference<>(direct);
        addresses[slot] = address;
        return address;
    }

    private static long address(ByteBuffer direct) {
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }

    static String describe(int err) {
        String s = strerror(err);
        return s == null ? "errno " + err : s;
    }

    /** Copies {@code n} bytes between native addresses; only on {@link #SUPPORTED} platforms. */
    static void copy(long src, long dst, long n) {
        memcpy(dst, src, n);
    }

    /** The native address of a direct buffer's first byte. */
    static long addressOfDirect(ByteBuffer direct) {
        return address(direct);
    }

    private static native long memcpy(long dst, long src, long n);

    private static native long sendto(int fd, long buf, long len, int flags, long addr, int addrlen);

    private static native String strerror(int errnum);
}
