// SPDX-License-Identifier: MIT
package io.jwg.cli;

/** The jwg daemon (TUN + UAPI socket + device). Placeholder until the device lands. */
final class Daemon {
    private Daemon() {}

    static int run(String interfaceName, boolean foreground) {
        System.err.println(Main.PROG + ": the daemon is not built yet");
        return 1;
    }
}
