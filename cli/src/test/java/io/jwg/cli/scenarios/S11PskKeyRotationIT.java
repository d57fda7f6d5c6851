// SPDX-License-Identifier: MIT
package io.jwg.cli.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.testing.Requirements;
import io.jwg.core.testing.Veth;
import io.jwg.core.testing.WgDump;
import io.jwg.core.testing.WgKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 11: pre-shared keys on every pair of a three-node mesh (two jwg nodes and one
 * wireguard-go node), from examples/11-psk-key-rotation. A wrong PSK on one end of a pair means
 * no handshake, whichever side initiates; putting the right one back heals the pair. Then node1's
 * private key is replaced and its peers are told the new public key with {@code wg set}: the
 * tunnels recover within about one REKEY_TIMEOUT (5 s) of the change.
 */
@Tag(Requirements.TAG)
@ExtendWith(ScenarioReport.class)
class S11PskKeyRotationIT {
    /** REKEY_TIMEOUT: a failed handshake is retried after 5 s (plus up to 1/3 s of jitter). */
    private static final Duration REKEY_TIMEOUT = Duration.ofSeconds(5);
    /** Generous slack on a machine shared with other builds. */
    private static final Duration RECOVERY_LIMIT = REKEY_TIMEOUT.plusSeconds(7);

