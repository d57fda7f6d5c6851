// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import java.nio.ByteBuffer;

/**
 * ChaCha20-Poly1305 (RFC 8439) bound to one 32-byte key, with WireGuard's nonce: 32 zero bits
 * followed by a little-endian 64-bit counter (whitepaper section 5.4.6).
 *
 * <p>This is the seam of the data path: the implementation is chosen by benchmark
 * ({@link AeadProvider}). Implementations are thread-safe: {@code seal} and {@code open} may run
 * concurrently on several threads with the same instance. Buffers are borrowed: only the absolute
 * ranges given are read or written, positions and limits are left alone, and source and
 * destination may be the same range (in-place). Heap and direct buffers are both accepted.
 */
public interface Aead extends AutoCloseable {

    /** Size of the Poly1305 tag appended to every ciphertext. */
    int TAG_SIZE = 16;

    /** Size of a key. */
    int KEY_SIZE = 32;

    /**
     * Encrypts {@code len} bytes of {@code src} at {@code srcOff} into {@code dst} at {@code dstOff}
     * and writes the tag right after them ({@code len + TAG_SIZE} bytes written).
     *
     * @param ad associated data, or {@code null} for none (the data path uses none)
     */
    void seal(long counter, byte[] ad, ByteBuffer src, int srcOff, int len, ByteBuffer dst, int dstOff);

    /**
     * Authenticates and decrypts {@code len} bytes of {@code src} at {@code srcOff} (ciphertext
     * followed by its tag) into {@code dst} at {@code dstOff} ({@code len - TAG_SIZE} bytes).
     *
     * @return {@code false} when the tag does not verify or {@code len < TAG_SIZE}; the content of
     *     the destination range is then unspecified and must not be used
     */
    boolean open(long counter, byte[] ad, ByteBuffer src, int srcOff, int len, ByteBuffer dst, int dstOff);

    /** Zeroes the key held by this instance; it must not be used afterwards. */
    @Override
    void close();
}
