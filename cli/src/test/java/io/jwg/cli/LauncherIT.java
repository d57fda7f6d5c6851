// SPDX-License-Identifier: MIT
package io.jwg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jwg.core.testing.CommandResult;
import io.jwg.core.testing.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The launcher's dispatch: key tools and usage errors go to the short-lived command line, never
 * to the daemon path, and behave as wg(8) and wireguard-go do. Needs only the packaged build.
 */
class LauncherIT {

    @BeforeAll
    static void requirements() {
        JwgLauncher.assumeBuilt();
    }

    @Test
    void keyToolsStillWorkThroughTheLauncherAndAgreeWithWg() {
        String priv = jwg(null, "genkey").orThrow().stdout().strip();
        assertEquals(44, priv.length(), priv);
        String pub = jwg(priv + "\n", "pubkey").orThrow().stdout().strip();
        assertEquals(44, pub.length(), pub);
        assertEquals(44, jwg(null, "genpsk").orThrow().stdout().strip().length());
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/wg")), "skipped the comparison: wg is not installed");
        assertEquals(Commands.run(Duration.ofSeconds(10), priv + "\n", List.of("wg", "pubkey")).orThrow().stdout().strip(), pub);
    }

    @Test
    void usageErrorsPrintTheUsageAndStartNothing() {
        CommandResult none = jwg(null);
        assertEquals(1, none.exitCode(), none.describe());
        assertTrue(none.stderr().contains("Usage: jwg [-f/--foreground] INTERFACE-NAME"), none.describe());
        CommandResult flagOnly = jwg(null, "-f");
        assertEquals(1, flagOnly.exitCode(), flagOnly.describe());
        assertTrue(flagOnly.stderr().contains("Usage: jwg [-f/--foreground] INTERFACE-NAME"), flagOnly.describe());
        CommandResult extra = jwg(null, "-f", "a", "b");
        assertEquals(1, extra.exitCode(), extra.describe());
        assertTrue(extra.stderr().startsWith("jwg: Unmatched argument"), extra.describe());
        assertTrue(!extra.stderr().contains("\tat "), "no stack trace:\n" + extra.describe());
    }

    @Test
    void versionAndHelpAnswer() {
        assertTrue(jwg(null, "--version").orThrow().stdout().startsWith("jwg "));
        assertTrue(jwg(null, "--help").orThrow().stdout().contains("genkey"));
    }

    private static CommandResult jwg(String stdin, String... args) {
        return Commands.run(Duration.ofSeconds(30), stdin, JwgLauncher.command(List.of(), args));
    }
}
