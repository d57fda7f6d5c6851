// SPDX-License-Identifier: MIT
package io.jwg.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.AllowedIps.Prefix;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing and printing of AllowedIPs prefixes (address text per RFC 4291 in, RFC 5952 out). */
class AllowedIpsPrefixTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "10.1.2.3/32, 10.1.2.3/32",
        "10.1.2.3/24, 10.1.2.0/24",
        "10.1.2.3, 10.1.2.3/32",
        "0.0.0.0/0, 0.0.0.0/0",
        "255.255.255.255/1, 128.0.0.0/1",
        "fd00::1/128, fd00::1/128",
        "fd00::1, fd00::1/128",
        "fd00::1/64, fd00::/64",
        "FD00:0:0:0:0:0:0:1/127, fd00::/127",
        "::/0, ::/0",
        "::1, ::1/128",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1/128",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1/128",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1/128",
        "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0/128",
        "::ffff:10.1.2.3, ::ffff:10.1.2.3/128",
        "::ffff:10.1.2.3/112, ::ffff:10.1.0.0/112",
        "0:0:0:0:0:ffff:a01:203, ::ffff:10.1.2.3/128",
        "64:ff9b::192.0.2.33, 64:ff9b::c000:221/128",
        "' 10.0.0.0/8 ', 10.0.0.0/8",
    })
    void parsesMasksAndPrintsCanonically(String text, String canonical) {
        Prefix p = Prefix.parse(text);
        assertEquals(canonical, p.toString());
        assertEquals(p, Prefix.parse(canonical), "the canonical text parses back to the same prefix");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {
        "", "/", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/8/8", "10.0.0/8",
        "10.0.0.0.0", "10.0.0.256", "010.0.0.1", "10.0.0.x", "10..0.1", "1e1.0.0.1", "fd00::/129",
        "fd00:::1", "fd00::1::2", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "fd00::g",
        "fe80::1%eth0", "localhost", "example.com/32", "::ffff:10.0.0", "10.0.0.1::", ":1::", "1::2:",
        "fd00::/ 8", "fd00::/0x8", "10.0.0.0/1000",
    })
    void rejectsMalformedTextNamingTheInput(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Prefix.parse(text));
        assertTrue(e.getMessage().startsWith("invalid IP prefix \"" + text + "\": "), e.getMessage());
    }

    @Test
    void ipv4MappedAddressesStayIpv6() {
        Prefix mapped = Prefix.parse("::ffff:10.0.0.1");
        Prefix plain = Prefix.parse("10.0.0.1");
        assertInstanceOf(Inet6Address.class, mapped.address());
        assertInstanceOf(Inet4Address.class, plain.address());
        assertFalse(mapped.isV4());
        assertTrue(plain.isV4());
        assertNotEquals(mapped, plain);
        assertEquals(16, mapped.bytes().length);
    }

    @Test
    void constructorMasksHostBitsOfAnyAddress() throws Exception {
        Prefix p = new Prefix(InetAddress.getByName("192.0.2.77"), 25);
        assertEquals("192.0.2.0/25", p.toString());
        assertArrayEquals(new byte[] {(byte) 192, 0, 2, 0}, p.bytes());
        assertEquals(Prefix.of(new byte[] {(byte) 192, 0, 2, 99}, 25), p);
        assertThrows(IllegalArgumentException.class, () -> new Prefix(InetAddress.getByName("192.0.2.1"), 33));
        assertThrows(IllegalArgumentException.class, () -> Prefix.of(new byte[3], 0));
    }

    @Test
    void bytesReturnsACopy() {
        Prefix p = Prefix.parse("10.0.0.0/8");
        p.bytes()[0] = 99;
        assertEquals("10.0.0.0/8", p.toString());
    }
}
