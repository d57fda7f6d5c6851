// SPDX-License-Identifier: MIT
package io.jwg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jwg.core.testing.CommandResult;
import io.jwg.core.testing.Commands;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key tools against wg(8) itself: {@code pubkey} agrees with {@code wg pubkey} on 1,000 random
 * private keys (clamped or not: both tools clamp), refuses what wg refuses, and keys written to a
 * file are owner-only from the moment the file exists.
 */
class KeyToolIT {
    private static final int KEYS = 1_000;

    @BeforeAll
    static void requirements() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/wg")), "skipped: wg (wireguard-tools) is not installed");
    }

    @Test
    void pubkeyAgreesWithWgOnAThousandRandomPrivateKeys() {
        SplittableRandom random = new SplittableRandom(0x6a7767L);
        List<String> privateKeys = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            byte[] raw = new byte[32];
            random.nextBytes(raw);
            privateKeys.add(Base64.getEncoder().encodeToString(raw));
        }
        // One shell runs wg pubkey once per key, in order: a thousand processes, but one fork from Java.
        CommandResult wg = Commands.run(Duration.ofSeconds(120), String.join("\n", privateKeys) + "\n",
                List.of("bash", "-c", "while IFS= read -r k; do printf '%s\\n' \"$k\" | wg pubkey || exit 1; done"));
        assertTrue(wg.ok(), wg.describe());
        List<String> expected = wg.stdout().lines().toList();
        assertEquals(KEYS, expected.size());
        for (int i = 0; i < KEYS; i++) {
            assertEquals(expected.get(i), pubkey(privateKeys.get(i) + "\n"), "private key " + privateKeys.get(i));
        }
        // And the same code as the command users run, through the launcher, for a few of them.
        JwgLauncher.assumeBuilt();
        for (int i = 0; i < 5; i++) {
            CommandResult jwg = Commands.run(Duration.ofSeconds(30), privateKeys.get(i) + "\n",
                    JwgLauncher.command(List.of(), "pubkey"));
            assertEquals(expected.get(i), jwg.orThrow().stdout().strip());
        }
    }

    @Test
    void pubkeyRefusesWhatWgRefuses() {
        String good = Base64.getEncoder().encodeToString(new byte[32]);
        for (String input : List.of("", "short\n", good.substring(0, 43) + "!\n", good + "x\n",
                good.replace('=', 'A') + "\n", "\n" + good + "\n")) {
            CommandResult wg = Commands.run(Duration.ofSeconds(10), input, List.of("wg", "pubkey"));
            assertEquals(wg.ok(), pubkey(input) != null, "wg and jwg agree on accepting '" + input.strip() + "'");
        }
        // Trailing whitespace and NULs are fine for both.
        assertEquals(Commands.run(Duration.ofSeconds(10), good + " \t\n\n", List.of("wg", "pubkey")).orThrow()
                .stdout().strip(), pubkey(good + " \t\n\n"));
    }

    @Test
    void keysWrittenToFilesAreOwnerOnlyEvenUnderAPermissiveUmask(@TempDir Path dir) throws IOException {
        JwgLauncher.assumeBuilt();
        Path priv = dir.resolve("private.key");
        Path psk = dir.resolve("psk");
        Path existing = Files.writeString(dir.resolve("existing.key"), "old\n");
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rw-rw-rw-"));
        String launcher = String.join(" ", JwgLauncher.command(List.of()).stream().map(KeyToolIT::quote).toList());
        CommandResult r = Commands.run(Duration.ofSeconds(60), null, List.of("bash", "-c",
                "umask 000 && " + launcher + " genkey --output " + quote(priv.toString())
                        + " && " + launcher + " genpsk --output " + quote(psk.toString())
                        + " && " + launcher + " genkey --output " + quote(existing.toString())));
        assertTrue(r.ok(), r.describe());
        for (Path p : List.of(priv, psk, existing)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
            String key = Files.readString(p);
            assertTrue(key.matches("[A-Za-z0-9+/]{43}=\n"), p + ": " + key);
        }
        String fromFile = Files.readString(priv);
        assertEquals(Commands.run(Duration.ofSeconds(10), fromFile, List.of("wg", "pubkey")).orThrow().stdout().strip(),
                pubkey(fromFile), "wg reads the key file jwg wrote");
    }

    /** {@code jwg pubkey} in-process: the public key, or null when it refuses the input. */
    private static String pubkey(String stdin) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.US_ASCII);
                PrintStream e = new PrintStream(err, true, StandardCharsets.US_ASCII)) {
            int status = new KeyTool("jwg", o, e).pubkey(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.US_ASCII)));
            return status == 0 ? out.toString(StandardCharsets.US_ASCII).strip() : null;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
