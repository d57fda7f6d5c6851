// SPDX-License-Identifier: MIT
package io.jwg.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.AllowedIps.Prefix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Static behaviour of the cryptokey routing table; see AllowedIpsModelTest for random and concurrent checks. */
class AllowedIpsTest {
    /** Equal by name but compared by identity in the table. */
    record Peer(String name) {
    }

    private final Peer a = new Peer("a");
    private final Peer b = new Peer("b");
    private final Peer c = new Peer("c");
    private final Peer d = new Peer("d");
    private final Peer e = new Peer("e");
    private final Peer f = new Peer("f");
    private final Peer g = new Peer("g");
    private final Peer h = new Peer("h");
    private final AllowedIps<Peer> table = new AllowedIps<>();

    static byte[] ip(String literal) {
        return IpLiterals.parse(literal);
    }

    private void put(String prefix, Peer peer) {
        table.insert(Prefix.parse(prefix), peer);
    }

    private Peer get(String literal) {
        byte[] addr = ip(literal);
        ByteBuffer bb = ByteBuffer.wrap(addr);
        return addr.length == 4 ? table.lookupV4(bb.getInt()) : table.lookupV6(bb.getLong(), bb.getLong());
    }

    @Test
    void longestPrefixWinsAmongOverlappingIpv4AndIpv6Routes() {
        put("192.168.4.0/24", a);
        put("192.168.4.4/32", b);
        put("192.168.0.0/16", c);
        put("192.95.5.64/27", d);
        put("192.95.5.65/32", c); // host route inside d's /27, owned by someone else
        put("192.95.5.68/31", e);
        put("0.0.0.0/0", f);
        put("2607:5300:60:6b0::c05f:543/128", d);
        put("2607:5300:60:6b0::/64", e);
        put("2607:5300::/32", g);
        put("2001:db8::/32", h);
        put("::/0", f);

        assertSame(a, get("192.168.4.20"));
        assertSame(a, get("192.168.4.0"));
        assertSame(b, get("192.168.4.4"));
        assertSame(c, get("192.168.200.182"));
        assertSame(c, get("192.95.5.65"));
        assertSame(d, get("192.95.5.64"));
        assertSame(d, get("192.95.5.95"));
        assertSame(e, get("192.95.5.68"));
        assertSame(e, get("192.95.5.69"));
        assertSame(d, get("192.95.5.70"));
        assertSame(f, get("192.95.5.96"));
        assertSame(f, get("1.2.3.4"));
        assertSame(f, get("255.255.255.255"));
        assertSame(d, get("2607:5300:60:6b0::c05f:543"));
        assertSame(e, get("2607:5300:60:6b0::c05f:544"));
        assertSame(e, get("2607:5300:60:6b0:ffff::1"));
        assertSame(g, get("2607:5300:60:6b1::1"));
        assertSame(g, get("2607:5300:ffff::"));
        assertSame(h, get("2001:db8:1::1"));
        assertSame(f, get("2001:db9::1"));
        assertSame(f, get("::"));
        assertEquals(12, table.size());
    }

    @Test
    void unmatchedAddressesHaveNoPeerWithoutADefaultRoute() {
        put("10.0.0.0/8", a);
        put("fd00::/8", b);
        assertNull(get("11.0.0.1"));
        assertNull(get("9.255.255.255"));
        assertNull(get("fe00::1"));
        assertSame(a, get("10.255.255.255"));
        assertSame(b, get("fdff:ffff::1"));
    }

    @Test
    void defaultRoutesAreSeparatePerFamily() {
        put("0.0.0.0/0", a);
        assertSame(a, get("203.0.113.9"));
        assertNull(get("2001:db8::1"));
        put("::/0", b);
        assertSame(b, get("2001:db8::1"));
        assertSame(a, get("203.0.113.9"));
    }

    @Test
    void hostRoutesMatchOnlyTheirAddress() {
        put("10.0.0.1/32", a);
        put("fd00::1/128", b);
        assertSame(a, get("10.0.0.1"));
        assertNull(get("10.0.0.0"));
        assertNull(get("10.0.0.2"));
        assertSame(b, get("fd00::1"));
        assertNull(get("fd00::"));
        assertNull(get("fd00::2"));
        assertNull(get("fd00:0:0:1::1"));
    }

