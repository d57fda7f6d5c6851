// SPDX-License-Identifier: MIT
package io.jwg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.cli.DaemonLog.LineFormatter;
import io.jwg.cli.DaemonLog.Verbosity;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class DaemonLogTest {

    @Test
    void logLevelValuesAreReadAsWireguardGoReadsThem() {
        assertEquals(Verbosity.ERROR, Verbosity.parse(null));
        assertEquals(Verbosity.ERROR, Verbosity.parse("error"));
        assertEquals(Verbosity.ERROR, Verbosity.parse("nonsense"), "unknown values fall back to the default");
        assertEquals(Verbosity.SILENT, Verbosity.parse("silent"));
        assertEquals(Verbosity.VERBOSE, Verbosity.parse("verbose"));
        assertEquals(Verbosity.DEBUG, Verbosity.parse("DEBUG"));
    }

    @Test
    void eachLevelShowsItsOwnRecordsAndThoseAboveIt() {
        assertFalse(Verbosity.ERROR.julLevel.intValue() <= Level.INFO.intValue(), "error hides info");
        assertTrue(Verbosity.ERROR.julLevel.intValue() <= Level.WARNING.intValue());
        assertTrue(Verbosity.VERBOSE.julLevel.intValue() <= Level.INFO.intValue());
        assertFalse(Verbosity.VERBOSE.julLevel.intValue() <= Level.FINE.intValue(), "verbose hides debug");
        assertTrue(Verbosity.DEBUG.julLevel.intValue() <= Level.FINEST.intValue());
        assertEquals(Level.OFF, Verbosity.SILENT.julLevel);
    }

    @Test
    void aRecordIsOneLineWithLevelInterfaceAndTimestampLikeWireguardGo() {
        LogRecord r = new LogRecord(Level.FINE, "Routine: receive incoming {0} - started");
        r.setParameters(new Object[] {"IPv4"});
        Instant at = LocalDateTime.of(2026, 11, 22, 12, 0, 5).atZone(ZoneId.systemDefault()).toInstant();
        r.setInstant(at);
        assertEquals("DEBUG: (wg0) 2026/11/22 12:00:05 Routine: receive incoming IPv4 - started\n",
                new LineFormatter("wg0", false).format(r));
    }

    @Test
    void aThrowableAddsItsMessageAndOnlyDebugAddsTheStackTrace() {
        LogRecord r = new LogRecord(Level.SEVERE, "Failed to bind");
        r.setThrown(new IOException("Address already in use"));
        String brief = new LineFormatter("wg0", false).format(r);
        assertTrue(brief.startsWith("ERROR: (wg0) "), brief);
        assertTrue(brief.endsWith(" Failed to bind: Address already in use\n"), brief);
        assertEquals(1, brief.lines().count());
        String detailed = new LineFormatter("wg0", true).format(r);
        assertTrue(detailed.contains("\tat "), detailed);
    }

    @Test
    void levelsAreTaggedWithWordsAUserKnows() {
        assertEquals("ERROR", LineFormatter.tag(Level.SEVERE));
        assertEquals("WARNING", LineFormatter.tag(Level.WARNING));
        assertEquals("INFO", LineFormatter.tag(Level.INFO));
        assertEquals("DEBUG", LineFormatter.tag(Level.FINE));
        assertEquals("DEBUG", LineFormatter.tag(Level.FINEST));
    }
}
