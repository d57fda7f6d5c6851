// SPDX-License-Identifier: MIT
package io.jwg.cli.scenarios;

import io.jwg.core.testing.Netns;
import io.jwg.core.testing.Veth;

/**
 * An Ethernet switch for scenarios with more than two hosts on one underlay: a Linux bridge in a
 * namespace of its own, and a veth from it to each attached namespace, which gets an underlay
 * address on its end. Closing it deletes the bridge namespace, and with it every cable (the far
 * ends vanish with their veth pairs).
 */
public final class UnderlayLan implements AutoCloseable {
    private final Netns ns;

    public UnderlayLan() {
        ns = Netns.create("lan");
        ns.execOk("ip", "link", "add", "br0", "type", "bridge");
        ns.execOk("ip", "link", "set", "br0", "up");
    }

    /**
     * Plugs {@code host} into the switch with the underlay address {@code cidr} (inside 192.0.2.0/24
     * or 198.51.100.0/24) and returns the name of the host's interface.
     */
    public String attach(Netns host, String cidr) {
        if (!cidr.matches("(192\\.0\\.2|198\\.51\\.100)\\.\\d{1,3}/(2[4-9]|3[0-2])")) {
            throw new IllegalArgumentException(
                    "underlay addresses must be in 192.0.2.0/24 or 198.51.100.0/24: " + cidr);
        }
        Veth cable = Veth.connect(ns, host);
        ns.execOk("ip", "link", "set", cable.a().ifname(), "master", "br0");
        host.execOk("ip", "addr", "add", cidr, "dev", cable.b().ifname());
        return cable.b().ifname();
    }

    /** Plugs a scenario node into the switch; see {@link #attach(Netns, String)}. */
    public String attach(Node node, String cidr) {
        return attach(node.netns(), cidr);
    }

    @Override
    public void close() {
        ns.close();
    }
}
