// SPDX-License-Identifier: MIT
package io.jwg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The HTTP side: GET /metrics, 404 and 405 otherwise, one exchange per connection, IP_FREEBIND. */
class MetricsServerTest {

    @Test
    void getMetricsAnswersWithTheTextFormatAndOtherPathsAre404() throws IOException {
        AtomicInteger scrapes = new AtomicInteger();
        try (MetricsServer s = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                () -> "m{interface=\"wg0\"} " + scrapes.incrementAndGet() + "\n")) {
            InetSocketAddress at = s.localAddress();
            String ok = exchange(at, "GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n");
            assertTrue(ok.startsWith("HTTP/1.1 200 OK\r\n"), ok);
            // Header names are case-insensitive (RFC 9110); Netty writes them in lower case.
            assertTrue(ok.toLowerCase(java.util.Locale.ROOT).contains("\r\ncontent-type: text/plain; version=0.0.4; charset=utf-8\r\n"), ok);
            assertTrue(ok.toLowerCase(java.util.Locale.ROOT).contains("\r\ncontent-length: 21\r\n"), ok);
            assertTrue(ok.endsWith("\r\n\r\nm{interface=\"wg0\"} 1\n"), ok);
            assertTrue(exchange(at, "GET /metrics?x=1 HTTP/1.0\r\n\r\n").endsWith("} 2\n"));

            String head = exchange(at, "HEAD /metrics HTTP/1.1\r\n\r\n");
            assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n") && head.endsWith("\r\n\r\n"), head);
            assertTrue(exchange(at, "GET / HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 404 "));
            assertTrue(exchange(at, "GET /metricsx HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 404 "));
            String post = exchange(at, "POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
            assertTrue(post.startsWith("HTTP/1.1 405 ") && post.toLowerCase(java.util.Locale.ROOT).contains("\r\nallow: get, head\r\n"), post);
            assertTrue(exchange(at, "nonsense\r\n\r\n").startsWith("HTTP/1.1 400 "));
            assertTrue(exchange(at, "GET /metrics HTTP/1.1\r\nX: " + "y".repeat(9000)).startsWith("HTTP/1.1 431 "));
            // The request arriving in pieces.
            assertTrue(exchange(at, "GET /met", "rics HTTP/1.1\r\n", "\r\n").startsWith("HTTP/1.1 200 "));
        }
    }

    @Test
    void anAddressNotOnAnyInterfaceYetCanBeBound() throws IOException {
        // 192.0.2.0/24 is documentation space, on no interface here: bound thanks to IP_FREEBIND.
        try (MetricsServer s = MetricsServer.start(new InetSocketAddress(InetAddress.getByName("192.0.2.213"), 0),
                () -> "")) {
            assertEquals(InetAddress.getByName("192.0.2.213"), s.localAddress().getAddress());
        }
    }

    @Test
    void anIpv6AddressNotOnAnyInterfaceYetCanBeBound() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(java.nio.file.Path.of("/proc/net/if_inet6")),
                "skipped: IPv6 is disabled here");
        InetAddress doc = InetAddress.getByName("2001:db8::213");
        try (MetricsServer s = MetricsServer.start(new InetSocketAddress(doc, 0), () -> "")) {
            assertEquals(doc, s.localAddress().getAddress());
        }
    }

    @Test
    void aPortInUseIsABindException() throws IOException {
        try (MetricsServer first = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                () -> "")) {
            BindException e = assertThrows(BindException.class,
                    () -> MetricsServer.start(first.localAddress(), () -> "").close());
            assertEquals("Address already in use", e.getMessage());
        }
    }

    private static String exchange(InetSocketAddress at, String... pieces) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(at, 5000);
            s.setSoTimeout(5000);
            for (String p : pieces) {
                s.getOutputStream().write(p.getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
            }
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
