// SPDX-License-Identifier: MIT
package io.jwg.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Checks, before anything is created, that no other process serves {@code IFNAME.sock}, the way
 * wireguard-go's UAPI listener does: a socket someone accepts on is in use, one that refuses the
 * connection is a leftover of a process that died, and is removed. The directory is shared by
 * every network namespace, so this also catches a daemon of the same name in another namespace,
 * where creating the TUN would have succeeded. Connecting and closing at once is harmless: wg(8)
 * does the same before every command. Stateless.
 */
final class UapiSocketProbe {
    private UapiSocketProbe() {}

    /**
     * @throws StartupFailure when a live process accepts connections on {@code socket}
     */
    static void claim(Path socket, String interfaceName) throws StartupFailure {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            throw new StartupFailure("interface " + interfaceName + " is already served by another process ("
                    + socket + " is in use)");
        } catch (ConnectException stale) {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                // UapiServer reports why it cannot create the socket, with the same cause.
            }
        } catch (IOException e) {
            // Cannot tell (e.g. no permission): creating the socket will say what is wrong.
        }
    }
}
