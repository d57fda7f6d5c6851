// SPDX-License-Identifier: MIT
package io.jwg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The daemon's half of the launcher's readiness FIFO, against a real FIFO. */
class ReadinessTest {
    private Path dir;
    private Path fifo;
    private FileChannel launcherEnd;

    @BeforeEach
    void makeFifo() throws Exception {
        dir = Files.createTempDirectory("jwg-readiness-");
        fifo = dir.resolve("ready");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(p.waitFor() == 0, "skipped: mkfifo failed");
        // The launcher holds it read-write, as `exec 3<>fifo` does.
        launcherEnd = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    @AfterEach
    void cleanUp() throws IOException {
        launcherEnd.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    @Test
    void readyIsOneLine() throws IOException {
        new Readiness(fifo).ready();
        assertEquals("ready\n", readAvailable());
    }

    @Test
    void aFailureIsOneLineEvenWhenTheMessageHasSeveral() throws IOException {
        new Readiness(fifo).failed("cannot create TUN\ninterface 'x'");
        assertEquals("error: cannot create TUN interface 'x'\n", readAvailable());
    }

    @Test
    void onlyTheFirstReportIsSent() throws IOException {
        Readiness r = new Readiness(fifo);
        r.ready();
        r.failed("too late");
        assertEquals("ready\n", readAvailable());
    }

    @Test
    void aLauncherThatIsGoneNeitherBlocksNorLeavesAFile() throws IOException {
        launcherEnd.close();
        Files.delete(fifo); // the launcher gave up, removed its FIFO and exited
        new Readiness(fifo).ready(); // returns at once
        assertFalse(Files.exists(fifo));
    }

    @Test
    void withoutALauncherNothingIsReported() {
        Readiness none = new Readiness(null);
        assertFalse(none.hasListener());
        none.ready();
        assertTrue(new Readiness(fifo).hasListener());
    }

    private String readAvailable() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4096);
        launcherEnd.read(b); // the report was written whole before this returns
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }
}
