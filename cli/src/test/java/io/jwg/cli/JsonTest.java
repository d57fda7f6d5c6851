// SPDX-License-Identifier: MIT
package io.jwg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void readsTheShapeOfAnIperf3Report() {
        Object r = Json.parse("""
                {"start": {"connected": [{"socket": 5}]},
                 "end": {"sum_received": {"bits_per_second": 1.5e9, "bytes": 123},
                         "sum_sent": {"retransmits": 0}}, "title": "a \\"b\\" \\u0041", "ok": true, "x": null}
                """);
        assertEquals(1.5e9, Json.at(r, "end", "sum_received", "bits_per_second"));
        assertEquals(0.0, Json.at(r, "end", "sum_sent", "retransmits"));
        assertEquals("a \"b\" A", Json.at(r, "title"));
        assertEquals(List.of(Map.of("socket", 5.0)), Json.at(r, "start", "connected"));
        assertEquals(Boolean.TRUE, Json.at(r, "ok"));
    }

    @Test
    void refusesWhatIsNotJson() {
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1,}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{} x"));
        assertThrows(IllegalArgumentException.class, () -> Json.at(Json.parse("{}"), "end"));
    }
}
