// SPDX-License-Identifier: MIT
package io.jwg.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UniqueNamesTest {

    @Test
    void namesAreDistinctAndFitLinuxInterfaceNames() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1296; i++) {
            String n = UniqueNames.next("wgg");
            assertTrue(n.length() <= UniqueNames.IFNAMSIZ_MAX, n);
            assertTrue(n.matches("wgg[a-z0-9]+"), n);
            seen.add(n);
        }
        assertEquals(1296, seen.size());
    }

    @Test
    void longestPrefixStillFits() {
        assertTrue(UniqueNames.next("abcd").length() <= UniqueNames.IFNAMSIZ_MAX);
    }

    @Test
    void prefixesThatWouldBreakToolsOrLengthAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> UniqueNames.next("abcde"));
        assertThrows(IllegalArgumentException.class, () -> UniqueNames.next("a/b"));
        assertThrows(IllegalArgumentException.class, () -> UniqueNames.next(""));
        assertThrows(IllegalArgumentException.class, () -> UniqueNames.next("1ab"));
    }
}
