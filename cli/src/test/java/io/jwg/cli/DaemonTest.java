// SPDX-License-Identifier: MIT
package io.jwg.cli;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Interface names are checked as Linux checks them, before one is used in a socket path. */
class DaemonTest {

    @Test
    void namesLinuxAcceptsPass() {
        assertNull(Daemon.invalidNameReason("wg0"));
        assertNull(Daemon.invalidNameReason("a23456789012345"));
        assertNull(Daemon.invalidNameReason("wg-quick_=+.x"));
        assertNull(Daemon.invalidNameReason("wg%d"), "a pattern: the kernel picks the number");
    }

    @Test
    void namesLinuxRefusesAreRefusedWithTheReason() {
        assertTrue(Daemon.invalidNameReason("a234567890123456").contains("too long (16 bytes"));
        assertTrue(Daemon.invalidNameReason("ééééééé¢").contains("too long"), "bytes count, not characters");
        assertTrue(Daemon.invalidNameReason("").contains("empty"));
        assertTrue(Daemon.invalidNameReason("..").contains("not a valid"));
        assertTrue(Daemon.invalidNameReason(".").contains("not a valid"));
        assertTrue(Daemon.invalidNameReason("../etc").contains("'/'"));
        assertTrue(Daemon.invalidNameReason("wg:1").contains("':'"));
        assertTrue(Daemon.invalidNameReason("wg 1").contains("whitespace"));
    }
}
