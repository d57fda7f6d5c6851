// SPDX-License-Identifier: MIT
package io.jwg.core.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.transport.DatagramReceiver;
import io.jwg.core.transport.MemoryBind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code set=1} semantics beyond the measured table: the newer {@code allowed_ip=-PREFIX}
 * removal, line order within a peer section, which error wins, and all-or-nothing when the port
 * cannot be bound.
 */
class UapiSetTest {
    private final Map<String, String> hex = UapiFixtures.hexKeys();
    private final String peer1 = hex.get("peer1.public");
    private final String peer2 = hex.get("peer2.public");

    private UapiFixtures.TestDevice baseline() {
        return new UapiFixtures.TestDevice().up().set(SetCase.baseline(hex));
    }

    private static List<String> allowedIps(UapiFixtures.TestDevice d, String peerHex) {
        return d.device.state().peers().stream().filter(p -> p.publicKey().toHex().equals(peerHex))
                .flatMap(p -> p.allowedIps().stream()).map(Object::toString).toList();
    }

    @Test
    void minusPrefixRemovesItFromThisPeerOnly() {
        try (var d = baseline()) {
            d.set("set=1\npublic_key=" + peer2 + "\nallowed_ip=10.0.0.3/32\n\n");
            d.set("set=1\npublic_key=" + peer1 + "\nallowed_ip=-10.10.0.0/16\nallowed_ip=-10.0.0.3/32\n"
                    + "allowed_ip=-192.168.0.0/16\n\n");
            assertEquals(List.of("10.0.0.2/32"), allowedIps(d, peer1));
            assertEquals(List.of("10.0.0.3/32"), allowedIps(d, peer2), "another peer's prefix is left alone");
        }
    }

    @Test
    void additionsAndRemovalsApplyInTheirOrder() {
        try (var d = baseline()) {
            d.set("set=1\npublic_key=" + peer1 + "\nallowed_ip=10.0.0.7/32\nallowed_ip=-10.0.0.7/32\n"
                    + "allowed_ip=-10.0.0.8/32\nallowed_ip=10.0.0.8/32\n\n");
            // Assignment order, as wireguard-go lists them: the baseline's two, then 10.0.0.8.
            assertEquals(List.of("10.0.0.2/32", "10.10.0.0/16", "10.0.0.8/32"), allowedIps(d, peer1));
        }
    }

    @Test
    void aPrefixTakenFromAnotherPeerAndRemovedIsGoneFromBoth() {
        try (var d = baseline()) {
            d.set("set=1\npublic_key=" + peer2 + "\nallowed_ip=10.0.0.2/32\nallowed_ip=-10.0.0.2/32\n\n");
            assertEquals(List.of("10.10.0.0/16"), allowedIps(d, peer1));
            assertEquals(List.of(), allowedIps(d, peer2));
        }
    }

    @Test
    void badPrefixAfterMinusIsInvalid() {
        try (var d = baseline()) {
            String before = d.get();
            assertEquals(-22, Uapi.set(d.device, List.of("public_key=" + peer1, "allowed_ip=-10.0.0.2")));
            assertEquals(-22, Uapi.set(d.device, List.of("public_key=" + peer1, "allowed_ip=--10.0.0.2/32")));
            assertEquals(-22, Uapi.set(d.device, List.of("public_key=" + peer1, "allowed_ip=-")));
            assertEquals(before, d.get());
        }
    }

    @Test
    void theFirstRefusedLineDecidesTheErrno() {
        try (var d = baseline()) {
            String before = d.get();
            assertEquals(-71, Uapi.set(d.device, List.of("listen_port=1", "garbage", "foo=bar", "x".repeat(70_000))));
            assertEquals(-22, Uapi.set(d.device, List.of("foo=bar", "garbage")));
            assertEquals(-5, Uapi.set(d.device, List.of("x".repeat(65_536), "garbage")));
            assertEquals(-22, Uapi.set(d.device, List.of("foo=" + "a".repeat(65_531), "garbage")));
            assertEquals(before, d.get());
        }
    }

    @Test
    void anEmptyLineEndsTheRequest() {
        try (var d = baseline()) {
            assertEquals(0, Uapi.set(d.device, List.of("fwmark=3", "", "garbage")));
            assertEquals(3, d.device.state().fwmark());
        }
    }

    @Test
    void aPortInUseRefusesTheWholeRequestAndKeepsTheOldSocket() throws IOException {
        try (var d = baseline(); MemoryBind other = d.network.newBind(UapiFixtures.HOST)) {
            other.open(51830, new DatagramReceiver() {
                @Override
                public void receive(ByteBuffer buf, int off, int len, InetSocketAddress source) {}

                @Override
                public void endOfBatch() {}
            });
            String before = d.get();
            int errno = Uapi.set(d.device, List.of("private_key=" + hex.get("peer3.private"), "listen_port=51830",
                    "fwmark=9", "replace_peers=true", "public_key=" + peer2, "allowed_ip=10.0.0.3/32"));
            assertEquals(-98, errno);
            assertEquals(before, d.get());
            assertEquals(51820, d.bind.port(), "still listening on the old port");
            assertEquals(0, d.bind.mark());
        }
    }

    @Test
    void aPeerWithOurOwnKeyIsIgnoredButItsLinesAreStillChecked() {
        try (var d = baseline()) {
            String before = d.get();
            String own = hex.get("dev.public");
            assertEquals(0, Uapi.set(d.device, List.of("public_key=" + own, "allowed_ip=10.9.0.0/16",
                    "endpoint=192.0.2.9:9")));
            assertEquals(before, d.get());
            assertEquals(-22, Uapi.set(d.device, List.of("public_key=" + own, "endpoint=nope")));
        }
    }

    @Test
    void updateOnlyNeverCreatesAPeerWhereverItStands() {
        try (var d = baseline()) {
            String before = d.get();
            String peer3 = hex.get("peer3.public");
            d.set("set=1\npublic_key=" + peer3 + "\nallowed_ip=10.0.0.9/32\nreplace_allowed_ips=true\n"
                    + "allowed_ip=10.0.0.10/32\nupdate_only=true\n\n");
            assertEquals(before, d.get());
            d.set("set=1\npublic_key=" + peer1 + "\nallowed_ip=10.0.0.9/32\nreplace_allowed_ips=true\n"
                    + "allowed_ip=10.0.0.10/32\nupdate_only=true\n\n");
            assertEquals(List.of("10.0.0.10/32"), allowedIps(d, peer1));
        }
    }

    @Test
    void aRemovedPeerCanBeAddedAgainFreshInTheSameRequest() {
        try (var d = baseline()) {
            d.set("set=1\npublic_key=" + peer1 + "\nallowed_ip=10.0.0.9/32\nremove=true\nendpoint=192.0.2.9:9\n"
                    + "public_key=" + peer1 + "\nallowed_ip=10.0.0.10/32\n\n");
            var p = d.device.state().peers().getFirst();
            assertEquals(List.of("10.0.0.10/32"), allowedIps(d, peer1));
            assertTrue(p.presharedKey() == null || p.presharedKey().isZero());
            assertEquals(null, p.endpoint());
            assertFalse(d.get().contains("192.0.2.9"));
        }
    }
}
