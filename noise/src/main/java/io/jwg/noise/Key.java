// SPDX-License-Identifier: MIT
package io.jwg.noise;

import io.jwg.noise.crypto.Bytes;

/**
 * What the three 32-byte key types share: the bytes, their text forms (base64 for wg(8) and
 * config files, hex for the UAPI) and constant-time equality. The subclasses stay distinct types
 * so a private key can never be passed where a public one is expected.
 */
abstract class Key {
    final byte[] key;

    Key(byte[] key) {
        this.key = key;
    }

    /** A copy of the 32 bytes. */
    public final byte[] toBytes() {
        return key.clone();
    }

    /** The key itself, not a copy: callers in this module must not modify it. */
    final byte[] raw() {
        return key;
    }

    public final String toBase64() {
        return KeyText.toBase64(key);
    }

    public final String toHex() {
        return KeyText.toHex(key);
    }

    /** True for the all-zero key, which the UAPI uses to mean "no key". */
    public final boolean isZero() {
        return Bytes.isZero(key);
    }

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && Bytes.constantTimeEquals(key, ((Key) o).key);
    }

    @Override
    public abstract int hashCode();
}
