// SPDX-License-Identifier: MIT
package io.jwg.core.transport;

import io.jwg.core.IpLiterals;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A peer's UDP address (whitepaper section 2.1: "endpoint"). Immutable, so the data path can swap
 * a peer's endpoint with one reference write when it roams. IPv4-mapped IPv6 addresses are
 * normalized to IPv4, so that the same peer seen through a dual-stack socket compares equal.
 */
public final class Endpoint {
    private final InetSocketAddress address;
    private final byte[] addressBytes;

    private Endpoint(InetSocketAddress address) {
        this.address = address;
        this.addressBytes = address.getAddress().getAddress();
    }

    public static Endpoint of(InetSocketAddress address) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("endpoint must be a resolved address: " + address);
        }
        InetAddress a = address.getAddress();
        if (a instanceof Inet6Address v6 && isV4Mapped(v6.getAddress())) {
            try {
                a = InetAddress.getByAddress(java.util.Arrays.copyOfRange(v6.getAddress(), 12, 16));
            } catch (UnknownHostException e) {
                throw new AssertionError(e);
            }
            address = new InetSocketAddress(a, address.getPort());
        }
        return new Endpoint(address);
    }

    public static Endpoint of(InetAddress address, int port) {
        return of(new InetSocketAddress(address, port));
    }

    public InetSocketAddress address() {
        return address;
    }

    public int port() {
        return address.getPort();
    }

    public boolean isIpv6() {
        return address.getAddress() instanceof Inet6Address;
    }

    /** The raw address (4 or 16 bytes). Not a copy: callers must not modify it. */
    public byte[] addressBytes() {
        return addressBytes;
    }

    /** True when {@code other} is the same address and port (cheap: no allocation). */
    public boolean sameAs(InetSocketAddress other) {
        return other != null && other.getPort() == address.getPort() && sameAddress(other.getAddress());
    }

    private boolean sameAddress(InetAddress other) {
        if (other instanceof Inet4Address) {
            return address.getAddress().equals(other);
        }
        if (other instanceof Inet6Address v6 && address.getAddress() instanceof Inet4Address) {
            byte[] b = v6.getAddress();
            return isV4Mapped(b) && java.util.Arrays.equals(b, 12, 16, addressBytes, 0, 4);
        }
        return address.getAddress().equals(other);
    }

    private static boolean isV4Mapped(byte[] b) {
        if (b.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    /**
     * The text form used by the UAPI and {@code wg}: {@code 192.0.2.1:51820} or
     * {@code [2001:db8::1]:51820} (RFC 5952 form, as wireguard-go prints it).
     */
    @Override
    public String toString() {
        String host = IpLiterals.format(addressBytes);
        return isIpv6() ? "[" + host + "]:" + address.getPort() : host + ":" + address.getPort();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Endpoint e && e.address.equals(address);
    }

    @Override
    public int hashCode() {
        return address.hashCode();
    }
}
