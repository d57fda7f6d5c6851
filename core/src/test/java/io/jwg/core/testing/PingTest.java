// SPDX-License-Identifier: MIT
package io.jwg.core.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag(Requirements.TAG)
class PingTest {

    @BeforeEach
    void requireNamespaces() {
        Requirements.assumeNetns();
    }

    @Test
    void echoRequestsReachThePeersIcmpStack() {
        try (Netns a = Netns.create(); Netns b = Netns.create()) {
            Veth.connectDualStack(a, b);
            long v4Before = counter(b, "/proc/net/snmp", "Icmp:", "InEchos");
            long v6Before = counter(b, "/proc/net/snmp6", null, "Icmp6InEchos");
            assertTrue(Ping.reachable(a, "192.0.2.2", Ping.DEFAULT_TIMEOUT));
            assertTrue(Ping.reachable(a, "2001:db8::2", Ping.DEFAULT_TIMEOUT));
            assertTrue(counter(b, "/proc/net/snmp", "Icmp:", "InEchos") > v4Before);
            assertTrue(counter(b, "/proc/net/snmp6", null, "Icmp6InEchos") > v6Before);
        }
    }

    @Test
    void addressNobodyHasIsNotReachable() {
        try (Netns a = Netns.create(); Netns b = Netns.create()) {
            Veth.connectDualStack(a, b);
            assertFalse(Ping.reachable(a, "192.0.2.99", Duration.ofMillis(300)));
        }
    }

    /**
     * Reads a counter from the namespace's SNMP statistics: /proc/net/snmp has a header line and a
     * value line per protocol, /proc/net/snmp6 one "name value" line per counter.
     */
    private static long counter(Netns ns, String file, String section, String name) {
        List<String> lines = ns.execOk("cat", file).stdout().lines().toList();
        if (section == null) {
            return lines.stream().map(l -> l.split("\\s+")).filter(f -> f[0].equals(name))
                    .mapToLong(f -> Long.parseLong(f[1])).findFirst().orElseThrow();
        }
        List<String> pair = lines.stream().filter(l -> l.startsWith(section + " ")).toList();
        List<String> names = List.of(pair.get(0).split("\\s+"));
        return Long.parseLong(pair.get(1).split("\\s+")[names.indexOf(name)]);
    }
}
