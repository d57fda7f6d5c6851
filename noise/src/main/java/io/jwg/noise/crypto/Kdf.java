// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * HMAC-BLAKE2s and WireGuard's KDF_n (whitepaper section 5.4: HKDF with HMAC-BLAKE2s, n outputs of
 * 32 bytes each): τ0 = HMAC(key, input), τ1 = HMAC(τ0, 0x1), τi = HMAC(τ0, τ(i-1) || i).
 */
public final class Kdf {
    public static final int SIZE = 32;

    private Kdf() {}

    /** HMAC-BLAKE2s(key, data[off, off+len)). */
    public static byte[] hmac(byte[] key, byte[] data, int off, int len) {
        HMac mac = new HMac(new Blake2sDigest(256));
        mac.init(new KeyParameter(key));
        mac.update(data, off, len);
        byte[] out = new byte[SIZE];
        mac.doFinal(out, 0);
        return out;
    }

    /** KDF_n(key, input): returns n 32-byte outputs; intermediate secrets are zeroed. */
    public static byte[][] derive(int n, byte[] key, byte[] input, int off, int len) {
        if (n < 1 || n > 3) {
            throw new IllegalArgumentException("WireGuard uses KDF1..KDF3, not KDF" + n);
        }
        byte[] prk = hmac(key, input, off, len);
        byte[][] out = new byte[n][];
        byte[] block = new byte[SIZE + 1];
        byte[] prev = null;
        for (int i = 1; i <= n; i++) {
            int blen = 0;
            if (prev != null) {
                System.arraycopy(prev, 0, block, 0, SIZE);
                blen = SIZE;
            }
            block[blen] = (byte) i;
            prev = hmac(prk, block, 0, blen + 1);
            out[i - 1] = prev;
        }
        Bytes.zero(prk, block);
        return out;
    }

    public static byte[] kdf1(byte[] key, byte[] input) {
        return derive(1, key, input, 0, input.length)[0];
    }

    public static byte[][] kdf2(byte[] key, byte[] input) {
        return derive(2, key, input, 0, input.length);
    }

    public static byte[][] kdf3(byte[] key, byte[] input) {
        return derive(3, key, input, 0, input.length);
    }
}
