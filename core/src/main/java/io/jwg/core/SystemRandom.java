// SPDX-License-Identifier: MIT
package io.jwg.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.random.RandomGenerator;

/**
 * The operating system's cryptographic randomness, read from {@code /dev/urandom} (what the JDK's
 * NativePRNG reads too, and what wireguard-go's crypto/rand uses on Linux). The daemon uses this
 * rather than {@link java.security.SecureRandom}, whose first use loads the JDK's security-provider
 * tables: some thirty thousand strings and five thousand maps, a few MiB of an idle daemon's
 * memory, for nothing the device needs. Thread-safe.
 */
public final class SystemRandom implements RandomGenerator {
    private static final Path URANDOM = Path.of("/dev/urandom");
    private final FileChannel channel;
    private final ByteBuffer eight = ByteBuffer.allocate(8);

    public SystemRandom() {
        try {
            channel = FileChannel.open(URANDOM, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + URANDOM, e);
        }
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            while (b.hasRemaining()) {
                if (channel.read(b) < 0) {
                    throw new IOException("end of " + URANDOM);
                }
            }
        } catch (IOException e) {
            // Without randomness no key or index can be made safely: fail loudly, never fall back.
            throw new UncheckedIOException("reading " + URANDOM, e);
        }
    }

    @Override
    public synchronized long nextLong() {
        eight.clear();
        nextBytes(eight.array());
        return eight.getLong(0);
    }
}
