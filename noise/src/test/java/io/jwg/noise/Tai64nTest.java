// SPDX-License-Identifier: MIT
package io.jwg.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.noise.crypto.Bytes;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class Tai64nTest {

    @Test
    void encodesSecondsWithTheTaiOffsetAndWhitenedNanoseconds() {
        String[][] table = {
            {"1970-01-01T00:00:00Z", "400000000000000a00000000"},
            {"1970-01-01T00:00:01.016777215Z", "400000000000000b00000000"},
            {"1970-01-01T00:00:01.016777216Z", "400000000000000b01000000"},
            {"2026-06-01T12:00:00.999999999Z", "400000006a1d744a3b000000"},
        };
        for (String[] row : table) {
            assertEquals(row[1], Bytes.toHex(Tai64n.of(Instant.parse(row[0]))), row[0]);
        }
    }

    @Test
    void laterInstantsOutsideTheWhiteningGranuleAreAfter() {
        Instant t = Instant.parse("2026-06-01T12:00:00Z");
        byte[] a = Tai64n.of(t);
        assertFalse(Tai64n.isAfter(Tai64n.of(t.plusMillis(10)), a), "same 16.7 ms granule");
        assertTrue(Tai64n.isAfter(Tai64n.of(t.plusMillis(17)), a));
        assertTrue(Tai64n.isAfter(Tai64n.of(t.plusSeconds(1)), a));
        assertFalse(Tai64n.isAfter(a, a));
        assertTrue(Tai64n.isAfter(a, new byte[12]));
    }
}
