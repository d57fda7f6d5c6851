// SPDX-License-Identifier: MIT
package io.jwg.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How a daemon started in the background tells the ./jwg launcher that it is ready. A JVM cannot
 * fork, so the launcher starts it as a separate process and must not return before the TUN and
 * the UAPI socket exist: wg-quick runs {@code wg setconf} the moment it returns (docs/uapi-notes.md,
 * section 7). The launcher makes a FIFO, names it in {@value #ENV}, and waits for one line:
 * {@code ready}, or {@code error: MESSAGE} with the message to print for the user.
 *
 * <p>The FIFO is opened read-write (O_RDWR), which on Linux never blocks, even when the launcher
 * has already given up and gone; the write then lands in a pipe nobody reads, harmlessly. Only
 * the first report is sent. Thread-safe.
 */
final class Readiness {
    /** The launcher's environment variable naming the FIFO. */
    static final String ENV = "JWG_READY_FIFO";

    private final Path fifo;
    private boolean reported;

    Readiness(Path fifo) {
        this.fifo = fifo;
    }

    /** The channel the launcher set up, or one that reports nowhere when run without it. */
    static Readiness fromEnvironment() {
        String path = System.getenv(ENV);
        return new Readiness(path == null || path.isEmpty() ? null : Path.of(path));
    }

    /** True when a launcher waits for the report (and so prints the error itself). */
    boolean hasListener() {
        return fifo != null;
    }

    /** The TUN and the socket exist: the launcher may return. */
    void ready() {
        send("ready\n");
    }

    /** Starting failed: the launcher prints {@code jwg: message} and exits 1. */
    void failed(String message) {
        send("error: " + message.replace('\n', ' ') + "\n");
    }

    private synchronized void send(String line) {
        if (fifo == null || reported) {
            return;
        }
        reported = true;
        // READ + WRITE without CREATE: O_RDWR, so no blocking open, and no stray file if it is gone.
        try (FileChannel ch = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
        } catch (IOException e) {
            System.getLogger(Readiness.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot report to the launcher through " + fifo + ": " + KeyTool.describe(e));
        }
    }
}
