// SPDX-License-Identifier: MIT
package io.jwg.cli;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Checks, before anything is created, that no other process serves {@code IFNAME.sock}: a
 * socket someone accepts on is in use (wireguard-go's UAPI listener refuses it the same way).
 * The directory is shared by every network namespace, so this also catches a daemon of the same
 * name in another namespace, where creating the TUN would have succeeded and been undone. A
 * socket left by a process that died is not in use; {@link io.jwg.core.uapi.UapiServer} replaces
 * it. Connecting and closing at once is harmless: wg(8) does the same before every command.
 * Stateless.
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
        } catch (IOException e) {
            // Refused (stale), or cannot tell: creating the socket deals with it and says what is wrong.
        }
    }
}
