// SPDX-License-Identifier: MIT
package io.jwg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.testing.CommandResult;
import io.jwg.core.testing.InNamespace;
import io.jwg.core.testing.Netns;
import io.jwg.core.testing.Requirements;
import io.jwg.core.testing.UniqueNames;
import io.jwg.core.testing.WgDump;
import io.jwg.core.testing.WgKeys;
import io.jwg.core.testing.WireguardGo;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The real {@code wg} tool (wireguard-tools) against a daemon started by {@code ./jwg}: every
 * command that talks to a userspace implementation, with wireguard-go as the oracle for what
 * {@code wg} prints.
 */
@Tag(Requirements.TAG)
class WgToolsIT {

    @BeforeAll
    static void requirements() {
        Requirements.assumeWireguardGo();
        JwgLauncher.assumeBuilt();
    }

    @Test
    void aFreshDaemonIsListedAndListensOnARandomPortAsWireguardGoDoes() {
        try (Netns ns = Netns.create("jwgw")) {
            String name = UniqueNames.next("jwg");
            JwgLauncher.startDaemon(ns, name);
            WireguardGo reference = WireguardGo.start(ns);
            String[] jwg = wg(ns, "show", name, "dump").stdout().strip().split("\t");
            String[] ref = wg(ns, "show", reference.name(), "dump").stdout().strip().split("\t");
            assertEquals(4, jwg.length, Arrays.toString(jwg));
            assertEquals(List.of(ref[0], ref[1], ref[3]), List.of(jwg[0], jwg[1], jwg[3]), "(none) (none) PORT off");
            assertNotEquals("0", jwg[2], "a fresh daemon has a bound port");
            assertTrue(wg(ns, "show", "interfaces").stdout().contains(name));
            String pretty = wg(ns, "show", name).stdout();
            assertTrue(pretty.contains("interface: " + name) && pretty.contains("listening port: " + jwg[2]), pretty);
        }
    }

    @Test
    void dumpAndShowconfAreThoseOfWireguardGoForTheSameConfiguration() {
        try (Netns ns = Netns.create("jwgw"); Netns refNs = Netns.create("jwgw"); SecretDir dir = new SecretDir()) {
            String name = UniqueNames.next("jwg");
            JwgLauncher.startDaemon(ns, name);
            WireguardGo reference = WireguardGo.start(refNs);
            WgKeys own = WgKeys.generate();
            WgKeys a = WgKeys.generate();
            WgKeys b = WgKeys.generate();
            String psk = WgKeys.generatePresharedKey();
            var conf = dir.write("same.conf", """
                    [Interface]
                    PrivateKey = %s
                    ListenPort = 51820
                    FwMark = 0x2a

                    [Peer]
                    PublicKey = %s
                    PresharedKey = %s
                    AllowedIPs = 10.0.0.2/32, fd00::2/128, 10.20.30.40/8
                    Endpoint = 192.0.2.2:51820

                    [Peer]
                    PublicKey = %s
                    AllowedIPs = 10.1.0.0/24
                    Endpoint = [2001:db8::2]:51821
                    PersistentKeepalive = 25
                    """.formatted(own.privateKey(), a.publicKey(), psk, b.publicKey()));
            wg(ns, "setconf", name, conf.toString());
            wg(reference.netns(), "setconf", reference.name(), conf.toString());

            List<String> jwgDump = wg(ns, "show", name, "dump").stdout().lines().toList();
            List<String> refDump = wg(reference.netns(), "show", reference.name(), "dump").stdout().lines().toList();
            assertEquals(refDump.get(0), jwgDump.get(0), "the interface line");
            assertEquals(peerLines(refDump), peerLines(jwgDump),
                    "the peer lines (wireguard-go's order is random)");
            assertEquals(blocks(wg(reference.netns(), "showconf", reference.name()).stdout()),
                    blocks(wg(ns, "showconf", name).stdout()));
            assertEquals(blocks(wg(reference.netns(), "show", reference.name()).stdout().replace(reference.name(), "IF")),
                    blocks(wg(ns, "show", name).stdout().replace(name, "IF")));
        }
    }

