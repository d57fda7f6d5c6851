// SPDX-License-Identifier: MIT
package io.jwg.core.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external command to completion with a hard timeout and captures its output.
 *
 * <p>Output goes to temporary files rather than pipes: a command that leaves a background child
 * holding its stdout (e.g. a daemon) can then never block the caller, and a command killed at its
 * timeout still leaves whatever it printed for the failure message. Standard input is
 * {@code /dev/null} unless the caller supplies text, so no command ever waits on a terminal.
 *
 * <p>Stateless and thread-safe.
 */
public final class Commands {

    /** Applied when a caller does not choose a timeout; fixture commands take milliseconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final File DEV_NULL = new File("/dev/null");

    private Commands() {
    }

    /** Runs {@code argv} with {@link #DEFAULT_TIMEOUT}; never throws for a non-zero exit. */
    public static CommandResult run(String... argv) {
        return run(DEFAULT_TIMEOUT, null, List.of(argv));
    }

    /** Runs {@code argv}, failing the test with its output unless it exits 0 in time. */
    public static CommandResult runOk(String... argv) {
        return run(argv).orThrow();
    }

    /**
     * Runs {@code argv}, killing it (and anything it started) when {@code timeout} expires.
     *
     * @param stdin text fed to the command's standard input, or null for {@code /dev/null}
     * @throws UncheckedIOException when the command cannot be started at all (e.g. not installed)
     */
    public static CommandResult run(Duration timeout, String stdin, List<String> argv) {
        Path out = null;
        Path err = null;
        Path in = null;
        try {
            out = Files.createTempFile("jwg-cmd-", ".out");
            err = Files.createTempFile("jwg-cmd-", ".err");
            ProcessBuilder pb = new ProcessBuilder(argv)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            if (stdin == null) {
                pb.redirectInput(Redirect.from(DEV_NULL));
            } else {
                in = Files.createTempFile("jwg-cmd-", ".in");
                Files.writeString(in, stdin, StandardCharsets.UTF_8);
                pb.redirectInput(in.toFile());
            }
            Process process = pb.start();
            boolean finished = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (!finished) {
                Processes.kill(process.toHandle(), Duration.ZERO);
            }
            return new CommandResult(argv, finished ? process.exitValue() : -1,
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), !finished);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", argv), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", argv), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
            deleteQuietly(in);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // A leftover temp file is harmless; the command's result matters more.
            }
        }
    }
}
