// SPDX-License-Identifier: MIT
package io.jwg.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * TSO and GRO against the real kernel's TCP: two namespaces, each with a LinuxTun with offloads,
 * and this test as the wire between them (what one TUN reads is written to the other, a batch at a
 * time). A file sent over TCP from one namespace to the other, both ways, over IPv4 and IPv6,
 * must arrive byte for byte; the kernel must have handed us TSO packets (reads of many segments)
 * and taken coalesced ones from us, and refused nothing.
 */
@Tag("netns")
class LinuxTunOffloadNetnsTest {
    private static final int OFFSET = 16;

    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tun-wire");
        t.setDaemon(true);
        return t;
    });
    private final String nameA = Netns.uniqueInterfaceName();
    private final String nameB = Netns.uniqueInterfaceName();
    private Netns a;
    private Netns b;
    private LinuxTun tunA;
    private LinuxTun tunB;
    private final AtomicInteger largestRead = new AtomicInteger();
    private volatile String wireFailure = "";
    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        Netns.assumeAvailable();
        dir = Files.createTempDirectory("jwg-tso");
        tunA = LinuxTun.create(nameA, 1420, true);
        tunB = LinuxTun.create(nameB, 1420, true);
        assertTrue(tunA.offloads() && tunB.offloads());
        a = Netns.create();
        b = Netns.create();
        for (Object[] side : new Object[][] {{a, nameA, "1"}, {b, nameB, "2"}}) {
            Netns ns = (Netns) side[0];
            String name = (String) side[1];
            assertTrue(Netns.run("ip", "link", "set", name, "netns", ns.name).ok());
            ns.ip("addr", "add", "10.78.0." + side[2] + "/24", "dev", name);
            ns.ip("addr", "add", "fd00:78::" + side[2] + "/64", "dev", name, "nodad");
            ns.ip("link", "set", name, "up");
            ns.ip("link", "set", "lo", "up");
        }
        threads.execute(() -> forward(tunA, tunB));
        threads.execute(() -> forward(tunB, tunA));
    }

    @AfterEach
    void tearDown() throws IOException {
        threads.shutdownNow();
        for (LinuxTun t : new LinuxTun[] {tunA, tunB}) {
            if (t != null) {
                t.close();
            }
        }
        for (Netns ns : new Netns[] {a, b}) {
            if (ns != null) {
                ns.close();
            }
        }
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void aFileCrossesIntactBothWaysOverIpv4AndIpv6() throws Exception {
        Path source = dir.resolve("source");
        byte[] data = new byte[24 << 20];
        new Random(7).nextBytes(data);
        Files.write(source, data);
        String expected = sha256(source);
        int port = 5301;
        for (String[] route : new String[][] {{"a", "10.78.0.2"}, {"b", "10.78.0.1"},
                {"a", "fd00:78::2"}, {"b", "fd00:78::1"}}) {
            Netns client = route[0].equals("a") ? a : b;
            Netns server = client == a ? b : a;
            Process sink = java(server, "sink", String.valueOf(port));
            try {
                java.io.BufferedReader out = sink.inputReader();
                assertEquals("listening", out.readLine(), "sink did not start" + wireFailure);
                Netns.Result r = client.exec(javaCommand("send", route[1], String.valueOf(port), source.toString()));
                assertTrue(r.ok(), r.output() + wireFailure);
                assertTrue(sink.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "sink did not finish");
                assertEquals(expected + " " + data.length, out.readLine(), "to " + route[1] + wireFailure);
            } finally {
                sink.destroyForcibly();
            }
            port++;
        }
        assertTrue(largestRead.get() > 10, "the kernel handed over TSO packets: largest read "
                + largestRead.get() + " segments");
        assertTrue(tunA.coalescedSegments() > 1000 && tunB.coalescedSegments() > 1000,
                "coalesced " + tunA.coalescedSegments() + " and " + tunB.coalescedSegments());
        assertEquals(0, tunA.refusedReads() + tunB.refusedReads());
        assertEquals(0, tunA.droppedWrites() + tunB.droppedWrites(),
                tunA.lastWriteError() + " " + tunB.lastWriteError());
    }

    private void forward(LinuxTun from, LinuxTun to) {
        int batch = from.batchSize();
        ByteBuffer[] bufs = PacketBuffers.allocate(batch, OFFSET + 65535, ByteOrder.LITTLE_ENDIAN);
        int[] sizes = new int[batch];
        int[] offs = new int[batch];
        java.util.Arrays.fill(offs, OFFSET);
        try {
            for (;;) {
                int n = from.read(bufs, sizes, OFFSET);
                largestRead.accumulateAndGet(n, Math::max);
                to.write(bufs, offs, sizes, n);
            }
        } catch (TunClosedException expected) {
            // the test is over
        } catch (Throwable t) {
            wireFailure = "\nthe wire failed: " + t;
        }
    }

    private static String[] javaCommand(String... args) {
        String javaPath = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(javaPath, "-Xshare:auto",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), TcpCopy.class.getName()));
        cmd.addAll(List.of(args));
        return cmd.toArray(String[]::new);
    }

    private static Process java(Netns ns, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns.name));
        cmd.addAll(List.of(javaCommand(args)));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
