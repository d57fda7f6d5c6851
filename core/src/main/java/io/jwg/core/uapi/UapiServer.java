// SPDX-License-Identifier: MIT
package io.jwg.core.uapi;

import io.jwg.core.Device;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Serves the UAPI on a unix socket, {@code /var/run/wireguard/IFNAME.sock} for the daemon.
 *
 * <p>PLACEHOLDER: the real implementation is being written; signatures are final.
 */
public final class UapiServer implements AutoCloseable {
    /** Where wg(8) looks for userspace implementations' sockets. */
    public static final Path SOCKET_DIRECTORY = Path.of("/var/run/wireguard");

    private UapiServer() {}

    /** Creates {@code SOCKET_DIRECTORY/IFNAME.sock} and starts serving {@code device}. */
    public static UapiServer start(Device device, String interfaceName) throws IOException {
        return start(device, SOCKET_DIRECTORY.resolve(interfaceName + ".sock"));
    }

    /** Creates the socket at {@code socket} (its directory 0755, the socket 0600) and serves. */
    public static UapiServer start(Device device, Path socket) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    public Path socketPath() {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Runs {@code action} once when the socket file is removed by someone else (wireguard-go
     * exits then, and so does our daemon).
     */
    public void onSocketRemoved(Runnable action) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Stops serving and removes the socket file; idempotent. */
    @Override
    public void close() {}
}
