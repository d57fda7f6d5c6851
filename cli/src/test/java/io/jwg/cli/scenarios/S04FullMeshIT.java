// SPDX-License-Identifier: MIT
package io.jwg.cli.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.testing.CommandResult;
import io.jwg.core.testing.Requirements;
import io.jwg.core.testing.WgDump;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Scenario 4: a full mesh of two jwg and two wireguard-go nodes, from examples/04-full-mesh. */
@Tag(Requirements.TAG)
@ExtendWith(ScenarioReport.class)
class S04FullMeshIT {
    private static final int NODES = 4;

    @Test
    @DisplayName("04 full mesh: 2 jwg + 2 wireguard-go, all pairs direct")
    void everyPairOfAMixedFourNodeMeshTalksDirectly() throws Exception {
        Requirements.assumeWireguardGo();
        List<Node> nodes = new ArrayList<>();
        UnderlayLan lan = new UnderlayLan();
        try {
            Map<String, String> values = new HashMap<>();
            for (int i = 1; i <= NODES; i++) {
                Node n = new Node("node" + i, i <= 2 ? Impl.JWG : Impl.WIREGUARD_GO);
                nodes.add(n);
                lan.attach(n, "192.0.2." + i + "/24");
                values.put("node" + i + ".private", n.keys("wg").privateKey());
                values.put("node" + i + ".public", n.keys("wg").publicKey());
            }
            List<String> ifnames = new ArrayList<>();
            List<Runnable> ups = new ArrayList<>();
            for (int i = 1; i <= NODES; i++) {
                Node n = nodes.get(i - 1);
                String ifname = Node.ifname("mesh");
                String config = Examples.render("04-full-mesh/node" + i + ".conf", values);
                ifnames.add(ifname);
                ups.add(() -> n.up(ifname, config));
            }
            InParallel.run(ups);

            // 12 directions; the replies' TTL of 64 shows that no host routed them on the way.
            List<Callable<String>> pings = new ArrayList<>();
            for (int i = 1; i <= NODES; i++) {
                for (int j = 1; j <= NODES; j++) {
                    if (i != j) {
                        Node from = nodes.get(i - 1);
                        String to = "10.40.0." + j;
                        pings.add(() -> {
                            CommandResult r = from.exec("ping", "-n", "-c", "1", "-W", "20", to);
                            return r.ok() && r.stdout().contains("ttl=64 ") ? null
                                    : from + " -> " + to + ": " + r.describe();
                        });
                    }
                }
            }
            List<String> failures = InParallel.call(pings).stream().filter(f -> f != null).toList();
            assertEquals(List.of(), failures, "every node reaches every other node directly");

            for (int i = 1; i <= NODES; i++) {
                Node n = nodes.get(i - 1);
                WgDump d = n.dump(ifnames.get(i - 1));
                assertEquals(NODES - 1, d.peers().size(), n + ": " + d);
                for (int j = 1; j <= NODES; j++) {
                    if (j == i) {
                        continue;
                    }
                    Node other = nodes.get(j - 1);
                    WgDump.Peer p = d.peer(other.keys("wg").publicKey()).orElseThrow();
                    assertTrue(p.hasHandshake(), n + " has a handshake with " + other + ": " + p);
                    assertEquals("192.0.2." + j + ":51820", p.endpoint(),
                            n + " talks to " + other + " at its own address");
                    assertEquals(List.of("10.40.0." + j + "/32"), p.allowedIps(), n + "'s route to " + other);
                    assertTrue(p.rxBytes() > 0 && p.txBytes() > 0, n + " exchanged data with " + other + ": " + p);
                }
            }
        } finally {
            for (Node n : nodes.reversed()) {
                n.close();
            }
            lan.close();
        }
    }
}
