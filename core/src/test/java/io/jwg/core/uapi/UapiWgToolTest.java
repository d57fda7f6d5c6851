// SPDX-License-Identifier: MIT
package io.jwg.core.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.Device;
import io.jwg.core.DeviceOptions;
import io.jwg.core.PeerState;
import io.jwg.core.testing.CommandResult;
import io.jwg.core.testing.Commands;
import io.jwg.core.testing.Netns;
import io.jwg.core.testing.Requirements;
import io.jwg.core.testing.UniqueNames;
import io.jwg.core.testing.WireguardGo;
import io.jwg.core.transport.netty.NettyBind;
import io.jwg.tun.memory.MemoryTun;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The real {@code wg} tool against jwg's UAPI socket at {@code /var/run/wireguard/NAME.sock},
 * side by side with a real wireguard-go given the same commands: every {@code wg show},
 * {@code dump} and {@code showconf} output must be the same, except for traffic counters and
 * the peer order (wireguard-go's is random).
 *
 * <p>jwg's device runs in the host namespace with a real UDP socket (NettyBind, port 0), so its
 * peers' endpoints are loopback sockets this test holds: the keepalive handshakes the device
 * sends land there and nowhere else. wireguard-go runs in a namespace of its own; wg reaches both
 * through the shared socket directory.
 */
@Tag(Requirements.TAG)
class UapiWgToolTest {
    private static final Duration WG_TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, String> b64 = UapiFixtures.base64Keys();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private Path files;
    private String name;
    private Device device;
    private UapiServer server;
    private DatagramChannel sink4;
    private DatagramChannel sink6;
    private int listenPort;

    @BeforeEach
    void start() throws IOException, io.jwg.core.ConfigException {
        Requirements.assumeWg();
        Requirements.assumeRoot();
        files = Files.createTempDirectory("jwg-uapi-wg-");
        sink4 = own(DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress("127.0.0.1", 0)));
        sink6 = own(DatagramChannel.open(StandardProtocolFamily.INET6).bind(new InetSocketAddress("::1", 0)));
        try (DatagramChannel probe = DatagramChannel.open().bind(new InetSocketAddress(0))) {
            listenPort = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        name = UniqueNames.next("jwgu");
        device = own(Device.create(new MemoryTun(), new NettyBind(), DeviceOptions.builder().name(name).build()));
        device.up();
        server = own(UapiServer.start(device, name));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable r : resources.reversed()) {
            r.close();
        }
        if (files != null) {
            try (Stream<Path> all = Files.walk(files)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private <T extends AutoCloseable> T own(T resource) {
        resources.add(resource);
        return resource;
    }

    @Test
    void wgSeesTheInterfaceAndItsBoundPort() {
        assertEquals(UapiServer.SOCKET_DIRECTORY.resolve(name + ".sock"), server.socketPath());
        assertTrue(Arrays.asList(wg("show", "interfaces").stdout().trim().split("\\s+")).contains(name));
        int bound = device.state().listenPort();
        assertNotEquals(0, bound);
        assertEquals(bound + "\n", wg("show", name, "listen-port").stdout());
        assertEquals("off\n", wg("show", name, "fwmark").stdout());
    }

    @Test
    void wgSetConfiguresTheDevice() throws IOException {
        wg("set", name, "private-key", secret("dev.key", b64.get("dev.private")), "listen-port",
                Integer.toString(listenPort), "fwmark", "0x2a", "peer", b64.get("peer1.public"), "preshared-key",
                secret("psk", b64.get("psk1.preshared")), "endpoint", "127.0.0.1:" + port(sink4),
                "allowed-ips", "10.0.0.2/32,10.10.0.0/16,fd00::2/128", "persistent-keepalive", "25");
        var s = device.state();
        assertEquals(b64.get("dev.private"), s.privateKey().toBase64());
        assertEquals(listenPort, s.listenPort());
        assertEquals(0x2a, s.fwmark());
        PeerState p = s.peers().getFirst();
        assertEquals(b64.get("peer1.public"), p.publicKey().toBase64());
        assertEquals(b64.get("psk1.preshared"), p.presharedKey().toBase64());
        assertEquals("127.0.0.1:" + port(sink4), GetResponse.endpoint(p.endpoint()));
        assertEquals(25, p.persistentKeepalive());
        assertEquals(List.of("10.0.0.2/32", "10.10.0.0/16", "fd00::2/128"),
                p.allowedIps().stream().map(Object::toString).toList());
        assertEquals(b64.get("dev.private") + "\t" + b64.get("dev.public") + "\t" + listenPort + "\t0x2a\n",
                wg("show", name, "dump").stdout().lines().findFirst().orElseThrow() + "\n");

        wg("set", name, "peer", b64.get("peer1.public"), "allowed-ips", "10.0.0.9/32");
        assertEquals("10.0.0.9/32", device.state().peers().getFirst().allowedIps().getFirst().toString());
        wg("set", name, "peer", b64.get("peer1.public"), "remove");
        assertEquals(List.of(), device.state().peers());
    }

    @Test
    void everyWgCommandShowsWhatWireguardGoShows() throws IOException {
        Requirements.assumeWireguardGo();
        Netns ns = own(Netns.create("jwgu"));
        WireguardGo reference = WireguardGo.start(ns);
        String conf = sampleConf();
        String extra = "[Peer]\nPublicKey = " + b64.get("peer3.public") + "\nAllowedIPs = 10.0.0.4/32, 10.10.0.0/16\n"
                + "Endpoint = 127.0.0.1:" + port(sink4) + "\n";

        both(reference, "setconf", "%s", file("sample.conf", conf));
        assertSameOutputs(reference);
        assertEquals(expectedShowconf(), wg("showconf", name).stdout());

        both(reference, "addconf", "%s", file("extra.conf", extra));
        assertEquals(3, device.state().peers().size());
        assertSameOutputs(reference);

        both(reference, "syncconf", "%s", file("sample.conf", conf));
        assertEquals(2, device.state().peers().size());
        assertSameOutputs(reference);

        both(reference, "set", "%s", "peer", b64.get("peer2.public"), "allowed-ips", "10.0.0.5/32,10.0.0.6/32");
        assertSameOutputs(reference);

        both(reference, "set", "%s", "peer", b64.get("peer2.public"), "remove");
        assertEquals(1, device.state().peers().size());
        assertSameOutputs(reference);
    }

    @Test
    void badInputThroughWgLeavesTheDeviceUnchanged() throws IOException {
        wg("setconf", name, file("sample.conf", sampleConf()));
        String before = configuration();

        CommandResult badKey = wgFails("set", name, "private-key", secret("bad.key", "garbage"));
        assertTrue(badKey.stderr().contains("Invalid length key in key file"), badKey.describe());

        CommandResult badConf = wgFails("setconf", name, file("bad.conf", sampleConf().replace("10.0.0.3/32",
                "10.0.0.3/33")));
        assertTrue(badConf.stderr().contains("AllowedIP is not in the correct format"), badConf.describe());

        // Refused by jwg itself: wg sends the whole request; the port is taken, so nothing of it
        // (not even the private key that comes first) may change.
        try (DatagramChannel taken = DatagramChannel.open(StandardProtocolFamily.INET)
                .bind(new InetSocketAddress("0.0.0.0", 0))) {
            CommandResult inUse = wgFails("set", name, "private-key", secret("p3.key", b64.get("peer3.private")),
                    "listen-port", Integer.toString(port(taken)), "peer", b64.get("peer2.public"), "remove");
            assertEquals("Unable to modify interface: Address already in use\n", inUse.stderr(), inUse.describe());
        }
        assertEquals(before, configuration());
        assertEquals(listenPort, device.state().listenPort());
    }

    @Test
    void closingTheServerRemovesTheInterfaceFromWg() {
        Path socket = server.socketPath();
        assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
        server.close();
        assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
        assertFalse(Arrays.asList(wg("show", "interfaces").stdout().trim().split("\\s+")).contains(name));
        assertNotEquals(0, Commands.run(WG_TIMEOUT, null, List.of("wg", "show", name)).exitCode());
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** The get reply without the counters, which the device's keepalive handshakes move. */
    private String configuration() {
        return Uapi.get(device).lines().filter(l -> !l.startsWith("tx_bytes=") && !l.startsWith("rx_bytes="))
                .collect(Collectors.joining("\n"));
    }

    private String sampleConf() {
        return "[Interface]\nPrivateKey = " + b64.get("dev.private") + "\nListenPort = " + listenPort
                + "\nFwMark = 0x2a\n\n[Peer]\nPublicKey = " + b64.get("peer1.public") + "\nPresharedKey = "
                + b64.get("psk1.preshared") + "\nEndpoint = 127.0.0.1:" + port(sink4)
                + "\nAllowedIPs = 10.0.0.2/32, 10.10.0.0/16, fd00::2/128\nPersistentKeepalive = 25\n\n"
                + "[Peer]\nPublicKey = " + b64.get("peer2.public") + "\nEndpoint = [::1]:" + port(sink6)
                + "\nAllowedIPs = 10.0.0.3/32\n";
    }

    /** wg-showconf-sample.txt's layout, with this test's port and endpoints (jwg keeps file order). */
    private String expectedShowconf() {
        return "[Interface]\nListenPort = " + listenPort + "\nFwMark = 0x2a\nPrivateKey = " + b64.get("dev.private")
                + "\n\n[Peer]\nPublicKey = " + b64.get("peer1.public") + "\nPresharedKey = "
                + b64.get("psk1.preshared") + "\nAllowedIPs = 10.0.0.2/32, 10.10.0.0/16, fd00::2/128\nEndpoint = "
                + "127.0.0.1:" + port(sink4) + "\nPersistentKeepalive = 25\n\n[Peer]\nPublicKey = "
                + b64.get("peer2.public") + "\nAllowedIPs = 10.0.0.3/32\nEndpoint = [::1]:" + port(sink6) + "\n";
    }

    /** Runs {@code wg <command> IFNAME args...} against jwg and against wireguard-go. */
    private void both(WireguardGo reference, String command, String... args) {
        for (String ifname : List.of(name, reference.name())) {
            List<String> argv = new ArrayList<>(List.of(command));
            for (String a : args) {
                argv.add(a.equals("%s") ? ifname : a);
            }
            wg(argv.toArray(String[]::new));
        }
    }

    private void assertSameOutputs(WireguardGo reference) {
        assertEquals(normalizedDump(reference.name()), normalizedDump(name));
        assertEquals(sections(wg("showconf", reference.name()).stdout()), sections(wg("showconf", name).stdout()));
        assertEquals(sections(pretty(reference.name())), sections(pretty(name)));
        for (String field : List.of("public-key", "private-key", "listen-port", "fwmark", "peers", "endpoints",
                "allowed-ips", "persistent-keepalive", "preshared-keys")) {
            assertEquals(sortedLines(wg("show", reference.name(), field).stdout()),
                    sortedLines(wg("show", name, field).stdout()), field);
        }
    }

    /** The dump with the handshake and counter columns blanked and peer lines sorted. */
    private String normalizedDump(String ifname) {
        List<String> lines = wg("show", ifname, "dump").stdout().lines().toList();
        List<String> peers = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            f[4] = "*";
            f[5] = "*";
            f[6] = "*";
            peers.add(String.join("\t", f));
        }
        peers.sort(null);
        return lines.getFirst() + "\n" + String.join("\n", peers);
    }

    /** {@code wg show IF} without the name and the lines that depend on traffic. */
    private String pretty(String ifname) {
        return wg("show", ifname).stdout().lines()
                .filter(l -> !l.startsWith("  latest handshake:") && !l.startsWith("  transfer:"))
                .map(l -> l.startsWith("interface: ") ? "interface: IF" : l)
                .collect(Collectors.joining("\n"));
    }

    /** Blank-line separated sections: the first as is, the peers as a sorted list. */
    private static List<String> sections(String text) {
        List<String> parts = new ArrayList<>(Arrays.asList(text.strip().split("\n\n")));
        List<String> peers = new ArrayList<>(parts.subList(1, parts.size()));
        peers.sort(null);
        List<String> out = new ArrayList<>(List.of(parts.getFirst()));
        out.addAll(peers);
        return out;
    }

    private static List<String> sortedLines(String text) {
        return text.lines().sorted().toList();
    }

    private CommandResult wg(String... args) {
        List<String> argv = new ArrayList<>(List.of("wg"));
        argv.addAll(List.of(args));
        return Commands.run(WG_TIMEOUT, null, argv).orThrow();
    }

    private CommandResult wgFails(String... args) {
        List<String> argv = new ArrayList<>(List.of("wg"));
        argv.addAll(List.of(args));
        CommandResult r = Commands.run(WG_TIMEOUT, null, argv);
        assertFalse(r.ok() || r.timedOut(), r.describe());
        return r;
    }

    private String file(String fileName, String content) throws IOException {
        Path p = files.resolve(fileName);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p.toString();
    }

    private String secret(String fileName, String key) throws IOException {
        return file(fileName, key + "\n");
    }

    private static int port(DatagramChannel ch) {
        try {
            return ((InetSocketAddress) ch.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
