// SPDX-License-Identifier: MIT
package io.jwg.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class VethTest {

    @Test
    @Tag(Requirements.TAG)
    void dualStackVethCarriesPingsBothWays() {
        Requirements.assumeNetns();
        try (Netns a = Netns.create(); Netns b = Netns.create()) {
            Veth veth = Veth.connectDualStack(a, b);
            assertEquals("192.0.2.2", veth.b().ipv4().getHostAddress());
            Ping.assertReachable(a, "192.0.2.2");
            Ping.assertReachable(b, "192.0.2.1");
            Ping.assertReachable(a, "2001:db8::2");
            Ping.assertReachable(b, "2001:db8::1");
        }
    }

    @Test
    @Tag(Requirements.TAG)
    void secondVethOnOtherDocumentationRangeWithMtu() {
        Requirements.assumeNetns();
        try (Netns a = Netns.create(); Netns b = Netns.create()) {
            Veth.connectDualStack(a, b);
            Veth second = Veth.connect(a, b).ipv4("198.51.100.1/24", "198.51.100.2/24").mtu(1280);
            assertTrue(a.execOk("ip", "link", "show", second.a().ifname()).stdout().contains("mtu 1280"));
            Ping.assertReachable(b, "198.51.100.1");
        }
    }

    @Test
    void underlayAddressesOutsideDocumentationRangesAreRefused() {
        assertEquals("192.0.2.7", Veth.underlayAddress("192.0.2.7/24", false).getHostAddress());
        assertEquals("198.51.100.1", Veth.underlayAddress("198.51.100.1/32", false).getHostAddress());
        assertEquals("2001:db8:0:0:0:0:0:1", Veth.underlayAddress("2001:db8::1/64", true).getHostAddress());
        assertThrows(IllegalArgumentException.class, () -> Veth.underlayAddress("10.0.0.1/24", false));
        assertThrows(IllegalArgumentException.class, () -> Veth.underlayAddress("203.0.113.1/24", false));
        assertThrows(IllegalArgumentException.class, () -> Veth.underlayAddress("192.0.2.1/16", false));
        assertThrows(IllegalArgumentException.class, () -> Veth.underlayAddress("192.0.2.1", false));
        assertThrows(IllegalArgumentException.class, () -> Veth.underlayAddress("fd00::1/64", true));
        assertThrows(IllegalArgumentException.class, () -> Veth.underlayAddress("2001:db8::1/16", true));
        assertThrows(IllegalArgumentException.class, () -> Veth.underlayAddress("example.com/24", false));
        assertThrows(IllegalArgumentException.class, () -> Veth.underlayAddress("2001:db8::1/64", false));
    }
}
