// SPDX-License-Identifier: MIT
package io.jwg.cli;

import io.jwg.noise.PresharedKey;
import io.jwg.noise.PrivateKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

/**
 * {@code genkey}, {@code pubkey} and {@code genpsk}, byte-compatible with wg(8): base64 keys, one
 * per line, the same input rules and the same messages (with our program name). A key written to
 * a file by {@code --output} is created with mode 0600; like {@code wg genkey}, a key written to a
 * world-accessible file through standard output draws a warning.
 */
final class KeyTool {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private final String prog;
    private final PrintStream out;
    private final PrintStream err;

    KeyTool(String prog, PrintStream out, PrintStream err) {
        this.prog = prog;
        this.out = out;
        this.err = err;
    }

    int genkey(Path output) {
        PrivateKey key = PrivateKey.generate(new SecureRandom());
        try {
            return emit(key.toBase64(), output);
        } finally {
            key.destroy();
        }
    }

    int genpsk(Path output) {
        return emit(PresharedKey.generate(new SecureRandom()).toBase64(), output);
    }

    /** Reads a private key as wg pubkey does: 44 base64 characters, then only whitespace or NULs. */
    int pubkey(InputStream in) throws IOException {
        byte[] base64 = in.readNBytes(44);
        if (base64.length != 44) {
            err.println(prog + ": Key is not the correct length or format");
            return 1;
        }
        int c;
        while ((c = in.read()) != -1) {
            if (c != 0 && !isSpace(c)) {
                err.println(prog + ": Trailing characters found after key");
                return 1;
            }
        }
        PrivateKey key;
        try {
            key = PrivateKey.fromBase64(new String(base64, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            err.println(prog + ": Key is not the correct length or format");
            return 1;
        }
        out.println(key.publicKey().toBase64());
        key.destroy();
        return 0;
    }

    private int emit(String base64, Path output) {
        if (output == null) {
            warnIfStdoutIsWorldAccessible();
            out.println(base64);
            return 0;
        }
        try {
            writeOwnerOnly(output, (base64 + "\n").getBytes(StandardCharsets.US_ASCII));
            return 0;
        } catch (IOException e) {
            err.println(prog + ": " + output + ": " + describe(e));
            return 1;
        }
    }

    /**
     * Creates the file with mode 0600 from the start (never briefly readable by others); an
     * existing file is first narrowed to 0600, then truncated and written.
     */
    static void writeOwnerOnly(Path file, byte[] content) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
        Files.write(file, content, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** wg genkey's check: fstat(stdout) is a regular file readable or writable by others. */
    private void warnIfStdoutIsWorldAccessible() {
        Path stdout = Path.of("/proc/self/fd/1");
        try {
            if (Files.isRegularFile(stdout)) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(stdout);
                if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.OTHERS_WRITE)
                        || perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    err.println("Warning: writing to world accessible file.");
                    err.println("Consider setting the umask to 077 and trying again.");
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Not Linux, or no /proc: skip the courtesy warning, as wg does when fstat fails.
        }
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == 0x0c;
    }

    static String describe(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "No such file or directory";
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
