// SPDX-License-Identifier: MIT
package io.jwg.core.testing;

import java.net.InetAddress;
import java.time.Duration;

/**
 * ICMP echo from inside a namespace, without a {@code ping} binary: the JDK's
 * {@link InetAddress#isReachable(int)} sends an ICMP (or ICMPv6) echo request over a raw socket
 * when it runs as root, and here it runs on a {@link NamespaceThread}, so the socket is in the
 * namespace. Use it to check that one namespace reaches an address, e.g. a peer's tunnel address.
 * Stateless and thread-safe.
 */
public final class Ping {

    /** Long enough for a first packet that waits for a WireGuard handshake. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private Ping() {
    }

    /** True when {@code address} answers an echo request sent from {@code from} within {@code timeout}. */
    public static boolean reachable(Netns from, String address, Duration timeout) {
        // Only literals: a host name here would mean a DNS query from inside the namespace.
        if (!address.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an address literal: " + address);
        }
        try {
            InetAddress target = InetAddress.getByName(address);
            return InNamespace.call(from, () -> target.isReachable((int) timeout.toMillis()));
        } catch (Exception e) {
            throw new IllegalStateException("ping " + address + " from " + from.name() + " failed to run", e);
        }
    }

    /**
     * Fails the test unless {@code address} answers from {@code from} within {@link #DEFAULT_TIMEOUT};
     * the message shows the namespace's addresses and routes.
     */
    public static void assertReachable(Netns from, String address) {
        if (!reachable(from, address, DEFAULT_TIMEOUT)) {
            throw new AssertionError(address + " is not reachable from " + from.name() + " within "
                    + DEFAULT_TIMEOUT + "\n" + from.exec("ip", "addr").stdout() + from.exec("ip", "route").stdout()
                    + from.exec("ip", "-6", "route").stdout());
        }
    }
}
