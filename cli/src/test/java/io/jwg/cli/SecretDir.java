// SPDX-License-Identifier: MIT
package io.jwg.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A private temporary directory (0700) for keys, wg configuration files and wrapper scripts;
 * files are written owner-only (0600), as wg(8) and wg-quick(8) want secrets. Closing deletes it.
 */
final class SecretDir implements AutoCloseable {
    private final Path dir;

    SecretDir() {
        try {
            dir = Files.createTempDirectory("jwg-it-", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path path() {
        return dir;
    }

    /** Writes {@code content} to {@code name} with mode 0600 and returns its path. */
    Path write(String name, String content) {
        return write(name, content, "rw-------");
    }

    /** Writes an executable script (mode 0700). */
    Path script(String name, String content) {
        return write(name, content, "rwx------");
    }

    private Path write(String name, String content, String mode) {
        Path f = dir.resolve(name);
        try {
            Files.writeString(f, content, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
