// SPDX-License-Identifier: MIT
package io.jwg.cli.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.testing.CommandResult;
import io.jwg.core.testing.Requirements;
import io.jwg.core.testing.WgDump;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Scenario 3: three nodes with four isolated planes each, from examples/03-multiple-planes. */
@Tag(Requirements.TAG)
@ExtendWith(ScenarioReport.class)
class S03MultiplePlanesIT {
    private static final int NODES = 3;
    private static final int PLANES = 4;
    /** A ping payload no keepalive (32 bytes) or handshake message (148, 92 bytes) comes near. */
    private static final int PAYLOAD = 1000;

    @Test
    @DisplayName("03 multiple planes: 3 nodes x 4 planes, planes isolated")
    void everyPlaneConnectsAllNodesAndNoPlaneCarriesAnotherPlanesTraffic() throws Exception {
        Requirements.assumeWireguardGo();
        List<Node> nodes = new ArrayList<>();
        UnderlayLan lan = new UnderlayLan();
        try {
            for (int i = 1; i <= NODES; i++) {
                // node3 runs wireguard-go: jwg's planes work with it too, and twelve JVMs
                // starting at once on a small machine would make this slow to no purpose.
                Node n = new Node("node" + i, i == NODES ? Impl.WIREGUARD_GO : Impl.JWG);
                nodes.add(n);
                lan.attach(n, "192.0.2." + i + "/24");
            }
            // ifnames.get(node index).get(plane - 1)
            List<List<String>> ifnames = new ArrayList<>();
            List<Runnable> ups = new ArrayList<>();
            for (int i = 1; i <= NODES; i++) {
                Node n = nodes.get(i - 1);
                List<String> names = new ArrayList<>();
                Map<String, String> configs = new java.util.LinkedHashMap<>();
                for (int p = 1; p <= PLANES; p++) {
                    String ifname = Node.ifname("pl" + p);
                    names.add(ifname);
                    configs.put(ifname, Examples.render("03-multiple-planes/node" + i + ".conf", values(nodes, p)));
                }
                ifnames.add(names);
                // All twelve daemons start at once.
                ups.add(() -> n.upAll(configs));
            }
            long t0 = System.nanoTime();
            InParallel.run(ups);
            System.out.printf("S03: %d interfaces up in %.1f s%n", NODES * PLANES, (System.nanoTime() - t0) / 1e9);

            // Every plane: every node reaches every other node (the first ping on a pair handshakes).
            List<Callable<String>> pings = new ArrayList<>();
            for (int p = 1; p <= PLANES; p++) {
                for (int i = 1; i <= NODES; i++) {
                    for (int j = 1; j <= NODES; j++) {
                        if (i == j) {
                            continue;
                        }
                        Node from = nodes.get(i - 1);
                        String to = addr(p, j);
                        pings.add(() -> from.reaches(to, Duration.ofSeconds(20))
                                ? null : from.label() + " does not reach " + to);
                    }
                }
            }
            List<String> failures = InParallel.call(pings).stream().filter(f -> f != null).toList();
            assertEquals(List.of(), failures, "every node reaches every other node on every plane");
            System.out.printf("S03: all planes connected after %.1f s%n", (System.nanoTime() - t0) / 1e9);
            for (int i = 1; i <= NODES; i++) {
                for (int p = 1; p <= PLANES; p++) {
                    WgDump d = nodes.get(i - 1).dump(ifnames.get(i - 1).get(p - 1));
                    assertEquals(NODES - 1, d.peers().size());
                    assertTrue(d.peers().stream().allMatch(WgDump.Peer::hasHandshake),
                            "node" + i + " plane " + p + " has sessions with both peers: " + d);
                }
            }

            // Isolation: on every node, packets pushed into plane 1's interface towards the other
            // nodes' addresses on planes 2..4 enter the interface but are sent to no peer.
            List<Callable<String>> controls = new ArrayList<>();
            for (int i = 1; i <= NODES; i++) {
                Node n = nodes.get(i - 1);
                String plane1 = ifnames.get(i - 1).get(0);
                String peer = addr(1, i % NODES + 1);
                controls.add(() -> pingVia(n, plane1, peer, 5).ok() ? null
                        : n.label() + ": control: a ping bound to plane 1 does not reach plane 1's peer " + peer);
            }
            assertEquals(List.of(), InParallel.call(controls).stream().filter(f -> f != null).toList());
            List<WgDump> before = new ArrayList<>();
            List<Long> tunTxBefore = new ArrayList<>();
            List<Callable<String>> crossing = new ArrayList<>();
            for (int i = 1; i <= NODES; i++) {
                Node n = nodes.get(i - 1);
                String plane1 = ifnames.get(i - 1).get(0);
                before.add(n.dump(plane1));
                tunTxBefore.add(txPackets(n, plane1));
                for (int p = 2; p <= PLANES; p++) {
                    for (int j = 1; j <= NODES; j++) {
                        if (j != i) {
                            String target = addr(p, j);
                            crossing.add(() -> {
                                CommandResult r = pingVia(n, plane1, target, 2);
                                return r.ok() ? n.label() + ": ping -I " + plane1 + " " + target
                                        + " was answered\n" + r.describe() : null;
                            });
                        }
                    }
                }
            }
            assertEquals(List.of(), InParallel.call(crossing).stream().filter(f -> f != null).toList(),
                    "no ping into plane 1 towards another plane is answered");
            System.out.printf("S03: isolation pings done after %.1f s%n", (System.nanoTime() - t0) / 1e9);
            for (int i = 1; i <= NODES; i++) {
                Node n = nodes.get(i - 1);
                String plane1 = ifnames.get(i - 1).get(0);
                long entered = txPackets(n, plane1) - tunTxBefore.get(i - 1);
                int sent = (NODES - 1) * (PLANES - 1);
                assertTrue(entered >= sent, n.label() + ": the crossing pings entered plane 1's interface ("
                        + entered + " packets)");
                for (WgDump.Peer peer : n.dump(plane1).peers()) {
                    long grown = peer.txBytes() - before.get(i - 1).peer(peer.publicKey()).orElseThrow().txBytes();
                    assertTrue(grown < PAYLOAD, n.label() + ": plane 1 sent nothing of them to peer "
                            + peer.allowedIps() + " (tx grew by " + grown + " bytes)");
                }
            }
        } finally {
            long c0 = System.nanoTime();
            InParallel.run(nodes.stream().map(n -> (Runnable) n::close).toList());
            lan.close();
            System.out.printf("S03: closed in %.1f s%n", (System.nanoTime() - c0) / 1e9);
        }
    }

    private static String addr(int plane, int node) {
        return "10.3" + plane + ".0." + node;
    }

    private static Map<String, String> values(List<Node> nodes, int plane) {
        Map<String, String> v = new HashMap<>();
        v.put("plane", Integer.toString(plane));
        for (int i = 1; i <= nodes.size(); i++) {
            v.put("node" + i + ".private", nodes.get(i - 1).keys("plane" + plane).privateKey());
            v.put("node" + i + ".public", nodes.get(i - 1).keys("plane" + plane).publicKey());
        }
        return v;
    }

    /** One ping of {@link #PAYLOAD} bytes sent into interface {@code ifname} ({@code ping -I}). */
    private static CommandResult pingVia(Node n, String ifname, String target, int waitSeconds) {
        return n.exec("ping", "-n", "-I", ifname, "-c", "1", "-W", Integer.toString(waitSeconds),
                "-s", Integer.toString(PAYLOAD), target);
    }

    private static long txPackets(Node n, String ifname) {
        return Long.parseLong(n.run("cat", "/sys/class/net/" + ifname + "/statistics/tx_packets").stdout().strip());
    }
}
