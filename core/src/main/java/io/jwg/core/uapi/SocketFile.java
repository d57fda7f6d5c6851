// SPDX-License-Identifier: MIT
package io.jwg.core.uapi;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The UAPI socket's file, {@code /var/run/wireguard/IFNAME.sock} (wireguard.com/xplatform), and
 * who owns it. Created as wireguard-go's {@code UAPIListen} does: the directory made 0755 if
 * missing, a live socket left alone (another daemon serves that interface), a stale one
 * replaced. The socket is root-only (0600) from its first moment: it is bound inside a private
 * 0700 directory, restricted, then renamed into place, which also replaces a stale file
 * atomically. The file is recognised by its device and inode, so a file someone else put at the
 * same path later is never taken for ours. Thread-safe.
 */
final class SocketFile {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final Path path;
    private final Object fileKey;
    private final ServerSocketChannel channel;

    private SocketFile(Path path, Object fileKey, ServerSocketChannel channel) {
        this.path = path;
        this.fileKey = fileKey;
        this.channel = channel;
    }

    /** Creates the socket file at {@code path}, listening with {@code backlog}. */
    static SocketFile create(Path path, int backlog) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        refuseLiveSocket(path);
        Path tmpDir = Files.createTempDirectory(dir, "." + path.getFileName() + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path tmp = tmpDir.resolve("s");
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(tmp), backlog);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
            return new SocketFile(path, key(path), channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        } finally {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(tmpDir);
        }
    }

    private static void refuseLiveSocket(Path path) throws IOException {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new FileAlreadyExistsException(path.toString(), null,
                    "exists and is not a socket; refusing to replace it");
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            throw new IOException(path + " is served by another live process (is this interface already running?)");
        } catch (ConnectException stale) {
            // Nobody listens: a socket left by a process that died. It is replaced.
        }
    }

    Path path() {
        return path;
    }

    /** The listening channel (blocking); closing it does not delete the file. */
    ServerSocketChannel channel() {
        return channel;
    }

    /** Whether the file at the path is still the socket this server created. */
    boolean isOurs() {
        try {
            return fileKey.equals(key(path));
        } catch (IOException e) {
            return false;
        }
    }

    /** Deletes the file if it is still ours; a file someone else put there is left alone. */
    void deleteIfOurs() throws IOException {
        if (isOurs()) {
            Files.deleteIfExists(path);
        }
    }

    private static Object key(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }
}
