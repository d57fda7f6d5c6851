// SPDX-License-Identifier: MIT
package io.jwg.core.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the known-answer files kept outside the repository (see the vectors' README): the
 * directory named by system property {@code jwg.vectors}, else {@code ../shared/vectors} beside
 * the repository root that surefire passes as {@code jwg.repo}, else /work/shared/vectors.
 */
public final class TestVectors {
    private TestVectors() {
    }

    /** The vectors directory (it may not exist). */
    public static Path dir() {
        String explicit = System.getProperty("jwg.vectors");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String repo = System.getProperty("jwg.repo");
        if (repo != null && !repo.isBlank()) {
            Path beside = Path.of(repo).resolve("../shared/vectors").normalize();
            if (Files.isDirectory(beside)) {
                return beside;
            }
        }
        return Path.of("/work/shared/vectors");
    }

    /** The named vector file; skips the calling test (JUnit assumption) if it is absent. */
    public static Path require(String name) {
        Path file = dir().resolve(name);
        assumeTrue(Files.isReadable(file), () -> "test vector " + file + " is absent; skipping"
                + " (set -Djwg.vectors=DIR to point at the shared vectors)");
        return file;
    }
}
