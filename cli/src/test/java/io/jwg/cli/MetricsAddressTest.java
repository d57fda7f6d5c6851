// SPDX-License-Identifier: MIT
package io.jwg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code JWG_METRICS}: ADDRESS:PORT or [IPV6]:PORT, literals only, and a clear reason otherwise. */
class MetricsAddressTest {

    @Test
    void literalsWithAPortAreAccepted() throws StartupFailure {
        assertEquals("10.13.0.1:9586", MetricsAddress.parse("10.13.0.1:9586").toString());
        assertEquals(9586, MetricsAddress.parse("10.13.0.1:9586").socketAddress().getPort());
        assertEquals("[fd00::1]:9586", MetricsAddress.parse("[fd00:0::1]:9586").toString());
        assertEquals("[::]:1", MetricsAddress.parse("[::]:1").toString());
        assertEquals("0.0.0.0:65535", MetricsAddress.parse("0.0.0.0:65535").toString());
    }

    @Test
    void anythingElseIsRefusedSayingWhy() {
        assertRefused("10.13.0.1", "no port");
        assertRefused("10.13.0.1:", "is not a port number");
        assertRefused("10.13.0.1:http", "is not a port number");
        assertRefused("10.13.0.1:0", "1 to 65535");
        assertRefused("10.13.0.1:65536", "1 to 65535");
        assertRefused("10.13.0.1:-1", "is not a port number");
        assertRefused("localhost:9586", "is not an IP address");
        assertRefused("10.13.0.256:9586", "is not an IP address");
        assertRefused(":9586", "is not an IP address");
        assertRefused("fd00::1:9586", "[ADDRESS]:PORT");
        assertRefused("[fd00::1]9586", "[ADDRESS]:PORT");
        assertRefused("[fd00::1:9586", "[ADDRESS]:PORT");
        assertRefused("[10.0.0.1]:9586", "only IPv6");
    }

    private static void assertRefused(String value, String why) {
        StartupFailure f = assertThrows(StartupFailure.class, () -> MetricsAddress.parse(value), value);
        assertTrue(f.getMessage().startsWith("invalid JWG_METRICS '" + value + "': "), f.getMessage());
        assertTrue(f.getMessage().contains(why), f.getMessage());
        assertTrue(f.getMessage().contains("e.g. 10.13.0.1:9586"), f.getMessage());
    }
}
