// SPDX-License-Identifier: MIT
package io.jwg.core.uapi;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** A raw UAPI client for the server tests: bytes in, bytes out, one char per byte. */
final class UapiClient {
    static final Duration WAIT = Duration.ofSeconds(10);

    private UapiClient() {}

    static SocketChannel connect(UapiServer server) throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(server.socketPath()));
    }

    /**
     * Connects, retrying while the listen backlog is full: virtual threads use non-blocking
     * sockets, whose connect fails with EAGAIN then instead of waiting as wg's does.
     */
    static SocketChannel connectRetrying(UapiServer server) throws IOException, InterruptedException {
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

    static void write(SocketChannel ch, String s) throws IOException {
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
    static String readReply(SocketChannel ch) throws IOException {
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

    static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "condition not met within " + WAIT);
            Thread.sleep(10);
        }
    }
}
