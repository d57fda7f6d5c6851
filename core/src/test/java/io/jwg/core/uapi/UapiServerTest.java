// SPDX-License-Identifier: MIT
package io.jwg.core.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The unix-socket server: wireguard-go's framing, its socket file, and staying up under abuse. */
class UapiServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final Map<String, String> hex = UapiFixtures.hexKeys();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private UapiFixtures.TestDevice device() {
        UapiFixtures.TestDevice d = new UapiFixtures.TestDevice().up();
        open.add(d);
        d.set(SetCase.baseline(hex));
        return d;
    }

    private UapiServer start(UapiFixtures.TestDevice d, Path socket, UapiServer.Limits limits) throws IOException {
        UapiServer s = UapiServer.start(d.device, socket, limits);
        open.add(s);
        return s;
    }

    private UapiServer start(UapiFixtures.TestDevice d) throws IOException {
        return start(d, dir.resolve("t.sock"), UapiServer.Limits.DEFAULT);
    }

    // ---- framing ---------------------------------------------------------------------------------

    /** The F rows of wireguard-go-set-cases.tsv: raw bytes, half-close, reply read to the end. */
    static List<String[]> framingRows() {
        List<String[]> rows = new ArrayList<>();
        for (String line : UapiFixtures.resource("wireguard-go-set-cases.tsv").split("\n")) {
            if (line.startsWith("F")) {
                rows.add(line.split("\t"));
            }
        }
        return rows;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framingRows")
    void framesRequestsAsWireguardGo(String id, String description, String request, String reply, String change)
            throws IOException {
        var d = device();
        UapiServer server = start(d);
        String before = d.get();
        String expected = UapiFixtures.unescape(reply);
        expected = expected.substring(0, expected.length() - "<EOF>".length());
        String got = exchange(server, UapiFixtures.unescape(request));
        String after = d.get();
        // wireguard-go drops what follows a set in the same write; jwg answers it (a superset).
        if (id.equals("F16")) {
            expected = "errno=-22\n\n" + before;
        } else if (id.equals("F17")) {
            expected = "errno=0\n\n" + after;
        }
        assertEquals(expected, got, id + " " + description);
        assertEquals(change, UapiFixtures.GetState.parse(before).diff(UapiFixtures.GetState.parse(after)));
    }

    @Test
    void servesSeveralRequestsOneAfterAnotherOnOneConnection() throws IOException {
        var d = device();
        UapiServer server = start(d);
        try (SocketChannel ch = connect(server)) {
            write(ch, "set=1\nlisten_port=51821\n\n");
            assertEquals("errno=0\n\n", readReply(ch));
            write(ch, "get=1\n\n");
            assertEquals(d.get(), readReply(ch));
            assertTrue(d.get().contains("listen_port=51821\n"));
            write(ch, "set=1\nfwmark=7\n\n");
            assertEquals("errno=0\n\n", readReply(ch));
            write(ch, "get=1\n");
            write(ch, "\n");
            assertTrue(readReply(ch).contains("\nfwmark=7\n"));
        }
    }

    @Test
    void answersEveryPipelinedRequestInOrder() throws IOException {
        var d = device();
        UapiServer server = start(d);
        String reply = exchange(server, "set=1\nlisten_port=51821\n\nget=1\n\nset=1\nlisten_port=x\n\n"
                + "set=1\nfwmark=9\n\nget=1\n\n");
        String afterBoth = d.get();
        assertTrue(afterBoth.contains("listen_port=51821\nfwmark=9\n"), afterBoth);
        assertEquals("errno=0\n\n" + afterBoth.replace("fwmark=9\n", "") + "errno=-22\n\nerrno=0\n\n" + afterBoth,
                reply);
    }

    @Test
    void garbageClosesOnlyItsConnection() throws IOException {
        var d = device();
        UapiServer server = start(d);
        byte[] junk = new byte[1 << 20];
        new Random(1).nextBytes(junk);
        for (String garbage : List.of("hello\n", "GET / HTTP/1.1\r\n\r\n", "\u0000\u0001\n", new String(junk,
                StandardCharsets.ISO_8859_1))) {
            try (SocketChannel ch = connect(server)) {
                write(ch, garbage);
                assertEquals("", readAll(ch));
            } catch (IOException reset) {
                // Closing with unread junk may reset the connection: also "closed without reply".
            }
        }
        assertEquals(d.get(), exchange(server, "get=1\n\n"));
    }

    @Test
    void overlongLineIsEioAndTheConnectionGoesOn() throws IOException {
        var d = device();
        UapiServer server = start(d);
        String before = d.get();
        String reply = exchange(server, "set=1\nlisten_port=51821\nfoo=" + "a".repeat(200_000) + "\n\nget=1\n\n");
        assertEquals("errno=-5\n\n" + before, reply);
    }

    @Test
    void refusedLineBeforeAnOverlongOneDecidesTheErrno() throws IOException {
        UapiServer server = start(device());
        assertEquals("errno=-71\n\n", exchange(server, "set=1\nnoequals\nfoo=" + "a".repeat(70_000) + "\n\n"));
    }

    @Test
    void requestsOverTheSizeLimitsAreEioAndChangeNothing() throws IOException {
        var d = device();
        UapiServer server = start(d, dir.resolve("small.sock"),
                new UapiServer.Limits(Duration.ofSeconds(30), 8, 1024, 20, Duration.ofSeconds(1)));
        String before = d.get();
        StringBuilder big = new StringBuilder("set=1\npublic_key=" + hex.get("peer2.public") + "\n");
        for (int i = 0; i < 100; i++) {
            big.append("allowed_ip=10.1.").append(i).append(".0/24\n");
        }
        assertEquals("errno=-5\n\n" + before, exchange(server, big + "\nget=1\n\n"));
        StringBuilder many = new StringBuilder("set=1\n");
        for (int i = 0; i < 21; i++) {
            many.append("fwmark=").append(i).append('\n');
        }
        assertEquals("errno=-5\n\n", exchange(server, many + "\n"));
        assertEquals(before, d.get());
    }

    // ---- resources -------------------------------------------------------------------------------

    @Test
    void survivesThousandsOfConnectionsOpenedAndDropped() throws Exception {
        var d = device();
        UapiServer server = start(d, dir.resolve("many.sock"),
                new UapiServer.Limits(Duration.ofSeconds(30), 64, 16 << 20, 1 << 20, Duration.ofSeconds(1)));
        AtomicInteger connected = new AtomicInteger();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                int n = i;
                all.add(pool.submit(() -> {
                    try (SocketChannel ch = connectRetrying(server)) {
                        connected.incrementAndGet();
                        if (n % 3 == 1) {
                            write(ch, "set=1\nlisten_port=5182");
                        } else if (n % 3 == 2) {
                            write(ch, "get=1\n");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        assertEquals(2000, connected.get());
        assertEquals(d.get(), exchange(server, "get=1\n\n"));
        await(() -> server.connectionCount() == 0);
    }

    @Test
    void moreClientsThanConnectionSlotsAreAllServed() throws Exception {
        var d = device();
        UapiServer server = start(d, dir.resolve("few.sock"),
                new UapiServer.Limits(Duration.ofSeconds(30), 4, 16 << 20, 1 << 20, Duration.ofSeconds(1)));
        String expected = d.get();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> replies = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                replies.add(pool.submit(() -> exchange(server, "get=1\n\n")));
            }
            for (Future<String> f : replies) {
                assertEquals(expected, f.get(60, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void slowClientsAreCutOffAtTheRequestTimeout() throws Exception {
        var d = device();
        UapiServer server = start(d, dir.resolve("slow.sock"),
                new UapiServer.Limits(Duration.ofMillis(300), 8, 16 << 20, 1 << 20, Duration.ofSeconds(1)));
        String before = d.get();
        try (SocketChannel idle = connect(server); SocketChannel trickle = connect(server)) {
            long start = System.nanoTime();
            write(trickle, "set=1\nlisten_port=5");
            // One byte every 100 ms: never idle for long, but the request never completes in time.
            boolean cut = false;
            for (int i = 0; i < 50 && !cut; i++) {
                Thread.sleep(100);
                try {
                    write(trickle, "1");
                } catch (IOException closed) {
                    cut = true;
                }
            }
            assertTrue(cut, "the trickling client was never disconnected");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4));
            assertEquals("", readAll(idle)); // closed without a reply
        }
        assertEquals(before, d.get());
        assertEquals(before, exchange(server, "get=1\n\n"));
    }

    // ---- the socket file -------------------------------------------------------------------------

    @Test
    void createsTheDirectory0755AndTheSocket0600() throws IOException {
        Path socket = dir.resolve("run/wireguard/perm.sock");
        start(device(), socket, UapiServer.Limits.DEFAULT);
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)));
        assertTrue((((Integer) Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 0170000) == 0140000);
        try (var entries = Files.list(socket.getParent())) {
            assertEquals(List.of(socket), entries.toList(), "no temporary files left behind");
        }
    }

    @Test
    void replacesAStaleSocket() throws IOException {
        Path socket = dir.resolve("stale.sock");
        ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        dead.bind(UnixDomainSocketAddress.of(socket));
        dead.close(); // the file stays, nobody listens
        var d = device();
        UapiServer server = start(d, socket, UapiServer.Limits.DEFAULT);
        assertEquals(d.get(), exchange(server, "get=1\n\n"));
    }

    @Test
    void refusesToStartWhereALiveServerListens() throws IOException {
        Path socket = dir.resolve("live.sock");
        var d = device();
        UapiServer first = start(d, socket, UapiServer.Limits.DEFAULT);
        IOException e = assertThrows(IOException.class, () -> start(device(), socket, UapiServer.Limits.DEFAULT));
        assertTrue(e.getMessage().contains("another live process"), e.getMessage());
        assertEquals(d.get(), exchange(first, "get=1\n\n"));
    }

    @Test
    void refusesToReplaceAFileThatIsNotASocket() throws IOException {
        Path socket = dir.resolve("file.sock");
        Files.writeString(socket, "keep me");
        assertThrows(FileAlreadyExistsException.class, () -> start(device(), socket, UapiServer.Limits.DEFAULT));
        assertEquals("keep me", Files.readString(socket));
    }

    @Test
    void reportsTheSocketsRemovalOnce() throws Exception {
        Path socket = dir.resolve("gone.sock");
        UapiServer server = start(device(), socket,
                new UapiServer.Limits(Duration.ofSeconds(30), 8, 1 << 20, 1 << 10, Duration.ofMillis(20)));
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch removed = new CountDownLatch(1);
        server.onSocketRemoved(() -> {
            runs.incrementAndGet();
            removed.countDown();
        });
        Files.delete(socket);
        assertTrue(removed.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        CountDownLatch late = new CountDownLatch(1);
        server.onSocketRemoved(late::countDown); // registered after the fact: runs at once
        assertEquals(0, late.getCount());
        assertEquals(1, runs.get());
    }

    @Test
    void aSocketReplacedBySomeoneElseCountsAsRemovedAndIsLeftAlone() throws Exception {
        Path socket = dir.resolve("taken.sock");
        UapiServer server = start(device(), socket,
                new UapiServer.Limits(Duration.ofSeconds(30), 8, 1 << 20, 1 << 10, Duration.ofMillis(20)));
        CountDownLatch removed = new CountDownLatch(1);
        server.onSocketRemoved(removed::countDown);
        Files.delete(socket);
        try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            other.bind(UnixDomainSocketAddress.of(socket));
            assertTrue(removed.await(WAIT.toSeconds(), TimeUnit.SECONDS));
            server.close();
            assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "another server's socket was deleted");
        }
    }

    @Test
    void closeRemovesTheSocketAndEndsConnections() throws IOException {
        Path socket = dir.resolve("close.sock");
        UapiServer server = start(device(), socket, UapiServer.Limits.DEFAULT);
        try (SocketChannel waiting = connect(server)) {
            write(waiting, "get=1\n");
            server.close();
            assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
            try {
                assertEquals("", readAll(waiting));
            } catch (IOException reset) {
                // Closed while "get=1\n" was still unread: a reset, also "closed without reply".
            }
        }
        server.close(); // idempotent
        assertThrows(IOException.class, () -> connect(server));
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static SocketChannel connect(UapiServer server) throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(server.socketPath()));
    }

    /**
     * Connects, retrying while the listen backlog is full: virtual threads use non-blocking
     * sockets, whose connect fails with EAGAIN then instead of waiting as wg's does.
     */
    private static SocketChannel connectRetrying(UapiServer server) throws IOException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                return connect(server);
            } catch (IOException e) {
                if (attempt > 10_000 || !String.valueOf(e.getMessage()).contains("temporarily unavailable")) {
                    throw e;
                }
                Thread.sleep(1);
            }
        }
    }

    private static void write(SocketChannel ch, String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Sends the bytes, half-closes, and reads everything the server sends until it closes. */
    static String exchange(UapiServer server, String request) throws IOException {
        try (SocketChannel ch = connect(server)) {
            write(ch, request);
            ch.shutdownOutput();
            return readAll(ch);
        }
    }

    static String readAll(SocketChannel ch) throws IOException {
        StringBuilder out = new StringBuilder();
        ByteBuffer b = ByteBuffer.allocate(65536);
        while (ch.read(b.clear()) >= 0) {
            out.append(new String(b.array(), 0, b.position(), StandardCharsets.ISO_8859_1));
        }
        return out.toString();
    }

    /** Reads one reply: up to and including its "errno=N\n\n". */
    private static String readReply(SocketChannel ch) throws IOException {
        StringBuilder out = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (!(out.toString().endsWith("\n\n") && out.toString().matches("(?s)(.*\n)?errno=-?\\d+\n\n"))) {
            if (ch.read(one.clear()) < 0) {
                throw new IOException("closed after " + out);
            }
            out.append((char) (one.get(0) & 0xff));
        }
        return out.toString();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "condition not met within " + WAIT);
            Thread.sleep(10);
        }
    }
}