    @Test
    void setSetconfAddconfAndSyncconfChangeWhatWgSays() {
        try (Netns ns = Netns.create("jwgw"); SecretDir dir = new SecretDir()) {
            String name = UniqueNames.next("jwg");
            JwgLauncher.startDaemon(ns, name);
            WgKeys own = WgKeys.generate();
            WgKeys p1 = WgKeys.generate();
            WgKeys p2 = WgKeys.generate();
            WgKeys p3 = WgKeys.generate();
            String psk = WgKeys.generatePresharedKey();

            wg(ns, "set", name, "private-key", dir.write("key", own.privateKey()).toString(), "listen-port", "51999",
                    "fwmark", "0x2a", "peer", p1.publicKey(), "preshared-key", dir.write("psk", psk).toString(),
                    "allowed-ips", "10.0.0.2/32,fd00::2/128", "endpoint", "192.0.2.2:51820", "persistent-keepalive", "25");
            WgDump d = dump(ns, name);
            assertEquals(own.publicKey(), d.publicKey());
            assertEquals(51999, d.listenPort());
            assertEquals(0x2a, d.fwmark());
            WgDump.Peer peer = d.peer(p1.publicKey()).orElseThrow();
            assertEquals(psk, peer.presharedKey());
            assertEquals(List.of("10.0.0.2/32", "fd00::2/128"), peer.allowedIps());
            assertEquals("192.0.2.2:51820", peer.endpoint());
            assertEquals(25, peer.persistentKeepalive());
            wg(ns, "set", name, "peer", p1.publicKey(), "remove");
            assertTrue(dump(ns, name).peers().isEmpty());

            wg(ns, "setconf", name, dir.write("a.conf", """
                    [Interface]
                    PrivateKey = %s
                    ListenPort = 51998
                    [Peer]
                    PublicKey = %s
                    AllowedIPs = 10.0.0.1/32
                    [Peer]
                    PublicKey = %s
                    AllowedIPs = 10.0.0.2/32
                    """.formatted(own.privateKey(), p1.publicKey(), p2.publicKey())).toString());
            d = dump(ns, name);
            assertEquals(Set.of(p1.publicKey(), p2.publicKey()), keys(d));
            assertEquals(51998, d.listenPort());
            assertEquals(0, d.fwmark(), "setconf resets what the file leaves out");

            wg(ns, "addconf", name, dir.write("b.conf", """
                    [Peer]
                    PublicKey = %s
                    AllowedIPs = 10.0.0.3/32
                    [Peer]
                    PublicKey = %s
                    Endpoint = 192.0.2.9:1234
                    AllowedIPs = 10.0.1.0/24
                    """.formatted(p3.publicKey(), p1.publicKey())).toString());
            d = dump(ns, name);
            assertEquals(Set.of(p1.publicKey(), p2.publicKey(), p3.publicKey()), keys(d));
            assertEquals("192.0.2.9:1234", d.peer(p1.publicKey()).orElseThrow().endpoint());
            assertEquals(List.of("10.0.1.0/24"), d.peer(p1.publicKey()).orElseThrow().allowedIps());

            wg(ns, "syncconf", name, dir.write("c.conf", """
                    [Interface]
                    PrivateKey = %s
                    ListenPort = 51997
                    [Peer]
                    PublicKey = %s
                    AllowedIPs = 10.0.0.22/32
                    """.formatted(own.privateKey(), p2.publicKey())).toString());
            d = dump(ns, name);
            assertEquals(Set.of(p2.publicKey()), keys(d));
            assertEquals(List.of("10.0.0.22/32"), d.peer(p2.publicKey()).orElseThrow().allowedIps());
            assertEquals(51997, d.listenPort());
        }
    }

    @Test
    void aRefusedSetIsReportedByWgAndChangesNothing() throws Exception {
        try (Netns ns = Netns.create("jwgw"); Netns other = Netns.create("jwgw")) {
            String name = UniqueNames.next("jwg");
            JwgLauncher.startDaemon(ns, name);
            int port = dump(ns, name).listenPort();
            // A port taken in the daemon's namespace: the daemon answers EADDRINUSE and keeps its own.
            try (DatagramChannel squatter = InNamespace.call(ns, () -> DatagramChannel.open(StandardProtocolFamily.INET6)
                    .bind(new InetSocketAddress("::", 0)))) {
                String taken = Integer.toString(((InetSocketAddress) squatter.getLocalAddress()).getPort());
                CommandResult r = ns.exec("wg", "set", name, "listen-port", taken);
                assertEquals(1, r.exitCode(), r.describe());
                assertTrue(r.stderr().contains("Address already in use"), r.describe());
                assertEquals(port, dump(ns, name).listenPort(), "the old port stays bound");
            }
            // /var/run/wireguard is shared: wg in any namespace reaches the daemon.
            assertEquals(port, dump(other, name).listenPort());
        }
    }

    static CommandResult wg(Netns ns, String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "wg";
        System.arraycopy(args, 0, argv, 1, args.length);
        return ns.execOk(argv);
    }

    static WgDump dump(Netns ns, String name) {
        return WgDump.parse(wg(ns, "show", name, "dump").stdout());
    }

    private static Set<String> keys(WgDump d) {
        Set<String> s = new TreeSet<>();
        d.peers().forEach(p -> s.add(p.publicKey()));
        return s;
    }

    /** Blank-line separated blocks of wg's output, as a set: wireguard-go lists peers in random order. */
    static Set<String> blocks(String text) {
        return new TreeSet<>(Arrays.asList(text.strip().split("\n\n")));
    }

    /** The peer lines of a dump, as a set (allowed IPs stay in their listed, assignment order). */
    static Set<String> peerLines(List<String> dump) {
        return new TreeSet<>(dump.subList(1, dump.size()));
    }
}
