// SPDX-License-Identifier: MIT
package io.jwg.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag(Requirements.TAG)
class WireguardGoTest {

    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);

    @BeforeEach
    void requireWireguardGo() {
        Requirements.assumeWireguardGo();
    }

    @Test
    void twoPeersConfiguredWithWgHandshakeAndPingThroughTheTunnel() {
        try (Netns a = Netns.create(); Netns b = Netns.create()) {
            Veth.connectDualStack(a, b);
            WgKeys keysA = WgKeys.generate();
            WgKeys keysB = WgKeys.generate();
            String psk = WgKeys.generatePresharedKey();
            WireguardGo wgA = WireguardGo.start(a).configure(keysA, 51820)
                    .peer(WgPeerConfig.of(keysB.publicKey(), "10.9.0.2/32")
                            .withEndpoint("192.0.2.2:51821").withPresharedKey(psk))
                    .address("10.9.0.1/24").up();
            WireguardGo wgB = WireguardGo.start(b).configure(keysB, 51821)
                    .peer(WgPeerConfig.of(keysA.publicKey(), "10.9.0.1/32")
                            .withEndpoint("192.0.2.1:51820").withPresharedKey(psk).withPersistentKeepalive(25))
                    .address("10.9.0.2/24").mtu(1380).up();

            Ping.assertReachable(a, "10.9.0.2");

            WgDump.Peer bSeenByA = wgA.awaitHandshake(keysB.publicKey(), HANDSHAKE_TIMEOUT);
            assertTrue(bSeenByA.latestHandshakeEpochSeconds() > 0);
            assertTrue(bSeenByA.rxBytes() > 0, bSeenByA.toString());
            assertTrue(bSeenByA.txBytes() > 0, bSeenByA.toString());
            assertEquals("192.0.2.2:51821", bSeenByA.endpoint());
            assertEquals(List.of("10.9.0.2/32"), bSeenByA.allowedIps());
            assertEquals(psk, bSeenByA.presharedKey());

            WgDump dumpB = wgB.dump();
            assertEquals(keysB.publicKey(), dumpB.publicKey());
            assertEquals(51821, dumpB.listenPort());
            WgDump.Peer aSeenByB = dumpB.peer(keysA.publicKey()).orElseThrow();
            assertTrue(aSeenByB.hasHandshake());
            assertEquals(25, aSeenByB.persistentKeepalive());
            assertTrue(b.execOk("ip", "link", "show", wgB.name()).stdout().contains("mtu 1380"));
        }
    }

    @Test
    void peersOverIpv6UnderlayConfiguredWithSetconf() {
        try (Netns a = Netns.create(); Netns b = Netns.create()) {
            Veth.connectDualStack(a, b);
            WgKeys keysA = WgKeys.generate();
            WgKeys keysB = WgKeys.generate();
            WireguardGo.start(a).setConf("""
                    [Interface]
                    PrivateKey = %s
                    ListenPort = 51820

                    [Peer]
                    PublicKey = %s
                    AllowedIPs = 10.9.0.2/32
                    Endpoint = [2001:db8::2]:51820
                    """.formatted(keysA.privateKey(), keysB.publicKey())).address("10.9.0.1/24").up();
            WireguardGo wgB = WireguardGo.start(b).configure(keysB, 51820)
                    .peer(WgPeerConfig.of(keysA.publicKey(), "10.9.0.1/32"))
                    .address("10.9.0.2/24").up();

            Ping.assertReachable(a, "10.9.0.2");

            WgDump.Peer aSeenByB = wgB.awaitHandshake(keysA.publicKey(), HANDSHAKE_TIMEOUT);
            assertEquals("[2001:db8::1]:51820", aSeenByB.endpoint(), "B learns A's endpoint from its packets");
        }
    }

    @Test
    void closeStopsTheProcessAndRemovesSocketAndInterface() {
        try (Netns ns = Netns.create()) {
            WireguardGo wg = WireguardGo.start(ns);
            ProcessHandle process = wg.process();
            assertTrue(process.info().command().orElse("").endsWith("wireguard-go"),
                    "ip netns exec, setsid and env exec in place: " + process.info());
            assertTrue(Files.exists(wg.socket()));
            assertTrue(ns.exec("ip", "link", "show", wg.name()).ok());

            wg.close();

            assertTrue(Processes.exited(process));
            assertFalse(Files.exists(wg.socket()));
            assertFalse(ns.exec("ip", "link", "show", wg.name()).ok());
            assertEquals(List.of(), ns.pids());
        }
    }

    @Test
    void closingTheNamespaceStopsItsWireguardGoEvenWhenTestBodyThrows() {
        String[] names = new String[2];
        ProcessHandle[] processes = new ProcessHandle[2];
        Path[] sockets = new Path[2];
        try (Netns ns = Netns.create()) {
            names[0] = ns.name();
            for (int i = 0; i < 2; i++) {
                WireguardGo wg = WireguardGo.start(ns);
                processes[i] = wg.process();
                sockets[i] = wg.socket();
                names[1] = wg.name();
            }
            assertNotEquals(sockets[0], sockets[1]);
            throw new IllegalStateException("test body failed");
        } catch (IllegalStateException expected) {
            assertEquals("test body failed", expected.getMessage());
        }
        for (int i = 0; i < 2; i++) {
            assertTrue(Processes.exited(processes[i]));
            assertFalse(Files.exists(sockets[i]));
        }
        assertFalse(Commands.runOk("ip", "netns", "list").stdout().contains(names[0]));
        assertFalse(Commands.runOk("wg", "show", "interfaces").stdout().contains(names[1]));
    }
}
