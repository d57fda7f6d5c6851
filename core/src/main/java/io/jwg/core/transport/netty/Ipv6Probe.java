// SPDX-License-Identifier: MIT
package io.jwg.core.transport.netty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Whether IPv6 is usable in the calling thread's network namespace, deciding between a dual-stack
 * and an IPv4-only socket (wireguard-go likewise falls back to IPv4 alone when udp6 fails).
 *
 * <p>Two ways to turn IPv6 off: the {@code ipv6.disable=1} boot parameter removes
 * {@code /proc/sys/net/ipv6} (and makes {@code socket(AF_INET6)} fail), and
 * {@code sysctl net.ipv6.conf.all.disable_ipv6=1} turns it off in one namespace. In the latter case
 * a dual-stack socket would still bind and carry IPv4, but an IPv4-only socket states the truth:
 * no IPv6 endpoint is reachable, and sources arrive as plain IPv4.
 *
 * <p>{@code /proc/sys/net} answers for the network namespace of the thread that opens it, so the
 * probe must run on the thread that creates the socket (which may have called setns()).
 */
final class Ipv6Probe {
    private static final Path DISABLE_IPV6 = Path.of("/proc/sys/net/ipv6/conf/all/disable_ipv6");

    private Ipv6Probe() {
    }

    static boolean enabledInCallersNamespace() {
        try {
            String value = Files.readString(DISABLE_IPV6, StandardCharsets.US_ASCII).trim();
            return !value.equals("1");
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            // Unreadable /proc (odd sandbox): try IPv6 and let socket creation decide.
            return true;
        }
    }
}
