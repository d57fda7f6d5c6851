// SPDX-License-Identifier: MIT
package io.jwg.core.testing;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The two system calls that move a thread into a named network namespace: {@code open(2)} on the
 * namespace's file under {@code /var/run/netns} and {@code setns(2)} with {@code CLONE_NEWNET}.
 * Only the calling thread moves (a network namespace, unlike a mount or user namespace, may
 * differ between the threads of one process); sockets it creates afterwards belong to the new
 * namespace for their whole life.
 *
 * <p>A private, minimal JNA binding: the fixtures do not depend on the tun module's native code.
 * Thread-safe.
 */
final class NetnsSyscalls {

    /** setns(2) {@code nstype}: the file must refer to a network namespace. */
    static final int CLONE_NEWNET = 0x40000000;

    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;

    private interface LibC extends Library {
        int open(String path, int flags) throws LastErrorException;

        int setns(int fd, int nstype) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static final class Holder {
        static final LibC LIBC = Native.load("c", LibC.class);
    }

    private NetnsSyscalls() {
    }

    /**
     * Moves the calling thread into namespace {@code nsName}.
     *
     * @throws IllegalStateException with the errno text when the namespace cannot be opened or entered
     */
    static void enterOnCurrentThread(String nsName) {
        if (nsName.isEmpty() || nsName.contains("/") || nsName.equals(".") || nsName.equals("..")) {
            throw new IllegalArgumentException("not a namespace name: " + nsName);
        }
        String path = Netns.NETNS_DIR.resolve(nsName).toString();
        int fd;
        try {
            fd = Holder.LIBC.open(path, O_RDONLY | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IllegalStateException("cannot open " + path + " (no such namespace?): " + e.getMessage(), e);
        }
        try {
            Holder.LIBC.setns(fd, CLONE_NEWNET);
        } catch (LastErrorException e) {
            throw new IllegalStateException("setns(" + path + ", CLONE_NEWNET) failed (needs CAP_SYS_ADMIN): "
                    + e.getMessage(), e);
        } finally {
            Holder.LIBC.close(fd);
        }
    }
}