    @Test
    void ipv4MappedIpv6IsNotConfusedWithIpv4() {
        put("10.0.0.0/8", a);
        assertNull(get("::ffff:10.1.2.3"));
        put("::ffff:10.0.0.0/104", b);
        assertSame(a, get("10.1.2.3"));
        assertSame(b, get("::ffff:10.1.2.3"));
        assertEquals(List.of(Prefix.parse("::ffff:10.0.0.0/104")), table.entriesForPeer(b));
        assertEquals("::ffff:10.0.0.0/104", table.entriesForPeer(b).get(0).toString());
        assertFalse(table.entriesForPeer(b).get(0).isV4());
    }

    @Test
    void insertingAHeldPrefixMovesItToTheNewPeer() {
        put("10.0.0.0/24", a);
        put("10.0.0.0/25", a);
        put("10.0.0.99/24", b); // host bits ignored: the same prefix
        assertSame(b, get("10.0.0.200"));
        assertSame(a, get("10.0.0.1"));
        assertEquals(List.of(Prefix.parse("10.0.0.0/25")), table.entriesForPeer(a));
        assertEquals(List.of(Prefix.parse("10.0.0.0/24")), table.entriesForPeer(b));
        assertEquals(2, table.size());
    }

    @Test
    void reinsertingTheSameRouteIsIdempotent() {
        put("fd00::/64", a);
        put("fd00::/64", a);
        assertEquals(1, table.size());
        assertEquals(List.of(Prefix.parse("fd00::/64")), table.entriesForPeer(a));
    }

    @Test
    void removeDeletesOnlyTheExactPrefixOfItsOwner() {
        put("10.0.0.0/24", a);
        put("10.0.0.0/16", a);
        put("10.0.1.0/24", b);
        Peer lookalike = new Peer("a");

        assertFalse(table.remove(ip("10.0.0.0"), 24, b), "owned by a, not b");
        assertFalse(table.remove(ip("10.0.0.0"), 24, lookalike), "peers are compared by identity");
        assertFalse(table.remove(ip("10.0.0.0"), 25, a), "no such exact prefix");
        assertFalse(table.remove(ip("10.0.0.0"), 8, a), "no such exact prefix");
        assertEquals(3, table.size());

        assertTrue(table.remove(ip("10.0.0.77"), 24, a), "host bits are masked");
        assertFalse(table.remove(ip("10.0.0.0"), 24, a), "already gone");
        assertSame(a, get("10.0.0.5"), "the covering /16 still routes");
        assertSame(b, get("10.0.1.5"));
        assertEquals(2, table.size());
        assertTrue(table.remove(Prefix.parse("10.0.0.0/16"), a));
        assertNull(get("10.0.0.5"));
        assertSame(b, get("10.0.1.5"));
    }

    @Test
    void removingJoinedSubtreesKeepsTheRestReachable() {
        put("10.0.0.0/24", a);
        put("10.0.1.0/24", b); // creates a peerless join at 10.0.0.0/23
        put("10.0.0.0/23", c); // the join gets a peer
        assertEquals(3, table.size());
        assertSame(b, get("10.0.1.0"));
        assertTrue(table.remove(ip("10.0.0.0"), 23, c));
        assertFalse(table.remove(ip("10.0.0.0"), 23, c));
        assertSame(a, get("10.0.0.1"));
        assertSame(b, get("10.0.1.1"));
        assertTrue(table.remove(ip("10.0.0.0"), 24, a));
        assertNull(get("10.0.0.1"));
        assertSame(b, get("10.0.1.1"));
        assertTrue(table.remove(ip("10.0.1.0"), 24, b));
        assertNull(get("10.0.1.1"));
        assertEquals(0, table.size());
    }

    @Test
    void removeByPeerDropsEveryRouteOfThatPeerOnly() {
        put("10.0.0.0/8", a);
        put("10.1.0.0/16", b);
        put("10.1.2.0/24", a);
        put("fd00::/16", a);
        put("fd00:1::/32", b);
        put("::/0", a);
        table.removeByPeer(a);
        assertEquals(2, table.size());
        assertEquals(List.of(), table.entriesForPeer(a));
        assertNull(get("10.2.0.0"));
        assertSame(b, get("10.1.2.3"));
        assertSame(b, get("fd00:1::1"));
        assertNull(get("fd00:2::1"));
        assertNull(get("2001:db8::1"));
        table.removeByPeer(c); // owns nothing: no effect
        assertEquals(2, table.size());
    }

