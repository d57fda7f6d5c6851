// SPDX-License-Identifier: MIT
package io.jwg.cli;

import static io.jwg.cli.WgToolsIT.wg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.testing.CommandResult;
import io.jwg.core.testing.Netns;
import io.jwg.core.testing.Requirements;
import io.jwg.core.testing.UniqueNames;
import io.jwg.core.testing.WgKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Whatever arrives on the UAPI socket, and whatever {@code wg} is fed, the daemon keeps running,
 * keeps its configuration, and keeps answering {@code wg show}: malformed requests get an errno
 * or a closed connection (uapi-behaviour notes, section 1), never a dead daemon.
 */
@Tag(Requirements.TAG)
class UapiRobustnessIT {
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);

    @BeforeAll
    static void requirements() {
        Requirements.assumeWireguardGo();
        JwgLauncher.assumeBuilt();
    }

    @Test
    void malformedRequestsAreRefusedAndTheDaemonKeepsServing() throws Exception {
        try (Netns ns = Netns.create("jwgr"); SecretDir dir = new SecretDir()) {
            String name = UniqueNames.next("jwg");
            long pid = JwgLauncher.startDaemon(ns, name);
            configure(ns, name, dir);
            String before = wg(ns, "showconf", name).stdout();
            Path socket = JwgLauncher.socket(name);

            assertEquals("", exchange(socket, "foo=1\n"), "an unknown operation closes without a reply");
            assertEquals("", exchange(socket, "this is not a request at all\n"));
            assertNegativeErrno(exchange(socket, "set=1\nthis line has no equals sign\n\n"));
            assertNegativeErrno(exchange(socket, "set=1\nno_such_key=1\n\n"));
            assertNegativeErrno(exchange(socket, "set=1\nlisten_port=65536\n\n"));
            assertNegativeErrno(exchange(socket, "set=1\nlisten_port=-1\n\n"));
            assertNegativeErrno(exchange(socket, "set=1\nlisten_port=99999999999999999999\n\n"));
            assertNegativeErrno(exchange(socket, "set=1\nprivate_key=zz\n\n"));
            assertNegativeErrno(exchange(socket, "set=1\npublic_key=" + "0".repeat(63) + "\n\n"));
            assertNegativeErrno(exchange(socket, "set=1\nprivate_key=" + "a".repeat(70_000) + "\n\n"));
            assertNegativeErrno(exchange(socket, "set=1\nreplace_peers=true\nlisten_port=0x10\n\n"));
            byte[] garbage = new byte[64 * 1024];
            new Random(42).nextBytes(garbage);
            exchange(socket, garbage); // any answer, or none: what matters is what follows
            exchange(socket, ("set=1\n" + new String(garbage, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1));

            assertEquals(before, wg(ns, "showconf", name).stdout(), "nothing was changed by refused requests");
            assertFalse(JwgLauncher.exited(pid));
            assertTrue(exchange(socket, "get=1\n\n").endsWith("errno=0\n\n"));
        }
    }

    @Test
    void badConfigurationFilesAreRefusedByWgAndChangeNothing() {
        try (Netns ns = Netns.create("jwgr"); SecretDir dir = new SecretDir()) {
            String name = UniqueNames.next("jwg");
            JwgLauncher.startDaemon(ns, name);
            configure(ns, name, dir);
            String before = wg(ns, "showconf", name).stdout();
            // Out-of-range ports are not among them: wg(8) 1.0.20210914 wraps ListenPort = 70000
            // and an endpoint port 99999 into range and sends them, and retries a bad endpoint
            // for a while (the raw requests above cover out-of-range values at the daemon).
            String[] bad = {
                "[Interface]\nPrivateKey = not/base64/at/all!!\n",
                "[Interface]\nListenPort = -1\n",
                "[Interface]\nListenPort = many\n",
                "[Peer]\nPublicKey = " + "A".repeat(43) + "\n",
                "[Peer]\nPublicKey = " + "A".repeat(43) + "=\nAllowedIPs = 10.0.0.0/33\n",
                "[Peer]\nPublicKey = " + "A".repeat(43) + "=\nPersistentKeepalive = 70000\n",
                "[Bogus]\nKey = value\n",
            };
            for (int i = 0; i < bad.length; i++) {
                for (String command : List.of("setconf", "addconf", "syncconf")) {
                    CommandResult r = ns.exec("wg", command, name, dir.write("bad" + i + ".conf", bad[i]).toString());
                    assertEquals(1, r.exitCode(), "wg " + command + " accepted:\n" + bad[i] + r.describe());
                }
            }
            assertEquals(before, wg(ns, "showconf", name).stdout());
        }
    }

    @Test
    void twoThousandConnectionsOpenedAndDroppedAtOnceDoNotStopWgShow() throws Exception {
        try (Netns ns = Netns.create("jwgr"); SecretDir dir = new SecretDir()) {
            String name = UniqueNames.next("jwg");
            long pid = JwgLauncher.startDaemon(ns, name);
            configure(ns, name, dir);
            String before = wg(ns, "showconf", name).stdout();
            Path socket = JwgLauncher.socket(name);

            // A request that never ends must not hold up anyone else. Every request here is cut
            // off mid-line, so even read to EOF (which ends a set) it is invalid and changes nothing.
            try (SocketChannel stuck = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                stuck.write(ByteBuffer.wrap("set=1\nfwmark=1\nlisten_port=not-yet".getBytes(StandardCharsets.US_ASCII)));
                ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS);
                try {
                    List<Future<?>> done = new ArrayList<>();
                    for (int t = 0; t < CLIENT_THREADS; t++) {
                        int thread = t;
                        done.add(clients.submit(() -> {
                            openAndDrop(socket, thread, CONNECTIONS / CLIENT_THREADS);
                            return null;
                        }));
                    }
                    CommandResult during = ns.exec(Duration.ofSeconds(10), "wg", "show", name, "dump");
                    assertTrue(during.ok(), "wg show among 2000 connections:\n" + during.describe());
                    for (Future<?> f : done) {
                        f.get(60, TimeUnit.SECONDS);
                    }
                } finally {
                    clients.shutdownNow();
                }
                CommandResult after = ns.exec(Duration.ofSeconds(10), "wg", "showconf", name);
                assertTrue(after.ok(), after.describe());
                assertEquals(before, after.stdout());
            }
            assertEquals(before, wg(ns, "showconf", name).stdout(), "no cut-off request changed anything");
            assertFalse(JwgLauncher.exited(pid));
        }
    }

    private static final int CONNECTIONS = 2000;
    private static final int CLIENT_THREADS = 8;

    /**
     * Opens {@code count} connections, {@code HELD} at a time, each silent or cut off mid-request,
     * and drops them.
     */
    private static void openAndDrop(Path socket, int thread, int count) throws IOException {
        byte[][] partial = {
            new byte[0], "get=".getBytes(StandardCharsets.US_ASCII), "set=1\nfwmark=".getBytes(StandardCharsets.US_ASCII),
            "set=1\nlisten_port=5x".getBytes(StandardCharsets.US_ASCII),
        };
        List<SocketChannel> held = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            c.write(ByteBuffer.wrap(partial[(thread + i) % partial.length]));
            held.add(c);
            if (held.size() == HELD) {
                for (SocketChannel h : held) {
                    h.close();
                }
                held.clear();
            }
        }
        for (SocketChannel h : held) {
            h.close();
        }
    }

    /** Connections one client thread keeps open at once (8 threads: up to 160, under the server's limit). */
    private static final int HELD = 20;

    private static void configure(Netns ns, String name, SecretDir dir) {
        WgKeys own = WgKeys.generate();
        WgKeys peer = WgKeys.generate();
        wg(ns, "setconf", name, dir.write(name + ".conf", """
                [Interface]
                PrivateKey = %s
                ListenPort = 51820
                [Peer]
                PublicKey = %s
                AllowedIPs = 10.0.0.2/32
                Endpoint = 192.0.2.2:51820
                """.formatted(own.privateKey(), peer.publicKey())).toString());
    }

    private static void assertNegativeErrno(String reply) {
        assertTrue(reply.matches("(?s)errno=-[1-9][0-9]*\n\n"), "expected errno=-N, got: " + reply.replace("\n", "\\n"));
    }

    private static String exchange(Path socket, String request) throws Exception {
        return exchange(socket, request.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Sends {@code request}, half-closes, and reads to the end or to the first empty line, within
     * {@link #REPLY_TIMEOUT}; the connection is closed either way.
     */
    private static String exchange(Path socket, byte[] request) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        try {
            Future<String> reply = pool.submit(() -> {
                try {
                    ch.write(ByteBuffer.wrap(request));
                    ch.shutdownOutput();
                } catch (IOException e) {
                    // The daemon may close early on a bad request; read what it said.
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteBuffer buf = ByteBuffer.allocate(4096);
                try {
                    while (ch.read(buf) > 0) {
                        out.write(buf.array(), 0, buf.position());
                        buf.clear();
                        if (out.toString(StandardCharsets.US_ASCII).contains("\n\n")) {
                            break;
                        }
                    }
                } catch (IOException e) {
                    // Reset by the daemon: what it said before is the answer.
                }
                return out.toString(StandardCharsets.US_ASCII);
            });
            return reply.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no reply and no close within " + REPLY_TIMEOUT, e);
        } finally {
            ch.close();
            pool.shutdownNow();
        }
    }
}
