// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import org.bouncycastle.crypto.digests.Blake2sDigest;

/**
 * BLAKE2s (RFC 7693) as WireGuard uses it (whitepaper section 5.4): HASH is the unkeyed 32-byte
 * digest, MAC is the keyed 16-byte digest used for mac1, mac2 and cookies. Backed by BouncyCastle.
 */
public final class Blake2s {
    public static final int HASH_SIZE = 32;
    public static final int MAC_SIZE = 16;

    private Blake2s() {}

    /** HASH(a || b || ...) over whole arrays. */
    public static byte[] hash(byte[]... parts) {
        Blake2sDigest d = new Blake2sDigest(HASH_SIZE * 8);
        for (byte[] p : parts) {
            d.update(p, 0, p.length);
        }
        byte[] out = new byte[HASH_SIZE];
        d.doFinal(out, 0);
        return out;
    }

    /** HASH(prefix || data[off, off+len)). */
    public static byte[] hash(byte[] prefix, byte[] data, int off, int len) {
        Blake2sDigest d = new Blake2sDigest(HASH_SIZE * 8);
        d.update(prefix, 0, prefix.length);
        d.update(data, off, len);
        byte[] out = new byte[HASH_SIZE];
        d.doFinal(out, 0);
        return out;
    }

    /** BLAKE2s with an arbitrary output length (1..32) and optional key (RFC 7693 test use). */
    public static byte[] digest(byte[] key, int outLen, byte[] data, int off, int len) {
        Blake2sDigest d = new Blake2sDigest(key, outLen, null, null);
        d.update(data, off, len);
        byte[] out = new byte[outLen];
        d.doFinal(out, 0);
        return out;
    }

    /** MAC(key, data[off, off+len)) into out[outOff, outOff+16). */
    public static void mac(byte[] key, byte[] data, int off, int len, byte[] out, int outOff) {
        Blake2sDigest d = new Blake2sDigest(key, MAC_SIZE, null, null);
        d.update(data, off, len);
        d.doFinal(out, outOff);
    }
}
