// SPDX-License-Identifier: MIT
package io.jwg.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UapiSocketProbeTest {
    private Path dir;
    private Path socket;

    @BeforeEach
    void dir() throws IOException {
        dir = Files.createTempDirectory("jwg-probe-");
        socket = dir.resolve("wg0.sock");
    }

    @AfterEach
    void cleanUp() throws IOException {
        Files.deleteIfExists(socket);
        Files.delete(dir);
    }

    @Test
    void aSocketSomeoneListensOnIsInUseAndKept() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            StartupFailure f = assertThrows(StartupFailure.class, () -> UapiSocketProbe.claim(socket, "wg0"));
            assertTrue(f.getMessage().contains("wg0 is already served by another process"), f.getMessage());
            assertTrue(Files.exists(socket));
        }
    }

    @Test
    void aSocketLeftByADeadProcessIsNotInUse() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
        } // closed without unlinking: what a killed daemon leaves
        assertDoesNotThrow(() -> UapiSocketProbe.claim(socket, "wg0"));
        assertTrue(Files.exists(socket), "left for the UAPI server to replace");
    }

    @Test
    void aFileThatIsNoSocketIsNotTouched() throws IOException {
        Files.writeString(socket, "not a socket");
        assertDoesNotThrow(() -> UapiSocketProbe.claim(socket, "wg0"));
        assertEquals("not a socket", Files.readString(socket));
    }

    @Test
    void noSocketIsFree() {
        assertDoesNotThrow(() -> UapiSocketProbe.claim(socket, "wg0"));
    }
}
