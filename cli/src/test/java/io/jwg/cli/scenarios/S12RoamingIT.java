// SPDX-License-Identifier: MIT
package io.jwg.cli.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.testing.Requirements;
import io.jwg.core.testing.Veth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 12: a laptop's underlay address changes while it pings the server through the tunnel
 * (examples/12-roaming): first a new address on the same link, then a move to a second link.
 * Each time the ping resumes with no reconfiguration, and the server's endpoint for the laptop is
 * the new address.
 */
@Tag(Requirements.TAG)
@ExtendWith(ScenarioReport.class)
class S12RoamingIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern REPLY = Pattern.compile("bytes from 10\\.12\\.0\\.1: icmp_seq=");

    @Test
    @DisplayName("12 roaming: the underlay address changes mid-ping")
    void trafficFollowsTheLaptopToItsNewAddressesWithoutReconfiguration() throws Exception {
        Requirements.assumeWireguardGo();
        try (Node server = new Node("server", Impl.JWG); Node laptop = new Node("laptop", Impl.JWG)) {
            Veth link1 = Veth.connect(server.netns(), laptop.netns()).ipv4("192.0.2.1/28", "192.0.2.2/28");
            Map<String, String> keys = Map.of(
                    "server.private", server.keys("wg").privateKey(), "server.public", server.keys("wg").publicKey(),
                    "laptop.private", laptop.keys("wg").privateKey(), "laptop.public", laptop.keys("wg").publicKey());
            String serverIf = Node.ifname("rs");
            server.up(serverIf, Examples.render("12-roaming/server.conf", keys));
            laptop.up(Node.ifname("rm"), Examples.render("12-roaming/laptop.conf", keys));
            String laptopKey = laptop.keys("wg").publicKey();

            Path log = Files.createTempFile("jwg-roaming-ping", ".log");
            try {
                laptop.netns().start(log, "ping", "-n", "-i", "0.2", "10.12.0.1");
                Poll.assertUntil(WAIT, "the ping through the tunnel is answered", () -> replies(log) >= 3,
                        () -> read(log));
                assertEquals("192.0.2.2", endpointHost(server, serverIf, laptopKey));

                // 1. A new address on the same link (say, a new DHCP lease): the old one goes away.
                String dev = link1.b().ifname();
                laptop.run("ip", "addr", "del", "192.0.2.2/28", "dev", dev);
                laptop.run("ip", "addr", "add", "192.0.2.3/28", "dev", dev);
                int before = replies(log);
                Poll.assertUntil(WAIT, "the ping resumes from 192.0.2.3", () -> replies(log) >= before + 5,
                        () -> read(log) + server.dump(serverIf));
                assertEquals("192.0.2.3", endpointHost(server, serverIf, laptopKey),
                        "the server learned the new address");

                // 2. A move to another link (Wi-Fi gone, LTE there): the first link goes down, the
                // server is now reached through a router-less second link on another subnet.
                Veth.connect(server.netns(), laptop.netns()).ipv4("198.51.100.1/28", "198.51.100.2/28");
                laptop.run("ip", "route", "add", "192.0.2.0/28", "via", "198.51.100.1", "metric", "500");
                laptop.run("ip", "link", "set", dev, "down");
                int before2 = replies(log);
                Poll.assertUntil(WAIT, "the ping resumes over the second link", () -> replies(log) >= before2 + 5,
                        () -> read(log) + server.dump(serverIf));
                assertEquals("198.51.100.2", endpointHost(server, serverIf, laptopKey),
                        "the server learned the address on the second link");
                // The server, which has no Endpoint configured, reaches the laptop at its new place.
                assertTrue(server.reaches("10.12.0.2", WAIT), "the server pings the laptop after the move");
            } finally {
                Files.deleteIfExists(log);
            }
        }
    }

    private static String endpointHost(Node server, String ifname, String key) {
        String endpoint = server.dump(ifname).peer(key).orElseThrow().endpoint();
        return endpoint == null ? null : endpoint.substring(0, endpoint.lastIndexOf(':'));
    }

    private static int replies(Path log) {
        return (int) read(log).lines().filter(l -> REPLY.matcher(l).find()).count();
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
