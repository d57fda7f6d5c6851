// SPDX-License-Identifier: MIT
package io.jwg.tun;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * The few libc calls a Linux TUN device needs (open(2), read(2), write(2), writev(2), ioctl(2), poll(2),
 * socket(2), eventfd(2), close(2)), bound with JNA <em>direct mapping</em> ({@link Native#register}):
 * each call is a plain JNI native method, with no proxy, no reflection and no argument boxing, so
 * the per-packet read/write path costs one JNI transition.
 *
 * <p>Pointers are passed as {@code long} addresses (the ABI of a pointer on the 64-bit Linux
 * targets this class accepts), so callers reuse native memory they obtained once. Calls report
 * failure the C way (-1); the caller reads {@code errno} with {@link #errno()} right after, on the
 * same thread (JNA saves it per thread after every call). Nothing here throws on a failed call:
 * the hot path must not allocate an exception for an expected {@code EAGAIN}.
 *
 * <p>The numeric constants are the Linux "generic" ABI values shared by x86-64, arm64, riscv64
 * and loongarch64 ({@code asm-generic/ioctl.h}, {@code asm-generic/fcntl.h},
 * {@code asm-generic/errno.h}); {@link #SUPPORTED} is false on anything else (mips, ppc and sparc
 * encode ioctl numbers differently), and LinuxTun refuses to start there.
 *
 * <p>This is the only class that calls libc through JNA. Thread-safety: all methods are stateless and may be
 * called from any thread.
 */
final class LibC {

    /** True when this JVM runs on a 64-bit Linux whose syscall ABI matches the constants below. */
    static final boolean SUPPORTED = isSupportedPlatform();

    // open(2) flags.
    static final int O_RDWR = 0x2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;

    // socket(2).
    static final int AF_INET = 2;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = O_CLOEXEC;

    // eventfd(2) flags.
    static final int EFD_NONBLOCK = O_NONBLOCK;
    static final int EFD_CLOEXEC = O_CLOEXEC;

    // poll(2): struct pollfd { int fd; short events; short revents; }.
    static final int POLLFD_SIZE = 8;
    static final int POLLFD_EVENTS = 4;
    static final int POLLFD_REVENTS = 6;
    static final short POLLIN = 0x1;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;

    // ioctl(2) requests: linux/if_tun.h and linux/sockios.h.
    static final long TUNSETIFF = 0x400454caL;
    static final long TUNGETIFF = 0x800454d2L;
    static final long TUNSETOFFLOAD = 0x400454d0L;
    static final long SIOCGIFMTU = 0x8921L;
    static final long SIOCSIFMTU = 0x8922L;
    static final long SIOCGIFINDEX = 0x8933L;

    // ifr_flags for TUNSETIFF.
    static final short IFF_TUN = 0x0001;
    static final short IFF_NO_PI = 0x1000;
    static final short IFF_VNET_HDR = 0x4000;

    // TUNSETOFFLOAD flags: what the kernel may hand us unfinished (checksums, TCP segmentation).
    static final int TUN_F_CSUM = 0x01;
    static final int TUN_F_TSO4 = 0x02;
    static final int TUN_F_TSO6 = 0x04;

    // struct iovec { void *iov_base; size_t iov_len; } on 64-bit.
    static final int IOVEC_SIZE = 16;

    // errno values.
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EIO = 5;
    static final int ENXIO = 6;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EBUSY = 16;
    static final int ENODEV = 19;
    static final int EINVAL = 22;
    static final int EBADFD = 77;

    static {
        if (SUPPORTED) {
            Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
        }
    }

    private LibC() {
    }

    private static boolean isSupportedPlatform() {
        if (!Platform.isLinux() || !Platform.is64Bit()) {
            return false;
        }
        return switch (Platform.ARCH) {
            case "x86-64", "aarch64", "riscv64", "loongarch64" -> true;
            default -> false;
        };
    }

    /** The calling thread's {@code errno} as of its last call through this class. */
    static int errno() {
        return Native.getLastError();
    }

    /** A human description of {@code errno} value {@code err}, e.g. "Device or resource busy". */
    static String describe(int err) {
        String text = strerror(err);
        return text == null ? "errno " + err : text;
    }

    /** The native address of a direct buffer's first byte (index 0, whatever its position). */
    static long address(ByteBuffer direct) {
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }

    static native int open(String path, int flags);

    static native int close(int fd);

    static native long read(int fd, long buf, long count);

    static native long write(int fd, long buf, long count);

    static native long writev(int fd, long iov, int iovcnt);

    static native int ioctl(int fd, long request, long arg);

    static native int poll(long fds, long nfds, int timeoutMillis);

    static native int socket(int domain, int type, int protocol);

    static native int eventfd(int initval, int flags);

    private static native String strerror(int errnum);
}
