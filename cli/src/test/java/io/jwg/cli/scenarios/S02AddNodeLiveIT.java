// SPDX-License-Identifier: MIT
package io.jwg.cli.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.testing.Requirements;
import io.jwg.core.testing.WgDump;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Scenario 2: a third node added live with wg syncconf, from examples/02-add-a-node. */
@Tag(Requirements.TAG)
@ExtendWith(ScenarioReport.class)
class S02AddNodeLiveIT {
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
    private static final int PINGS = 50;

    @Test
    @DisplayName("02 add a third node live: wg syncconf keeps the session")
    void aNodeAddedWithSyncconfJoinsWithoutDisturbingTheExistingSession() throws Exception {
        Requirements.assumeWireguardGo();
        try (UnderlayLan lan = new UnderlayLan();
                Node n1 = new Node("node1", Impl.JWG);
                Node n2 = new Node("node2", Impl.JWG);
                Node n3 = new Node("node3", Impl.JWG)) {
            lan.attach(n1, "192.0.2.1/24");
            lan.attach(n2, "192.0.2.2/24");
            lan.attach(n3, "192.0.2.3/24");
            Map<String, String> values = Map.of(
                    "node1.private", n1.keys("wg").privateKey(), "node1.public", n1.keys("wg").publicKey(),
                    "node2.private", n2.keys("wg").privateKey(), "node2.public", n2.keys("wg").publicKey(),
                    "node3.private", n3.keys("wg").privateKey(), "node3.public", n3.keys("wg").publicKey());
            String if1 = Node.ifname("add");
            String if2 = Node.ifname("add");
            String if3 = Node.ifname("add");
            n1.up(if1, Examples.render("02-add-a-node/node1.conf", values));
            n2.up(if2, Examples.render("02-add-a-node/node2.conf", values));
            assertTrue(n1.reaches("10.20.0.2", Duration.ofSeconds(12)), "node1 pings node2 through the tunnel");
            long hs1 = handshake(n1, if1, n2);
            long hs2 = handshake(n2, if2, n1);
            assertTrue(hs1 != 0 && hs2 != 0, "node1 and node2 have a session");

            // node3 starts knowing both; they do not know it yet.
            n3.up(if3, Examples.render("02-add-a-node/node3.conf", values));

            Path pingLog = Files.createTempFile("jwg-s02-ping-", ".log");
            try {
                Process ping = n1.netns().start(pingLog, "stdbuf", "-oL", "ping", "-n", "-i", "0.2",
                        "-c", Integer.toString(PINGS), "10.20.0.2");
                Poll.until(() -> Files.readString(pingLog).contains("icmp_seq=3 "), Duration.ofSeconds(20),
                        "the ping from node1 to node2 runs");

                // The change, as an operator makes it on the running nodes.
                String block = Examples.render("02-add-a-node/add-node3.conf", values);
                for (Node n : new Node[] {n1, n2}) {
                    String ifname = n == n1 ? if1 : if2;
                    Files.writeString(n.config(ifname), block, StandardOpenOption.APPEND);
                    var r = n.sh("wg syncconf " + ifname + " <(wg-quick strip " + n.config(ifname) + ")");
                    assertTrue(r.ok(), n.label() + ": wg syncconf failed\n" + r.describe());
                    assertEquals(2, n.dump(ifname).peers().size(), n.label() + " now has two peers");
                }
                assertTrue(ping.isAlive(), "the change was applied while the ping was still running");

                // node3 reaches both (while the node1 -> node2 ping still runs), and they reach it.
                assertTrue(n3.reaches("10.20.0.1", Duration.ofSeconds(12)), "node3 pings node1");
                assertTrue(n3.reaches("10.20.0.2", Duration.ofSeconds(12)), "node3 pings node2");
                assertTrue(n1.reaches("10.20.0.3", Duration.ofSeconds(5)), "node1 pings node3");
                assertTrue(n2.reaches("10.20.0.3", Duration.ofSeconds(5)), "node2 pings node3");

                assertTrue(ping.waitFor(60, TimeUnit.SECONDS), "the ping ends");
                String out = Files.readString(pingLog);
                Matcher m = SUMMARY.matcher(out);
                assertTrue(m.find(), "ping summary\n" + out);
                assertEquals(PINGS, Integer.parseInt(m.group(1)), out);
                assertEquals(PINGS, Integer.parseInt(m.group(2)), "no ping lost across the change\n" + out);
            } finally {
                Files.deleteIfExists(pingLog);
            }

            assertEquals(hs1, handshake(n1, if1, n2), "node1's session with node2 was kept (same latest handshake)");
            assertEquals(hs2, handshake(n2, if2, n1), "node2's session with node1 was kept (same latest handshake)");
            for (Node n : new Node[] {n1, n2}) {
                WgDump d = n.dump(n == n1 ? if1 : if2);
                assertTrue(d.peer(n3.keys("wg").publicKey()).orElseThrow().hasHandshake(),
                        n.label() + " has a handshake with node3: " + d);
            }
        }
    }

    private static long handshake(Node at, String ifname, Node with) {
        return at.dump(ifname).peer(with.keys("wg").publicKey()).orElseThrow().latestHandshakeEpochSeconds();
    }
}