    @Test
    @DisplayName("11 PSK on every pair, wrong PSK refused, private key rotation")
    void presharedKeysOnEveryPairAndARotatedPrivateKeyRecoversWithinARekeyTimeout() throws Exception {
        Requirements.assumeWireguardGo();
        try (Node n1 = new Node("node1", Impl.JWG); Node n2 = new Node("node2", Impl.JWG);
                Node n3 = new Node("node3", Impl.WIREGUARD_GO)) {
            Veth.connect(n1.netns(), n2.netns()).ipv4("192.0.2.1/28", "192.0.2.2/28");
            Veth.connect(n1.netns(), n3.netns()).ipv4("192.0.2.17/28", "192.0.2.18/28");
            Veth.connect(n2.netns(), n3.netns()).ipv4("192.0.2.33/28", "192.0.2.34/28");
            String psk12 = WgKeys.generatePresharedKey();
            String psk13 = WgKeys.generatePresharedKey();
            String psk23 = WgKeys.generatePresharedKey();
            Map<String, String> values = Map.of(
                    "node1.private", n1.keys("wg").privateKey(), "node1.public", n1.keys("wg").publicKey(),
                    "node2.private", n2.keys("wg").privateKey(), "node2.public", n2.keys("wg").publicKey(),
                    "node3.private", n3.keys("wg").privateKey(), "node3.public", n3.keys("wg").publicKey(),
                    "psk12", psk12, "psk13", psk13, "psk23", psk23);
            String if1 = Node.ifname("psk");
            String if2 = Node.ifname("psk");
            String if3 = Node.ifname("psk");
            n1.up(if1, Examples.render("11-psk-key-rotation/node1.conf", values));
            n2.up(if2, Examples.render("11-psk-key-rotation/node2.conf", values));
            n3.up(if3, Examples.render("11-psk-key-rotation/node3.conf", values));
            Path secrets = Files.createTempDirectory("jwg-s11-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            try {
                // 1. Every pair, both ways, each with its own PSK.
                assertTrue(n1.reaches("10.11.0.2", Duration.ofSeconds(12)), "node1 -> node2 (jwg-jwg)");
                assertTrue(n1.reaches("10.11.0.3", Duration.ofSeconds(12)), "node1 -> node3 (jwg-wireguard-go)");
                assertTrue(n3.reaches("10.11.0.2", Duration.ofSeconds(12)), "node3 -> node2 (wireguard-go-jwg)");
                assertTrue(n2.reaches("10.11.0.1", Duration.ofSeconds(5)) && n3.reaches("10.11.0.1", Duration.ofSeconds(5))
                        && n2.reaches("10.11.0.3", Duration.ofSeconds(5)), "the other directions");
                assertPsk(n1, if1, n2.keys("wg").publicKey(), psk12);
                assertPsk(n1, if1, n3.keys("wg").publicKey(), psk13);
                assertPsk(n2, if2, n1.keys("wg").publicKey(), psk12);
                assertPsk(n2, if2, n3.keys("wg").publicKey(), psk23);
                assertPsk(n3, if3, n1.keys("wg").publicKey(), psk13);
                assertPsk(n3, if3, n2.keys("wg").publicKey(), psk23);

                // 2. A wrong PSK on node1's end of the node1-node3 pair: both ends start fresh
                // (peer removed and added again), and no handshake completes, whoever initiates.
                String n1pub = n1.keys("wg").publicKey();
                String n3pub = n3.keys("wg").publicKey();
                Path wrong = secret(secrets, "wrong.psk", WgKeys.generatePresharedKey());
                Path right13 = secret(secrets, "psk13", psk13);
                n1.run("wg", "set", if1, "peer", n3pub, "remove");
                n1.run("wg", "set", if1, "peer", n3pub, "preshared-key", wrong.toString(),
                        "endpoint", "192.0.2.18:51820", "allowed-ips", "10.11.0.3/32");
                n3.run("wg", "set", if3, "peer", n1pub, "remove");
                n3.run("wg", "set", if3, "peer", n1pub, "preshared-key", right13.toString(),
                        "endpoint", "192.0.2.17:51820", "allowed-ips", "10.11.0.1/32");
                // Over a REKEY_TIMEOUT each way: an initiation and its retry, from jwg, then from wireguard-go.
                assertFalse(n1.reaches("10.11.0.3", Duration.ofSeconds(6)), "node1 -> node3 with a wrong PSK");
                assertFalse(n3.reaches("10.11.0.1", Duration.ofSeconds(6)), "node3 -> node1 with a wrong PSK");
                assertEquals(0, handshake(n1, if1, n3pub), "jwg completed no handshake with the wrong PSK");
                assertEquals(0, handshake(n3, if3, n1pub), "wireguard-go completed no handshake with the wrong PSK");
                assertTrue(n1.reaches("10.11.0.2", Duration.ofSeconds(3)), "node1's other pair is unaffected");
                // The right PSK back: the next retry (within a REKEY_TIMEOUT) completes.
                n1.run("wg", "set", if1, "peer", n3pub, "preshared-key", right13.toString());
                long fixAt = System.nanoTime();
                double healed = recover(n1, "10.11.0.3", fixAt, RECOVERY_LIMIT);
                System.out.printf(Locale.ROOT, "S11 node1-node3 healed %.1f s after the right PSK was set%n", healed);
                assertTrue(healed >= 0, "node1 -> node3 after the right PSK was set back");
                assertTrue(handshake(n1, if1, n3pub) > 0 && handshake(n3, if3, n1pub) > 0);

                // 3. node1's private key replaced; node2 and node3 replace its public key.
                WgKeys fresh = WgKeys.generate();
                Path key = secret(secrets, "node1.key", fresh.privateKey());
                Path right12 = secret(secrets, "psk12", psk12);
                n1.run("wg", "set", if1, "private-key", key.toString());
                // Traffic goes on during the change: node1 initiates at once with its new key,
                // which its peers do not know yet, so they drop those initiations.
                CompletableFuture<Boolean> early2 = CompletableFuture.supplyAsync(
                        () -> n1.reaches("10.11.0.2", Duration.ofMillis(700)));
                CompletableFuture<Boolean> early3 = CompletableFuture.supplyAsync(
                        () -> n1.reaches("10.11.0.3", Duration.ofMillis(700)));
                assertFalse(early2.get() || early3.get(), "node1's new key works before its peers know it");
                n2.run("wg", "set", if2, "peer", n1pub, "remove");
                n2.run("wg", "set", if2, "peer", fresh.publicKey(), "preshared-key", right12.toString(),
                        "endpoint", "192.0.2.1:51820", "allowed-ips", "10.11.0.1/32");
                n3.run("wg", "set", if3, "peer", n1pub, "remove");
                n3.run("wg", "set", if3, "peer", fresh.publicKey(), "preshared-key", right13.toString(),
                        "endpoint", "192.0.2.17:51820", "allowed-ips", "10.11.0.1/32");
                long changed = System.nanoTime();
                // Recovery: node1 retries its handshakes a REKEY_TIMEOUT after those first attempts.
                CompletableFuture<Double> to2 = CompletableFuture.supplyAsync(
                        () -> recover(n1, "10.11.0.2", changed, RECOVERY_LIMIT));
                CompletableFuture<Double> to3 = CompletableFuture.supplyAsync(
                        () -> recover(n1, "10.11.0.3", changed, RECOVERY_LIMIT));
                double t2 = to2.get();
                double t3 = to3.get();
                System.out.printf(Locale.ROOT, "S11 after node1's key rotation: node1-node2 (jwg-jwg) recovered in %.1f s,"
                        + " node1-node3 (jwg-wireguard-go) in %.1f s (REKEY_TIMEOUT %d s)%n", t2, t3, REKEY_TIMEOUT.toSeconds());
                assertTrue(t2 >= 0 && t2 < RECOVERY_LIMIT.toMillis() / 1000.0, "node1-node2 recovered: " + t2);
                assertTrue(t3 >= 0 && t3 < RECOVERY_LIMIT.toMillis() / 1000.0, "node1-node3 recovered: " + t3);
                assertTrue(n2.reaches("10.11.0.1", Duration.ofSeconds(3)) && n3.reaches("10.11.0.1", Duration.ofSeconds(3)),
                        "and back");
                assertTrue(n2.reaches("10.11.0.3", Duration.ofSeconds(3)), "node2-node3 untouched");

                assertEquals(fresh.publicKey(), n1.dump(if1).publicKey(), "node1 has the new key");
                for (Node peer : List.of(n2, n3)) {
                    String ifname = peer == n2 ? if2 : if3;
                    WgDump dump = peer.dump(ifname);
                    assertTrue(dump.peer(n1pub).isEmpty(), peer + " forgot node1's old key");
                    WgDump.Peer p = dump.peer(fresh.publicKey()).orElseThrow();
                    assertTrue(p.hasHandshake(), peer + " shook hands with node1's new key");
                    assertEquals(peer == n2 ? psk12 : psk13, p.presharedKey(), peer + " kept the pair's PSK");
                }
                // node1's peers kept their PSKs through the key change.
                assertPsk(n1, if1, n2.keys("wg").publicKey(), psk12);
                assertPsk(n1, if1, n3pub, psk13);
            } finally {
                try (var files = Files.list(secrets)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(secrets);
            }
        }
    }

    /** Seconds from {@code start} (nanoTime) until {@code address} answers from {@code n}; -1 if not within {@code limit}. */
    private static double recover(Node n, String address, long start, Duration limit) {
        long deadline = start + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (n.reaches(address, Duration.ofMillis(500))) {
                return (System.nanoTime() - start) / 1e9;
            }
        }
        return -1;
    }

    private static void assertPsk(Node n, String ifname, String peer, String psk) {
        List<String> lines = new ArrayList<>(List.of(n.run("wg", "show", ifname, "preshared-keys").stdout().split("\n")));
        assertTrue(lines.contains(peer + "\t" + psk), n + ": PSK for " + peer + " in " + lines);
    }

    private static long handshake(Node n, String ifname, String peer) {
        return n.dump(ifname).peer(peer).orElseThrow().latestHandshakeEpochSeconds();
    }

    private static Path secret(Path dir, String name, String value) {
        try {
            Path f = dir.resolve(name);
            Files.writeString(f, value + "\n");
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
