// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

/** Creates {@link Aead} instances of one ChaCha20-Poly1305 implementation. */
public interface AeadProvider {

    /** A short name for tables and logs, e.g. {@code "jdk"}, {@code "bouncycastle"}. */
    String name();

    /** Binds a new instance to a copy of {@code key} (32 bytes); the caller may zero its array. */
    Aead create(byte[] key);
}
