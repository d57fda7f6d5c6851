// SPDX-License-Identifier: MIT
package io.jwg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code JWG_UDP_OFFLOAD}: on by default, {@code gso} or {@code off} on request, anything else refused. */
class UdpOffloadTest {

    @Test
    void unsetOrEmptyMeansBothOffloads() throws StartupFailure {
        assertEquals(UdpOffload.ON, UdpOffload.parse(null));
        assertEquals(UdpOffload.ON, UdpOffload.parse(""));
        assertTrue(UdpOffload.ON.gso && UdpOffload.ON.gro);
    }

    @Test
    void namedSettingsInAnyCase() throws StartupFailure {
        assertEquals(UdpOffload.ON, UdpOffload.parse("on"));
        assertEquals(UdpOffload.OFF, UdpOffload.parse("OFF"));
        assertEquals(UdpOffload.GSO, UdpOffload.parse("gso"));
        assertFalse(UdpOffload.OFF.gso || UdpOffload.OFF.gro);
        assertTrue(UdpOffload.GSO.gso && !UdpOffload.GSO.gro);
    }

    @Test
    void anythingElseIsRefusedSayingWhatIsExpected() {
        StartupFailure e = assertThrows(StartupFailure.class, () -> UdpOffload.parse("no"));
        assertTrue(e.getMessage().contains("JWG_UDP_OFFLOAD=no"), e.getMessage());
        assertTrue(e.getMessage().contains("on, gso or off"), e.getMessage());
    }
}
