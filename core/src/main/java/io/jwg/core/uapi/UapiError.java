// SPDX-License-Identifier: MIT
package io.jwg.core.uapi;

/**
 * The errors a UAPI request can end with, and the numbers wireguard-go puts on the
 * {@code errno=} line for them (its {@code ipc.IpcError*} constants: the Linux errno, negated).
 * wg(8) relies on the sign: it prints {@code strerror(-errno)}.
 */
public enum UapiError {
    /** A line too long to read, or a request over the size limits ({@code EIO}). */
    EIO(-5),
    /** A bad value, an unknown key, or a key in the wrong section ({@code EINVAL}). */
    EINVAL(-22),
    /** A request line without {@code =} ({@code EPROTO}). */
    EPROTO(-71),
    /** The requested listen port is taken ({@code EADDRINUSE}). */
    EADDRINUSE(-98);

    private final int errno;

    UapiError(int errno) {
        this.errno = errno;
    }

    /** The value of the reply's {@code errno=} line: negative. */
    public int errno() {
        return errno;
    }
}
