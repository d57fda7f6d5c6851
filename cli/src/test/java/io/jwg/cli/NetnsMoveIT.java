// SPDX-License-Identifier: MIT
package io.jwg.cli;

import static io.jwg.cli.JwgLauncher.linkExists;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.testing.Netns;
import io.jwg.core.testing.Ping;
import io.jwg.core.testing.Requirements;
import io.jwg.core.testing.UniqueNames;
import io.jwg.core.testing.Veth;
import io.jwg.core.testing.WgKeys;
import io.jwg.core.testing.WgPeerConfig;
import io.jwg.core.testing.WireguardGo;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * WireGuard's namespace trick (wireguard.com/netns) with a userspace daemon: the interface is
 * created in the namespace that has the physical network, so the UDP socket is made and stays
 * there, then moved into another namespace whose only way out is the tunnel.
 */
@Tag(Requirements.TAG)
class NetnsMoveIT {

    @BeforeAll
    static void requirements() {
        Requirements.assumeWireguardGo();
        JwgLauncher.assumeBuilt();
    }

    @Test
    void anInterfaceMovedToAnotherNamespaceCarriesTrafficOverTheSocketLeftBehind() {
        try (Netns underlay = Netns.create("jwgm"); Netns inside = Netns.create("jwgm"); Netns remote = Netns.create("jwgm");
                SecretDir dir = new SecretDir()) {
            Veth.connect(underlay, remote).ipv4("192.0.2.1/24", "192.0.2.2/24");
            WgKeys jwgKeys = WgKeys.generate();
            WgKeys goKeys = WgKeys.generate();
            WireguardGo peer = WireguardGo.start(remote).configure(goKeys, 51820)
                    .peer(WgPeerConfig.of(jwgKeys.publicKey(), "10.78.0.1/32"))
                    .address("10.78.0.2/24").up();

            String name = UniqueNames.next("jwg");
            long pid = JwgLauncher.startDaemon(underlay, name);
            underlay.execOk("ip", "link", "set", "dev", name, "netns", inside.name());
            assertFalse(linkExists(underlay, name));
            assertTrue(linkExists(inside, name));

            // The UDP side is configured from the underlay; the addresses inside.
            underlay.execOk("wg", "set", name, "private-key", dir.write("key", jwgKeys.privateKey()).toString(),
                    "listen-port", "51820", "peer", goKeys.publicKey(), "endpoint", "192.0.2.2:51820",
                    "allowed-ips", "10.78.0.2/32");
            inside.execOk("ip", "addr", "add", "10.78.0.1/24", "dev", name);
            inside.execOk("ip", "link", "set", "dev", name, "up");

            Ping.assertReachable(inside, "10.78.0.2");
            Ping.assertReachable(remote, "10.78.0.1");
            assertTrue(peer.awaitHandshake(jwgKeys.publicKey(), Duration.ofSeconds(5)).rxBytes() > 0);
            assertFalse(inside.exec("ip", "route", "get", "192.0.2.2").ok(), "inside has no way out but the tunnel");

            // The daemon still follows its interface: deleting it over there stops the daemon here.
            inside.execOk("ip", "link", "del", "dev", name);
            JwgLauncher.assertGone(inside, name, pid);
        }
    }
}
