// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

/**
 * HMAC-BLAKE2s (RFC 2104 over BLAKE2s, 64-byte blocks) and WireGuard's KDF_n (whitepaper section
 * 5.4: HKDF with HMAC-BLAKE2s, n outputs of 32 bytes each): τ0 = HMAC(key, input),
 * τ1 = HMAC(τ0, 0x1), τi = HMAC(τ0, τ(i-1) || i).
 *
 * <p>Every τi after τ0 is keyed with τ0, so its two pad blocks are compressed once and the states
 * copied for each output: KDF3 costs 12 compressions instead of 16. The work runs on per-thread
 * BLAKE2s states that are wiped after each call, so the {@code kdf} methods that write into the
 * caller's arrays allocate nothing. Thread-safe.
 */
public final class Kdf {
    public static final int SIZE = 32;
    private static final byte IPAD = 0x36;
    private static final byte OPAD = 0x5c;

    private static final ThreadLocal<Kdf> LOCAL = ThreadLocal.withInitial(Kdf::new);

    private final Blake2s hash = new Blake2s();
    private final Blake2s innerPadded = new Blake2s();
    private final Blake2s outerPadded = new Blake2s();
    private final byte[] pad = new byte[Blake2s.BLOCK_SIZE];
    private final byte[] prk = new byte[SIZE];
    private final byte[] inner = new byte[SIZE];
    private final byte[] block = new byte[SIZE + 1];

    private Kdf() {}

    /** HMAC-BLAKE2s(key, data[off, off+len)). */
    public static byte[] hmac(byte[] key, byte[] data, int off, int len) {
        byte[] out = new byte[SIZE];
        Kdf k = LOCAL.get();
        k.keyPads(key, len > 0);
        k.hmacWithPads(data, off, len, out, 0);
        k.wipe();
        return out;
    }

    /**
     * KDF_n(key, input[off, off+len)) into {@code out1}, {@code out2}, {@code out3} (32 bytes
     * each; n is the number of non-null outputs, out1 required). An output may be {@code key}
     * itself: the key is read only before any output is written.
     */
    public static void kdf(byte[] key, byte[] input, int off, int len, byte[] out1, byte[] out2, byte[] out3) {
        if (out1 == null || (out2 == null && out3 != null)) {
            throw new IllegalArgumentException("outputs are filled in order");
        }
        Kdf k = LOCAL.get();
        k.keyPads(key, len > 0);
        k.hmacWithPads(input, off, len, k.prk, 0);
        k.keyPads(k.prk, true);
        k.block[0] = 1;
        k.hmacWithPads(k.block, 0, 1, out1, 0);
        if (out2 != null) {
            System.arraycopy(out1, 0, k.block, 0, SIZE);
            k.block[SIZE] = 2;
            k.hmacWithPads(k.block, 0, SIZE + 1, out2, 0);
        }
        if (out3 != null) {
            System.arraycopy(out2, 0, k.block, 0, SIZE);
            k.block[SIZE] = 3;
            k.hmacWithPads(k.block, 0, SIZE + 1, out3, 0);
        }
        k.wipe();
    }

    /** KDF_n(key, input): returns n 32-byte outputs. */
    public static byte[][] derive(int n, byte[] key, byte[] input, int off, int len) {
        if (n < 1 || n > 3) {
            throw new IllegalArgumentException("WireGuard uses KDF1..KDF3, not KDF" + n);
        }
        byte[][] out = new byte[n][SIZE];
        kdf(key, input, off, len, out[0], n > 1 ? out[1] : null, n > 2 ? out[2] : null);
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

    /**
     * Leaves BLAKE2s states that have absorbed (key ^ ipad) and (key ^ opad), RFC 2104 section 2.
     * The pad blocks are compressed right away where more input is sure to follow (BLAKE2s
     * compresses its last block differently): always for the outer one, which the inner hash
     * follows, and for the inner one when {@code dataFollows}.
     */
    private void keyPads(byte[] key, boolean dataFollows) {
        java.util.Arrays.fill(pad, (byte) 0);
        if (key.length > Blake2s.BLOCK_SIZE) {
            hash.init(Blake2s.HASH_SIZE, null);
            hash.update(key);
            hash.doFinal(pad, 0);
        } else {
            System.arraycopy(key, 0, pad, 0, key.length);
        }
        for (int i = 0; i < pad.length; i++) {
            pad[i] ^= IPAD;
        }
        innerPadded.init(Blake2s.HASH_SIZE, null);
        innerPadded.update(pad);
        if (dataFollows) {
            innerPadded.compressFullBlock();
        }
        for (int i = 0; i < pad.length; i++) {
            pad[i] ^= IPAD ^ OPAD;
        }
        outerPadded.init(Blake2s.HASH_SIZE, null);
        outerPadded.update(pad);
        outerPadded.compressFullBlock();
        java.util.Arrays.fill(pad, (byte) 0);
    }

    /** HMAC(key of the last {@link #keyPads}, data) = H((key ^ opad) || H((key ^ ipad) || data)). */
    private void hmacWithPads(byte[] data, int off, int len, byte[] out, int outOff) {
        hash.copyFrom(innerPadded);
        hash.update(data, off, len);
        hash.doFinal(inner, 0);
        hash.copyFrom(outerPadded);
        hash.update(inner);
        hash.doFinal(out, outOff);
    }

    private void wipe() {
        innerPadded.wipe();
        outerPadded.wipe();
        java.util.Arrays.fill(prk, (byte) 0);
        java.util.Arrays.fill(inner, (byte) 0);
        java.util.Arrays.fill(block, (byte) 0);
    }
}
