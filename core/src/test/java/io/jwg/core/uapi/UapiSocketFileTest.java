// SPDX-License-Identifier: MIT
package io.jwg.core.uapi;

import static io.jwg.core.uapi.UapiClient.connect;
import static io.jwg.core.uapi.UapiClient.exchange;
import static io.jwg.core.uapi.UapiClient.readAll;
import static io.jwg.core.uapi.UapiClient.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UAPI socket file, as wireguard-go's UAPIListen treats it and the xplatform spec asks: its
 * directory and permissions, a stale file replaced, a live one refused, removal noticed, and only
 * our own file deleted on close.
 */
class UapiSocketFileTest {
    @TempDir
    Path dir;

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
        return d;
    }

    private UapiServer start(UapiFixtures.TestDevice d, Path socket, UapiServer.Limits limits) throws IOException {
        UapiServer s = UapiServer.start(d.device, socket, limits);
        open.add(s);
        return s;
    }

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
        assertTrue(removed.await(UapiClient.WAIT.toSeconds(), TimeUnit.SECONDS));
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
            assertTrue(removed.await(UapiClient.WAIT.toSeconds(), TimeUnit.SECONDS));
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
}
