// SPDX-License-Identifier: MIT
package io.jwg.cli;

import io.jwg.core.IpLiterals;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Where the daemon serves its Prometheus metrics: the value of {@code JWG_METRICS}, an IP literal
 * and a port, {@code 10.13.0.1:9586} or {@code [fd00::1]:9586}. Host names are refused (a daemon
 * must not depend on DNS to start), and so is port 0 (the port has to be known to be scraped).
 */
record MetricsAddress(InetSocketAddress socketAddress) {
    /** The environment variable the daemon reads at start. */
    static final String VARIABLE = "JWG_METRICS";

    /** The address from {@code JWG_METRICS}, or null when it is unset or empty. */
    static MetricsAddress fromEnvironment() throws StartupFailure {
        String value = System.getenv(VARIABLE);
        return value == null || value.isEmpty() ? null : parse(value);
    }

    /** Parses {@code ADDRESS:PORT} or {@code [IPV6-ADDRESS]:PORT}; the failure says what is wrong. */
    static MetricsAddress parse(String value) throws StartupFailure {
        String host;
        String port;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0 || close + 1 >= value.length() || value.charAt(close + 1) != ':') {
                throw bad(value, "an IPv6 address is written [ADDRESS]:PORT");
            }
            host = value.substring(1, close);
            port = value.substring(close + 2);
            if (host.indexOf(':') < 0) {
                throw bad(value, "only IPv6 addresses go in brackets");
            }
        } else {
            int colon = value.lastIndexOf(':');
            if (colon < 0) {
                throw bad(value, "no port");
            }
            host = value.substring(0, colon);
            port = value.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw bad(value, "an IPv6 address is written [ADDRESS]:PORT");
            }
        }
        byte[] addr;
        try {
            addr = IpLiterals.parse(host);
        } catch (IllegalArgumentException e) {
            throw bad(value, "'" + host + "' is not an IP address (" + e.getMessage() + ")");
        }
        int p;
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw bad(value, "'" + port + "' is not a port number");
        }
        p = Integer.parseInt(port);
        if (p < 1 || p > 65535) {
            throw bad(value, "the port must be 1 to 65535");
        }
        try {
            InetAddress a = addr.length == 4 ? InetAddress.getByAddress(addr) : Inet6Address.getByAddress(null, addr, -1);
            return new MetricsAddress(new InetSocketAddress(a, p));
        } catch (UnknownHostException e) {
            throw bad(value, e.getMessage());
        }
    }

    private static StartupFailure bad(String value, String why) {
        return new StartupFailure("invalid " + VARIABLE + " '" + value + "': " + why
                + " (expected ADDRESS:PORT, e.g. 10.13.0.1:9586 or [fd00::1]:9586)");
    }

    @Override
    public String toString() {
        InetAddress a = socketAddress.getAddress();
        String host = IpLiterals.format(a.getAddress());
        return (a instanceof Inet6Address ? "[" + host + "]" : host) + ":" + socketAddress.getPort();
    }
}
