// SPDX-License-Identifier: MIT
package io.jwg.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WgDumpTest {

    private static final String PRIV = "aGVsbG8gd29ybGQgaGVsbG8gd29ybGQgaGVsbG8gd28=";
    private static final String PUB = "cHVibGljIGtleSBwdWJsaWMga2V5IHB1YmxpYyBrZXk=";
    private static final String PEER1 = "cGVlciBvbmUgcGVlciBvbmUgcGVlciBvbmUgcGVlcjE=";
    private static final String PEER2 = "cGVlciB0d28gcGVlciB0d28gcGVlciB0d28gcGVlcjI=";
    private static final String PSK = "cHNrIHBzayBwc2sgcHNrIHBzayBwc2sgcHNrIHBzazA=";

    @Test
    void parsesInterfaceLineAndPeerLines() {
        String dump = PRIV + "\t" + PUB + "\t51820\toff\n"
                + PEER1 + "\t" + PSK + "\t192.0.2.2:51821\t10.9.0.2/32,10.10.0.0/16\t1767225600\t1184\t1336\t25\n"
                + PEER2 + "\t(none)\t(none)\t(none)\t0\t0\t0\toff\n";
        WgDump d = WgDump.parse(dump);
        assertEquals(PRIV, d.privateKey());
        assertEquals(PUB, d.publicKey());
        assertEquals(51820, d.listenPort());
        assertEquals(0, d.fwmark());
        assertEquals(2, d.peers().size());

        WgDump.Peer p1 = d.peer(PEER1).orElseThrow();
        assertEquals(PSK, p1.presharedKey());
        assertEquals("192.0.2.2:51821", p1.endpoint());
        assertEquals(List.of("10.9.0.2/32", "10.10.0.0/16"), p1.allowedIps());
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), p1.latestHandshake().orElseThrow());
        assertEquals(1184, p1.rxBytes());
        assertEquals(1336, p1.txBytes());
        assertEquals(25, p1.persistentKeepalive());

        WgDump.Peer p2 = d.peers().get(1);
        assertNull(p2.presharedKey());
        assertNull(p2.endpoint());
        assertEquals(List.of(), p2.allowedIps());
        assertFalse(p2.hasHandshake());
        assertEquals(0, p2.persistentKeepalive());
    }

    @Test
    void parsesUnconfiguredInterfaceWithFwmarkAndIpv6Endpoint() {
        WgDump d = WgDump.parse("(none)\t(none)\t0\t0x2a\n"
                + PEER1 + "\t(none)\t[2001:db8::2]:51820\t::/0\t0\t0\t0\toff\n");
        assertNull(d.privateKey());
        assertEquals(42, d.fwmark());
        assertEquals("[2001:db8::2]:51820", d.peers().get(0).endpoint());
        assertTrue(d.peer(PEER2).isEmpty());
    }

    @Test
    void malformedLinesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> WgDump.parse(""));
        assertThrows(IllegalArgumentException.class, () -> WgDump.parse("a\tb\t1\n"));
        assertThrows(IllegalArgumentException.class, () -> WgDump.parse("a\tb\t1\toff\npeer\tonly\n"));
    }
}