    @Test
    void entriesForPeerListsPrefixesInTheOrderTheyWereAssigned() {
        // wireguard-go and the kernel list a peer's allowed IPs in insertion order (wg show,
        // showconf); re-assigning a prefix moves it to the end, moving it to another peer drops it.
        put("fd00:1::/32", a);
        put("10.2.0.0/16", a);
        put("10.1.0.0/16", a);
        put("10.1.0.0/24", b);
        put("::/0", a);
        put("10.1.128.0/17", a);
        put("10.2.0.0/16", a);
        assertEquals(List.of("fd00:1::/32", "10.1.0.0/16", "::/0", "10.1.128.0/17", "10.2.0.0/16"),
                table.entriesForPeer(a).stream().map(Prefix::toString).toList());
        assertEquals(List.of("10.1.0.0/24"), table.entriesForPeer(b).stream().map(Prefix::toString).toList());
        put("::/0", b);
        assertEquals(List.of("10.1.0.0/24", "::/0"), table.entriesForPeer(b).stream().map(Prefix::toString).toList());
        assertEquals(List.of("fd00:1::/32", "10.1.0.0/16", "10.1.128.0/17", "10.2.0.0/16"),
                table.entriesForPeer(a).stream().map(Prefix::toString).toList());
    }

    @Test
    void clearEmptiesBothFamilies() {
        put("10.0.0.0/8", a);
        put("fd00::/8", a);
        table.clear();
        assertEquals(0, table.size());
        assertNull(get("10.0.0.1"));
        assertNull(get("fd00::1"));
        put("10.0.0.0/8", b);
        assertSame(b, get("10.0.0.1"));
    }

    @Test
    void insertRejectsMalformedRoutes() {
        assertThrows(IllegalArgumentException.class, () -> table.insert(new byte[5], 8, a));
        assertThrows(IllegalArgumentException.class, () -> table.insert(new byte[4], 33, a));
        assertThrows(IllegalArgumentException.class, () -> table.insert(new byte[16], 129, a));
        assertThrows(IllegalArgumentException.class, () -> table.insert(new byte[4], -1, a));
        assertThrows(NullPointerException.class, () -> table.insert(new byte[4], 0, null));
        assertEquals(0, table.size());
    }

    @Test
    void packetLookupReadsSourceAndDestinationInPlace() {
        put("10.0.0.0/24", a);
        put("10.9.0.0/16", b);
        put("fd00::/64", c);
        put("fd00:0:0:1::/64", d);

        ByteBuffer v4 = ByteBuffer.allocateDirect(60);
        v4.put(0, (byte) 0x45).put(12, ip("10.9.8.7")).put(16, ip("10.0.0.42"));
        v4.position(3).limit(40);
        assertSame(b, table.lookup(v4, 12, 4));
        assertSame(a, table.lookup(v4, 16, 4));
        assertEquals(3, v4.position(), "position untouched");
        assertEquals(40, v4.limit(), "limit untouched");

        ByteBuffer v6 = ByteBuffer.allocate(40);
        v6.put(0, (byte) 0x60).put(8, ip("fd00::7")).put(24, ip("fd00:0:0:1::9"));
        assertSame(c, table.lookup(v6, 8, 6));
        assertSame(d, table.lookup(v6, 24, 6));
        v6.order(ByteOrder.LITTLE_ENDIAN);
        assertSame(c, table.lookup(v6, 8, 6), "byte order of the buffer does not matter");
        assertSame(d, table.lookup(v6, 24, 6));
    }

    @Test
    void packetLookupReturnsNullForBadOffsetsOrVersions() {
        put("0.0.0.0/0", a);
        put("::/0", b);
        ByteBuffer p = ByteBuffer.allocate(40).limit(20);
        assertSame(a, table.lookup(p, 16, 4));
        assertNull(table.lookup(p, 17, 4), "address would end past the limit");
        assertNull(table.lookup(p, -1, 4));
        assertNull(table.lookup(p, 8, 6), "IPv6 address past the limit");
        assertNull(table.lookup(p, 0, 5));
        assertNull(table.lookup(p, 0, 0));
    }
}
