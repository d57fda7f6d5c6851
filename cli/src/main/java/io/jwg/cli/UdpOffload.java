// SPDX-License-Identifier: MIT
package io.jwg.cli;

import io.jwg.core.transport.netty.NettyBind;
import java.util.Locale;

/**
 * Which UDP offloads the daemon's socket uses, from {@code JWG_UDP_OFFLOAD}: {@code on} (the
 * default: GSO on send, GRO on receive, each where the kernel supports it), {@code gso} (send
 * only: receive datagram by datagram with recvmmsg) or {@code off} (neither), for A/B
 * measurements and for working around a network path that mishandles them.
 */
enum UdpOffload {
    ON(true, true),
    GSO(true, false),
    OFF(false, false);

    /** The environment variable the daemon reads at start. */
    static final String VARIABLE = "JWG_UDP_OFFLOAD";

    final boolean gso;
    final boolean gro;

    UdpOffload(boolean gso, boolean gro) {
        this.gso = gso;
        this.gro = gro;
    }

    /** The setting from {@code JWG_UDP_OFFLOAD}; unset or empty means {@link #ON}. */
    static UdpOffload fromEnvironment() throws StartupFailure {
        return parse(System.getenv(VARIABLE));
    }

    static UdpOffload parse(String value) throws StartupFailure {
        if (value == null || value.isEmpty()) {
            return ON;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "on" -> ON;
            case "gso" -> GSO;
            case "off" -> OFF;
            default -> throw new StartupFailure(VARIABLE + "=" + value + ": expected on, gso or off");
        };
    }

    /** The device's bind with these offloads. */
    NettyBind newBind() {
        return new NettyBind(1, gso, gro);
    }
}
