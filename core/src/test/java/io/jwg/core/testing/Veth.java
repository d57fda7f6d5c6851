// SPDX-License-Identifier: MIT
package io.jwg.core.testing;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A virtual Ethernet cable (veth(4)) between two namespaces: the underlay over which WireGuard
 * peers in a test exchange their UDP datagrams.
 *
 * <p>Both ends are created directly in their namespaces and brought up; addresses are added with
 * {@link #ipv4} and {@link #ipv6}. Underlay addresses must come from the documentation ranges
 * (RFC 5737: 192.0.2.0/24, 198.51.100.0/24; RFC 3849: 2001:db8::/32) so that no test can ever
 * address a real network; anything else is refused. IPv6 addresses are added with {@code nodad}:
 * duplicate address detection would otherwise keep them unusable ("tentative") for about a
 * second. Deleting either namespace deletes the pair, so a veth needs no cleanup of its own.
 *
 * <p>Not thread-safe; configure it from one thread, then read it from any.
 */
public final class Veth {

    /** One end of the cable: its namespace, interface name and (once added) addresses. */
    public static final class End {
        private final Netns netns;
        private final String ifname;
        private volatile InetAddress ipv4;
        private volatile InetAddress ipv6;

        private End(Netns netns, String ifname) {
            this.netns = netns;
            this.ifname = ifname;
        }

        public Netns netns() {
            return netns;
        }

        public String ifname() {
            return ifname;
        }

        /** The IPv4 address added by {@link Veth#ipv4}. */
        public InetAddress ipv4() {
            if (ipv4 == null) {
                throw new IllegalStateException(ifname + " has no IPv4 address");
            }
            return ipv4;
        }

        /** The IPv6 address added by {@link Veth#ipv6}. */
        public InetAddress ipv6() {
            if (ipv6 == null) {
                throw new IllegalStateException(ifname + " has no IPv6 address");
            }
            return ipv6;
        }

        @Override
        public String toString() {
            return netns.name() + ":" + ifname;
        }
    }

    private final End a;
    private final End b;

    private Veth(End a, End b) {
        this.a = a;
        this.b = b;
    }

    /** Creates a veth pair with one end in {@code a} and the other in {@code b}, both up. */
    public static Veth connect(Netns a, Netns b) {
        Veth veth = new Veth(new End(a, UniqueNames.next("ve")), new End(b, UniqueNames.next("ve")));
        a.execOk("ip", "link", "add", veth.a.ifname, "type", "veth",
                "peer", "name", veth.b.ifname, "netns", b.name());
        a.execOk("ip", "link", "set", veth.a.ifname, "up");
        b.execOk("ip", "link", "set", veth.b.ifname, "up");
        return veth;
    }

    /**
     * Connects {@code a} and {@code b} with the usual addresses: 192.0.2.1/24 and 2001:db8::1/64
     * on {@code a}, 192.0.2.2/24 and 2001:db8::2/64 on {@code b}.
     */
    public static Veth connectDualStack(Netns a, Netns b) {
        return connect(a, b).ipv4("192.0.2.1/24", "192.0.2.2/24").ipv6("2001:db8::1/64", "2001:db8::2/64");
    }

    /** The end in the first namespace given to {@code connect}. */
    public End a() {
        return a;
    }

    /** The end in the second namespace given to {@code connect}. */
    public End b() {
        return b;
    }

    /** Adds IPv4 addresses (CIDR, inside 192.0.2.0/24 or 198.51.100.0/24) to the two ends. */
    public Veth ipv4(String cidrA, String cidrB) {
        a.ipv4 = add(a, cidrA, false);
        b.ipv4 = add(b, cidrB, false);
        return this;
    }

    /** Adds IPv6 addresses (CIDR, inside 2001:db8::/32), usable at once, to the two ends. */
    public Veth ipv6(String cidrA, String cidrB) {
        a.ipv6 = add(a, cidrA, true);
        b.ipv6 = add(b, cidrB, true);
        return this;
    }

    /** Sets the MTU of both ends, e.g. to provoke fragmentation or path-MTU behaviour. */
    public Veth mtu(int mtu) {
        a.netns.execOk("ip", "link", "set", a.ifname, "mtu", Integer.toString(mtu));
        b.netns.execOk("ip", "link", "set", b.ifname, "mtu", Integer.toString(mtu));
        return this;
    }

    @Override
    public String toString() {
        return "veth " + a + " <-> " + b;
    }

    private static InetAddress add(End end, String cidr, boolean v6) {
        InetAddress address = underlayAddress(cidr, v6);
        if (v6) {
            end.netns.execOk("ip", "-6", "addr", "add", cidr, "dev", end.ifname, "nodad");
        } else {
            end.netns.execOk("ip", "addr", "add", cidr, "dev", end.ifname);
        }
        return address;
    }

    /** Parses the address part of {@code cidr}, refusing anything outside the documentation ranges. */
    static InetAddress underlayAddress(String cidr, boolean v6) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("expected address/prefix: " + cidr);
        }
        String literal = cidr.substring(0, slash);
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length: " + cidr, e);
        }
        if (!literal.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an address literal: " + cidr);
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + cidr, e);
        }
        byte[] b = address.getAddress();
        boolean allowed = v6
                ? address instanceof Inet6Address && (b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01
                        && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8
                : address instanceof Inet4Address && (((b[0] & 0xff) == 192 && b[1] == 0 && b[2] == 2)
                        || ((b[0] & 0xff) == 198 && b[1] == 51 && b[2] == 100));
        // A shorter prefix would route more than the documentation range to the veth.
        if (!allowed || prefix > (v6 ? 128 : 32) || prefix < (v6 ? 32 : 24)) {
            throw new IllegalArgumentException("underlay addresses must be in "
                    + (v6 ? "2001:db8::/32" : "192.0.2.0/24 or 198.51.100.0/24") + ": " + cidr);
        }
        return address;
    }
}
