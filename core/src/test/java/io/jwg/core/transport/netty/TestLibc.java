// SPDX-License-Identifier: MIT
package io.jwg.core.transport.netty;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;

/**
 * The few libc calls the transport tests need to look at a socket from outside Netty: open/close
 * and setns(2) to enter a network namespace, getsockopt(2) to read back what the bind set,
 * setsockopt(2) to break what it relies on.
 * JNA direct mapping: static natives bound once, errno surfaced as {@link LastErrorException}.
 */
final class TestLibc {
    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;
    static final int CLONE_NEWNET = 0x40000000;
    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_MARK = 36;
    /** socket(7): send UDP without checksums; the kernel then refuses segmented (GSO) sends. */
    static final int SO_NO_CHECK = 11;
    static final int SOL_UDP = 17;
    static final int UDP_GRO = 104;
    static final int IPPROTO_IPV6 = 41;
    static final int IPV6_V6ONLY = 26;

    static {
        Native.register("c");
    }

    private TestLibc() {
    }

    static native int open(String path, int flags) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native int setns(int fd, int nstype) throws LastErrorException;

    static native int getsockopt(int fd, int level, int name, int[] value, int[] len) throws LastErrorException;

    static native int setsockopt(int fd, int level, int name, int[] value, int len) throws LastErrorException;

    /** getsockopt(2) for an int option. */
    static int intOption(int fd, int level, int name) {
        int[] value = new int[1];
        int[] len = {4};
        getsockopt(fd, level, name, value, len);
        return value[0];
    }
}
