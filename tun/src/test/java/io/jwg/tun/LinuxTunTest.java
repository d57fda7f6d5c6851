// SPDX-License-Identifier: MIT
package io.jwg.tun;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Arguments LinuxTun refuses before touching the kernel; no privileges needed. */
class LinuxTunTest {

    @Test
    void aNameLongerThan15BytesIsRefusedWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinuxTun.create("wg-much-too-long", 1420));
        assertTrue(e.getMessage().contains("16 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("at most 15"), e.getMessage());
    }

    @Test
    void multiByteCharactersCountAsBytes() {
        // 8 characters, 16 bytes in UTF-8.
        assertThrows(IllegalArgumentException.class, () -> LinuxTun.create("éééééééé", 1420));
    }

    @Test
    void namesLinuxForbidsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LinuxTun.create("wg/0", 1420));
        assertThrows(IllegalArgumentException.class, () -> LinuxTun.create("wg 0", 1420));
        assertThrows(IllegalArgumentException.class, () -> LinuxTun.create("wg:0", 1420));
        assertThrows(IllegalArgumentException.class, () -> LinuxTun.create("..", 1420));
    }

    @Test
    void anMtuOutsideWhatTunAcceptsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> LinuxTun.create("wg0", 67));
        assertThrows(IllegalArgumentException.class, () -> LinuxTun.create("wg0", 65536));
    }
}
