// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

/**
 * BLAKE2s (RFC 7693) as WireGuard uses it (whitepaper section 5.4): HASH is the unkeyed 32-byte
 * digest, MAC is the keyed 16-byte digest used for mac1, mac2 and cookies.
 *
 * <p>An instance is one streaming computation ({@link #init}, {@link #update}, {@link #doFinal}),
 * reusable after another {@code init}; not thread-safe. The static helpers run on a per-thread
 * instance, so hashing allocates nothing but its result.
 */
public final class Blake2s {
    public static final int HASH_SIZE = 32;
    public static final int MAC_SIZE = 16;
    static final int BLOCK_SIZE = 64;
    static final int MAX_KEY_SIZE = 32;

    private static final int IV0 = 0x6A09E667;
    private static final int IV1 = 0xBB67AE85;
    private static final int IV2 = 0x3C6EF372;
    private static final int IV3 = 0xA54FF53A;
    private static final int IV4 = 0x510E527F;
    private static final int IV5 = 0x9B05688C;
    private static final int IV6 = 0x1F83D9AB;
    private static final int IV7 = 0x5BE0CD19;

    private static final ThreadLocal<Blake2s> LOCAL = ThreadLocal.withInitial(Blake2s::new);

    private final int[] h = new int[8];
    /** F's working vector and message words, kept between its two halves. */
    private final int[] v = new int[16];
    private final int[] m = new int[16];
    private final byte[] buffer = new byte[BLOCK_SIZE];
    private int buffered;
    /** Bytes compressed so far (the t of RFC 7693). */
    private long counter;
    private int outLen;

    /** Starts a digest of {@code outLen} (1..32) bytes, keyed when {@code key} is non-empty (at most 32 bytes). */
    public Blake2s init(int outLen, byte[] key) {
        int keyLen = key == null ? 0 : key.length;
        if (outLen < 1 || outLen > HASH_SIZE || keyLen > MAX_KEY_SIZE) {
            throw new IllegalArgumentException("BLAKE2s takes outLen 1..32 and keys up to 32 bytes");
        }
        h[0] = IV0 ^ 0x01010000 ^ (keyLen << 8) ^ outLen;
        h[1] = IV1;
        h[2] = IV2;
        h[3] = IV3;
        h[4] = IV4;
        h[5] = IV5;
        h[6] = IV6;
        h[7] = IV7;
        counter = 0;
        buffered = 0;
        this.outLen = outLen;
        java.util.Arrays.fill(buffer, (byte) 0);
        if (keyLen > 0) {
            System.arraycopy(key, 0, buffer, 0, keyLen);
            buffered = BLOCK_SIZE;
        }
        return this;
    }

    public void update(byte[] in, int off, int len) {
        while (len > 0) {
            if (buffered == BLOCK_SIZE) {
                // Only now is it known that this block is not the last one.
                counter += BLOCK_SIZE;
                compress(buffer, 0, false);
                buffered = 0;
            }
            if (buffered == 0 && len > BLOCK_SIZE) {
                counter += BLOCK_SIZE;
                compress(in, off, false);
                off += BLOCK_SIZE;
                len -= BLOCK_SIZE;
                continue;
            }
            int n = Math.min(BLOCK_SIZE - buffered, len);
            System.arraycopy(in, off, buffer, buffered, n);
            buffered += n;
            off += n;
            len -= n;
        }
    }

    public void update(byte[] in) {
        update(in, 0, in.length);
    }

    /**
     * Writes the digest ({@code outLen} bytes) at {@code out[off]} and wipes the state, which
     * needs {@link #init} before reuse.
     */
    public void doFinal(byte[] out, int off) {
        counter += buffered;
        java.util.Arrays.fill(buffer, buffered, BLOCK_SIZE, (byte) 0);
        compress(buffer, 0, true);
        for (int i = 0; i < outLen; i++) {
            out[off + i] = (byte) (h[i >>> 2] >>> (8 * (i & 3)));
        }
        wipe();
    }

    /**
     * Compresses a full buffered block now, as a non-final block: for a caller that knows more
     * input follows (an HMAC pad block), so that copies of this state share that work.
     */
    void compressFullBlock() {
        if (buffered != BLOCK_SIZE) {
            throw new IllegalStateException("no full block buffered");
        }
        counter += BLOCK_SIZE;
        compress(buffer, 0, false);
        buffered = 0;
    }

    /** Makes this state a copy of {@code other}'s. */
    void copyFrom(Blake2s other) {
        System.arraycopy(other.h, 0, h, 0, 8);
        System.arraycopy(other.buffer, 0, buffer, 0, BLOCK_SIZE);
        buffered = other.buffered;
        counter = other.counter;
        outLen = other.outLen;
    }

    /** Overwrites every input-derived word (chaining values, working words, buffer). */
    void wipe() {
        java.util.Arrays.fill(h, 0);
        java.util.Arrays.fill(v, 0);
        java.util.Arrays.fill(m, 0);
        java.util.Arrays.fill(buffer, (byte) 0);
        buffered = 0;
        counter = 0;
    }

    /**
     * The compression function F of RFC 7693 section 3.2. The rounds are written out with the
     * working and message words in local variables and the message schedule resolved in the
     * source (no table lookups or bounds checks), in two methods because one would exceed the
     * 8000 bytes of bytecode beyond which HotSpot does not compile a method. Rotations are spelled
     * as shifts, which C2 turns into rotate instructions.
     */
    private void compress(byte[] block, int off, boolean last) {
        int[] m = this.m;
        int[] v = this.v;
        for (int i = 0; i < 16; i++) {
            m[i] = Bytes.getIntLE(block, off + 4 * i);
        }
        System.arraycopy(h, 0, v, 0, 8);
        v[8] = IV0;
        v[9] = IV1;
        v[10] = IV2;
        v[11] = IV3;
        v[12] = IV4 ^ (int) counter;
        v[13] = IV5 ^ (int) (counter >>> 32);
        v[14] = last ? ~IV6 : IV6;
        v[15] = IV7;
        firstRounds(v, m);
        lastRounds(v, m);
        for (int i = 0; i < 8; i++) {
            h[i] ^= v[i] ^ v[i + 8];
        }
    }

    /** Rounds 0 to 4 of F. */
    private static void firstRounds(int[] v, int[] m) {
        int m0 = m[0], m1 = m[1], m2 = m[2], m3 = m[3];
        int m4 = m[4], m5 = m[5], m6 = m[6], m7 = m[7];
        int m8 = m[8], m9 = m[9], m10 = m[10], m11 = m[11];
        int m12 = m[12], m13 = m[13], m14 = m[14], m15 = m[15];
        int v0 = v[0], v1 = v[1], v2 = v[2], v3 = v[3];
        int v4 = v[4], v5 = v[5], v6 = v[6], v7 = v[7];
        int v8 = v[8], v9 = v[9], v10 = v[10], v11 = v[11];
        int v12 = v[12], v13 = v[13], v14 = v[14], v15 = v[15];
        // Round 0: columns, then diagonals (message schedule row 0 of RFC 7693 section 2.7).
        v0 += v4 + m0; v12 ^= v0; v12 = v12 >>> 16 | v12 << 16; v8 += v12; v4 ^= v8; v4 = v4 >>> 12 | v4 << 20;
        v0 += v4 + m1; v12 ^= v0; v12 = v12 >>> 8 | v12 << 24; v8 += v12; v4 ^= v8; v4 = v4 >>> 7 | v4 << 25;
        v1 += v5 + m2; v13 ^= v1; v13 = v13 >>> 16 | v13 << 16; v9 += v13; v5 ^= v9; v5 = v5 >>> 12 | v5 << 20;
        v1 += v5 + m3; v13 ^= v1; v13 = v13 >>> 8 | v13 << 24; v9 += v13; v5 ^= v9; v5 = v5 >>> 7 | v5 << 25;
        v2 += v6 + m4; v14 ^= v2; v14 = v14 >>> 16 | v14 << 16; v10 += v14; v6 ^= v10; v6 = v6 >>> 12 | v6 << 20;
        v2 += v6 + m5; v14 ^= v2; v14 = v14 >>> 8 | v14 << 24; v10 += v14; v6 ^= v10; v6 = v6 >>> 7 | v6 << 25;
        v3 += v7 + m6; v15 ^= v3; v15 = v15 >>> 16 | v15 << 16; v11 += v15; v7 ^= v11; v7 = v7 >>> 12 | v7 << 20;
        v3 += v7 + m7; v15 ^= v3; v15 = v15 >>> 8 | v15 << 24; v11 += v15; v7 ^= v11; v7 = v7 >>> 7 | v7 << 25;
        v0 += v5 + m8; v15 ^= v0; v15 = v15 >>> 16 | v15 << 16; v10 += v15; v5 ^= v10; v5 = v5 >>> 12 | v5 << 20;
        v0 += v5 + m9; v15 ^= v0; v15 = v15 >>> 8 | v15 << 24; v10 += v15; v5 ^= v10; v5 = v5 >>> 7 | v5 << 25;
        v1 += v6 + m10; v12 ^= v1; v12 = v12 >>> 16 | v12 << 16; v11 += v12; v6 ^= v11; v6 = v6 >>> 12 | v6 << 20;
        v1 += v6 + m11; v12 ^= v1; v12 = v12 >>> 8 | v12 << 24; v11 += v12; v6 ^= v11; v6 = v6 >>> 7 | v6 << 25;
        v2 += v7 + m12; v13 ^= v2; v13 = v13 >>> 16 | v13 << 16; v8 += v13; v7 ^= v8; v7 = v7 >>> 12 | v7 << 20;
        v2 += v7 + m13; v13 ^= v2; v13 = v13 >>> 8 | v13 << 24; v8 += v13; v7 ^= v8; v7 = v7 >>> 7 | v7 << 25;
        v3 += v4 + m14; v14 ^= v3; v14 = v14 >>> 16 | v14 << 16; v9 += v14; v4 ^= v9; v4 = v4 >>> 12 | v4 << 20;
        v3 += v4 + m15; v14 ^= v3; v14 = v14 >>> 8 | v14 << 24; v9 += v14; v4 ^= v9; v4 = v4 >>> 7 | v4 << 25;
        // Round 1: columns, then diagonals (message schedule row 1 of RFC 7693 section 2.7).
        v0 += v4 + m14; v12 ^= v0; v12 = v12 >>> 16 | v12 << 16; v8 += v12; v4 ^= v8; v4 = v4 >>> 12 | v4 << 20;
        v0 += v4 + m10; v12 ^= v0; v12 = v12 >>> 8 | v12 << 24; v8 += v12; v4 ^= v8; v4 = v4 >>> 7 | v4 << 25;
        v1 += v5 + m4; v13 ^= v1; v13 = v13 >>> 16 | v13 << 16; v9 += v13; v5 ^= v9; v5 = v5 >>> 12 | v5 << 20;
        v1 += v5 + m8; v13 ^= v1; v13 = v13 >>> 8 | v13 << 24; v9 += v13; v5 ^= v9; v5 = v5 >>> 7 | v5 << 25;
        v2 += v6 + m9; v14 ^= v2; v14 = v14 >>> 16 | v14 << 16; v10 += v14; v6 ^= v10; v6 = v6 >>> 12 | v6 << 20;
        v2 += v6 + m15; v14 ^= v2; v14 = v14 >>> 8 | v14 << 24; v10 += v14; v6 ^= v10; v6 = v6 >>> 7 | v6 << 25;
        v3 += v7 + m13; v15 ^= v3; v15 = v15 >>> 16 | v15 << 16; v11 += v15; v7 ^= v11; v7 = v7 >>> 12 | v7 << 20;
        v3 += v7 + m6; v15 ^= v3; v15 = v15 >>> 8 | v15 << 24; v11 += v15; v7 ^= v11; v7 = v7 >>> 7 | v7 << 25;
        v0 += v5 + m1; v15 ^= v0; v15 = v15 >>> 16 | v15 << 16; v10 += v15; v5 ^= v10; v5 = v5 >>> 12 | v5 << 20;
        v0 += v5 + m12; v15 ^= v0; v15 = v15 >>> 8 | v15 << 24; v10 += v15; v5 ^= v10; v5 = v5 >>> 7 | v5 << 25;
        v1 += v6 + m0; v12 ^= v1; v12 = v12 >>> 16 | v12 << 16; v11 += v12; v6 ^= v11; v6 = v6 >>> 12 | v6 << 20;
        v1 += v6 + m2; v12 ^= v1; v12 = v12 >>> 8 | v12 << 24; v11 += v12; v6 ^= v11; v6 = v6 >>> 7 | v6 << 25;
        v2 += v7 + m11; v13 ^= v2; v13 = v13 >>> 16 | v13 << 16; v8 += v13; v7 ^= v8; v7 = v7 >>> 12 | v7 << 20;
        v2 += v7 + m7; v13 ^= v2; v13 = v13 >>> 8 | v13 << 24; v8 += v13; v7 ^= v8; v7 = v7 >>> 7 | v7 << 25;
        v3 += v4 + m5; v14 ^= v3; v14 = v14 >>> 16 | v14 << 16; v9 += v14; v4 ^= v9; v4 = v4 >>> 12 | v4 << 20;
        v3 += v4 + m3; v14 ^= v3; v14 = v14 >>> 8 | v14 << 24; v9 += v14; v4 ^= v9; v4 = v4 >>> 7 | v4 << 25;
        // Round 2: columns, then diagonals (message schedule row 2 of RFC 7693 section 2.7).
        v0 += v4 + m11; v12 ^= v0; v12 = v12 >>> 16 | v12 << 16; v8 += v12; v4 ^= v8; v4 = v4 >>> 12 | v4 << 20;
        v0 += v4 + m8; v12 ^= v0; v12 = v12 >>> 8 | v12 << 24; v8 += v12; v4 ^= v8; v4 = v4 >>> 7 | v4 << 25;
        v1 += v5 + m12; v13 ^= v1; v13 = v13 >>> 16 | v13 << 16; v9 += v13; v5 ^= v9; v5 = v5 >>> 12 | v5 << 20;
        v1 += v5 + m0; v13 ^= v1; v13 = v13 >>> 8 | v13 << 24; v9 += v13; v5 ^= v9; v5 = v5 >>> 7 | v5 << 25;
        v2 += v6 + m5; v14 ^= v2; v14 = v14 >>> 16 | v14 << 16; v10 += v14; v6 ^= v10; v6 = v6 >>> 12 | v6 << 20;
        v2 += v6 + m2; v14 ^= v2; v14 = v14 >>> 8 | v14 << 24; v10 += v14; v6 ^= v10; v6 = v6 >>> 7 | v6 << 25;
        v3 += v7 + m15; v15 ^= v3; v15 = v15 >>> 16 | v15 << 16; v11 += v15; v7 ^= v11; v7 = v7 >>> 12 | v7 << 20;
        v3 += v7 + m13; v15 ^= v3; v15 = v15 >>> 8 | v15 << 24; v11 += v15; v7 ^= v11; v7 = v7 >>> 7 | v7 << 25;
        v0 += v5 + m10; v15 ^= v0; v15 = v15 >>> 16 | v15 << 16; v10 += v15; v5 ^= v10; v5 = v5 >>> 12 | v5 << 20;
        v0 += v5 + m14; v15 ^= v0; v15 = v15 >>> 8 | v15 << 24; v10 += v15; v5 ^= v10; v5 = v5 >>> 7 | v5 << 25;
        v1 += v6 + m3; v12 ^= v1; v12 = v12 >>> 16 | v12 << 16; v11 += v12; v6 ^= v11; v6 = v6 >>> 12 | v6 << 20;
        v1 += v6 + m6; v12 ^= v1; v12 = v12 >>> 8 | v12 << 24; v11 += v12; v6 ^= v11; v6 = v6 >>> 7 | v6 << 25;
        v2 += v7 + m7; v13 ^= v2; v13 = v13 >>> 16 | v13 << 16; v8 += v13; v7 ^= v8; v7 = v7 >>> 12 | v7 << 20;
        v2 += v7 + m1; v13 ^= v2; v13 = v13 >>> 8 | v13 << 24; v8 += v13; v7 ^= v8; v7 = v7 >>> 7 | v7 << 25;
        v3 += v4 + m9; v14 ^= v3; v14 = v14 >>> 16 | v14 << 16; v9 += v14; v4 ^= v9; v4 = v4 >>> 12 | v4 << 20;
        v3 += v4 + m4; v14 ^= v3; v14 = v14 >>> 8 | v14 << 24; v9 += v14; v4 ^= v9; v4 = v4 >>> 7 | v4 << 25;
        // Round 3: columns, then diagonals (message schedule row 3 of RFC 7693 section 2.7).
        v0 += v4 + m7; v12 ^= v0; v12 = v12 >>> 16 | v12 << 16; v8 += v12; v4 ^= v8; v4 = v4 >>> 12 | v4 << 20;
        v0 += v4 + m9; v12 ^= v0; v12 = v12 >>> 8 | v12 << 24; v8 += v12; v4 ^= v8; v4 = v4 >>> 7 | v4 << 25;
        v1 += v5 + m3; v13 ^= v1; v13 = v13 >>> 16 | v13 << 16; v9 += v13; v5 ^= v9; v5 = v5 >>> 12 | v5 << 20;
        v1 += v5 + m1; v13 ^= v1; v13 = v13 >>> 8 | v13 << 24; v9 += v13; v5 ^= v9; v5 = v5 >>> 7 | v5 << 25;
        v2 += v6 + m13; v14 ^= v2; v14 = v14 >>> 16 | v14 << 16; v10 += v14; v6 ^= v10; v6 = v6 >>> 12 | v6 << 20;
        v2 += v6 + m12; v14 ^= v2; v14 = v14 >>> 8 | v14 << 24; v10 += v14; v6 ^= v10; v6 = v6 >>> 7 | v6 << 25;
        v3 += v7 + m11; v15 ^= v3; v15 = v15 >>> 16 | v15 << 16; v11 += v15; v7 ^= v11; v7 = v7 >>> 12 | v7 << 20;
        v3 += v7 + m14; v15 ^= v3; v15 = v15 >>> 8 | v15 << 24; v11 += v15; v7 ^= v11; v7 = v7 >>> 7 | v7 << 25;
        v0 += v5 + m2; v15 ^= v0; v15 = v15 >>> 16 | v15 << 16; v10 += v15; v5 ^= v10; v5 = v5 >>> 12 | v5 << 20;
        v0 += v5 + m6; v15 ^= v0; v15 = v15 >>> 8 | v15 << 24; v10 += v15; v5 ^= v10; v5 = v5 >>> 7 | v5 << 25;
        v1 += v6 + m5; v12 ^= v1; v12 = v12 >>> 16 | v12 << 16; v11 += v12; v6 ^= v11; v6 = v6 >>> 12 | v6 << 20;
        v1 += v6 + m10; v12 ^= v1; v12 = v12 >>> 8 | v12 << 24; v11 += v12; v6 ^= v11; v6 = v6 >>> 7 | v6 << 25;
        v2 += v7 + m4; v13 ^= v2; v13 = v13 >>> 16 | v13 << 16; v8 += v13; v7 ^= v8; v7 = v7 >>> 12 | v7 << 20;
        v2 += v7 + m0; v13 ^= v2; v13 = v13 >>> 8 | v13 << 24; v8 += v13; v7 ^= v8; v7 = v7 >>> 7 | v7 << 25;
        v3 += v4 + m15; v14 ^= v3; v14 = v14 >>> 16 | v14 << 16; v9 += v14; v4 ^= v9; v4 = v4 >>> 12 | v4 << 20;
        v3 += v4 + m8; v14 ^= v3; v14 = v14 >>> 8 | v14 << 24; v9 += v14; v4 ^= v9; v4 = v4 >>> 7 | v4 << 25;
        // Round 4: columns, then diagonals (message schedule row 4 of RFC 7693 section 2.7).
        v0 += v4 + m9; v12 ^= v0; v12 = v12 >>> 16 | v12 << 16; v8 += v12; v4 ^= v8; v4 = v4 >>> 12 | v4 << 20;
        v0 += v4 + m0; v12 ^= v0; v12 = v12 >>> 8 | v12 << 24; v8 += v12; v4 ^= v8; v4 = v4 >>> 7 | v4 << 25;
        v1 += v5 + m5; v13 ^= v1; v13 = v13 >>> 16 | v13 << 16; v9 += v13; v5 ^= v9; v5 = v5 >>> 12 | v5 << 20;
        v1 += v5 + m7; v13 ^= v1; v13 = v13 >>> 8 | v13 << 24; v9 += v13; v5 ^= v9; v5 = v5 >>> 7 | v5 << 25;
        v2 += v6 + m2; v14 ^= v2; v14 = v14 >>> 16 | v14 << 16; v10 += v14; v6 ^= v10; v6 = v6 >>> 12 | v6 << 20;
        v2 += v6 + m4; v14 ^= v2; v14 = v14 >>> 8 | v14 << 24; v10 += v14; v6 ^= v10; v6 = v6 >>> 7 | v6 << 25;
        v3 += v7 + m10; v15 ^= v3; v15 = v15 >>> 16 | v15 << 16; v11 += v15; v7 ^= v11; v7 = v7 >>> 12 | v7 << 20;
        v3 += v7 + m15; v15 ^= v3; v15 = v15 >>> 8 | v15 << 24; v11 += v15; v7 ^= v11; v7 = v7 >>> 7 | v7 << 25;
        v0 += v5 + m14; v15 ^= v0; v15 = v15 >>> 16 | v15 << 16; v10 += v15; v5 ^= v10; v5 = v5 >>> 12 | v5 << 20;
        v0 += v5 + m1; v15 ^= v0; v15 = v15 >>> 8 | v15 << 24; v10 += v15; v5 ^= v10; v5 = v5 >>> 7 | v5 << 25;
        v1 += v6 + m11; v12 ^= v1; v12 = v12 >>> 16 | v12 << 16; v11 += v12; v6 ^= v11; v6 = v6 >>> 12 | v6 << 20;
        v1 += v6 + m12; v12 ^= v1; v12 = v12 >>> 8 | v12 << 24; v11 += v12; v6 ^= v11; v6 = v6 >>> 7 | v6 << 25;
        v2 += v7 + m6; v13 ^= v2; v13 = v13 >>> 16 | v13 << 16; v8 += v13; v7 ^= v8; v7 = v7 >>> 12 | v7 << 20;
        v2 += v7 + m8; v13 ^= v2; v13 = v13 >>> 8 | v13 << 24; v8 += v13; v7 ^= v8; v7 = v7 >>> 7 | v7 << 25;
        v3 += v4 + m3; v14 ^= v3; v14 = v14 >>> 16 | v14 << 16; v9 += v14; v4 ^= v9; v4 = v4 >>> 12 | v4 << 20;
        v3 += v4 + m13; v14 ^= v3; v14 = v14 >>> 8 | v14 << 24; v9 += v14; v4 ^= v9; v4 = v4 >>> 7 | v4 << 25;
        v[0] = v0;
        v[1] = v1;
        v[2] = v2;
        v[3] = v3;
        v[4] = v4;
        v[5] = v5;
        v[6] = v6;
        v[7] = v7;
        v[8] = v8;
        v[9] = v9;
        v[10] = v10;
        v[11] = v11;
        v[12] = v12;
        v[13] = v13;
        v[14] = v14;
        v[15] = v15;
    }

    /** Rounds 5 to 9 of F. */
    private static void lastRounds(int[] v, int[] m) {
        int m0 = m[0], m1 = m[1], m2 = m[2], m3 = m[3];
        int m4 = m[4], m5 = m[5], m6 = m[6], m7 = m[7];
        int m8 = m[8], m9 = m[9], m10 = m[10], m11 = m[11];
        int m12 = m[12], m13 = m[13], m14 = m[14], m15 = m[15];
        int v0 = v[0], v1 = v[1], v2 = v[2], v3 = v[3];
        int v4 = v[4], v5 = v[5], v6 = v[6], v7 = v[7];
        int v8 = v[8], v9 = v[9], v10 = v[10], v11 = v[11];
        int v12 = v[12], v13 = v[13], v14 = v[14], v15 = v[15];
        // Round 5: columns, then diagonals (message schedule row 5 of RFC 7693 section 2.7).
        v0 += v4 + m2; v12 ^= v0; v12 = v12 >>> 16 | v12 << 16; v8 += v12; v4 ^= v8; v4 = v4 >>> 12 | v4 << 20;
        v0 += v4 + m12; v12 ^= v0; v12 = v12 >>> 8 | v12 << 24; v8 += v12; v4 ^= v8; v4 = v4 >>> 7 | v4 << 25;
        v1 += v5 + m6; v13 ^= v1; v13 = v13 >>> 16 | v13 << 16; v9 += v13; v5 ^= v9; v5 = v5 >>> 12 | v5 << 20;
        v1 += v5 + m10; v13 ^= v1; v13 = v13 >>> 8 | v13 << 24; v9 += v13; v5 ^= v9; v5 = v5 >>> 7 | v5 << 25;
        v2 += v6 + m0; v14 ^= v2; v14 = v14 >>> 16 | v14 << 16; v10 += v14; v6 ^= v10; v6 = v6 >>> 12 | v6 << 20;
        v2 += v6 + m11; v14 ^= v2; v14 = v14 >>> 8 | v14 << 24; v10 += v14; v6 ^= v10; v6 = v6 >>> 7 | v6 << 25;
        v3 += v7 + m8; v15 ^= v3; v15 = v15 >>> 16 | v15 << 16; v11 += v15; v7 ^= v11; v7 = v7 >>> 12 | v7 << 20;
        v3 += v7 + m3; v15 ^= v3; v15 = v15 >>> 8 | v15 << 24; v11 += v15; v7 ^= v11; v7 = v7 >>> 7 | v7 << 25;
        v0 += v5 + m4; v15 ^= v0; v15 = v15 >>> 16 | v15 << 16; v10 += v15; v5 ^= v10; v5 = v5 >>> 12 | v5 << 20;
        v0 += v5 + m13; v15 ^= v0; v15 = v15 >>> 8 | v15 << 24; v10 += v15; v5 ^= v10; v5 = v5 >>> 7 | v5 << 25;
        v1 += v6 + m7; v12 ^= v1; v12 = v12 >>> 16 | v12 << 16; v11 += v12; v6 ^= v11; v6 = v6 >>> 12 | v6 << 20;
        v1 += v6 + m5; v12 ^= v1; v12 = v12 >>> 8 | v12 << 24; v11 += v12; v6 ^= v11; v6 = v6 >>> 7 | v6 << 25;
        v2 += v7 + m15; v13 ^= v2; v13 = v13 >>> 16 | v13 << 16; v8 += v13; v7 ^= v8; v7 = v7 >>> 12 | v7 << 20;
        v2 += v7 + m14; v13 ^= v2; v13 = v13 >>> 8 | v13 << 24; v8 += v13; v7 ^= v8; v7 = v7 >>> 7 | v7 << 25;
        v3 += v4 + m1; v14 ^= v3; v14 = v14 >>> 16 | v14 << 16; v9 += v14; v4 ^= v9; v4 = v4 >>> 12 | v4 << 20;
        v3 += v4 + m9; v14 ^= v3; v14 = v14 >>> 8 | v14 << 24; v9 += v14; v4 ^= v9; v4 = v4 >>> 7 | v4 << 25;
        // Round 6: columns, then diagonals (message schedule row 6 of RFC 7693 section 2.7).
        v0 += v4 + m12; v12 ^= v0; v12 = v12 >>> 16 | v12 << 16; v8 += v12; v4 ^= v8; v4 = v4 >>> 12 | v4 << 20;
        v0 += v4 + m5; v12 ^= v0; v12 = v12 >>> 8 | v12 << 24; v8 += v12; v4 ^= v8; v4 = v4 >>> 7 | v4 << 25;
        v1 += v5 + m1; v13 ^= v1; v13 = v13 >>> 16 | v13 << 16; v9 += v13; v5 ^= v9; v5 = v5 >>> 12 | v5 << 20;
        v1 += v5 + m15; v13 ^= v1; v13 = v13 >>> 8 | v13 << 24; v9 += v13; v5 ^= v9; v5 = v5 >>> 7 | v5 << 25;
        v2 += v6 + m14; v14 ^= v2; v14 = v14 >>> 16 | v14 << 16; v10 += v14; v6 ^= v10; v6 = v6 >>> 12 | v6 << 20;
        v2 += v6 + m13; v14 ^= v2; v14 = v14 >>> 8 | v14 << 24; v10 += v14; v6 ^= v10; v6 = v6 >>> 7 | v6 << 25;
        v3 += v7 + m4; v15 ^= v3; v15 = v15 >>> 16 | v15 << 16; v11 += v15; v7 ^= v11; v7 = v7 >>> 12 | v7 << 20;
        v3 += v7 + m10; v15 ^= v3; v15 = v15 >>> 8 | v15 << 24; v11 += v15; v7 ^= v11; v7 = v7 >>> 7 | v7 << 25;
        v0 += v5 + m0; v15 ^= v0; v15 = v15 >>> 16 | v15 << 16; v10 += v15; v5 ^= v10; v5 = v5 >>> 12 | v5 << 20;
        v0 += v5 + m7; v15 ^= v0; v15 = v15 >>> 8 | v15 << 24; v10 += v15; v5 ^= v10; v5 = v5 >>> 7 | v5 << 25;
        v1 += v6 + m6; v12 ^= v1; v12 = v12 >>> 16 | v12 << 16; v11 += v12; v6 ^= v11; v6 = v6 >>> 12 | v6 << 20;
        v1 += v6 + m3; v12 ^= v1; v12 = v12 >>> 8 | v12 << 24; v11 += v12; v6 ^= v11; v6 = v6 >>> 7 | v6 << 25;
        v2 += v7 + m9; v13 ^= v2; v13 = v13 >>> 16 | v13 << 16; v8 += v13; v7 ^= v8; v7 = v7 >>> 12 | v7 << 20;
        v2 += v7 + m2; v13 ^= v2; v13 = v13 >>> 8 | v13 << 24; v8 += v13; v7 ^= v8; v7 = v7 >>> 7 | v7 << 25;
        v3 += v4 + m8; v14 ^= v3; v14 = v14 >>> 16 | v14 << 16; v9 += v14; v4 ^= v9; v4 = v4 >>> 12 | v4 << 20;
        v3 += v4 + m11; v14 ^= v3; v14 = v14 >>> 8 | v14 << 24; v9 += v14; v4 ^= v9; v4 = v4 >>> 7 | v4 << 25;
        // Round 7: columns, then diagonals (message schedule row 7 of RFC 7693 section 2.7).
        v0 += v4 + m13; v12 ^= v0; v12 = v12 >>> 16 | v12 << 16; v8 += v12; v4 ^= v8; v4 = v4 >>> 12 | v4 << 20;
        v0 += v4 + m11; v12 ^= v0; v12 = v12 >>> 8 | v12 << 24; v8 += v12; v4 ^= v8; v4 = v4 >>> 7 | v4 << 25;
        v1 += v5 + m7; v13 ^= v1; v13 = v13 >>> 16 | v13 << 16; v9 += v13; v5 ^= v9; v5 = v5 >>> 12 | v5 << 20;
        v1 += v5 + m14; v13 ^= v1; v13 = v13 >>> 8 | v13 << 24; v9 += v13; v5 ^= v9; v5 = v5 >>> 7 | v5 << 25;
        v2 += v6 + m12; v14 ^= v2; v14 = v14 >>> 16 | v14 << 16; v10 += v14; v6 ^= v10; v6 = v6 >>> 12 | v6 << 20;
        v2 += v6 + m1; v14 ^= v2; v14 = v14 >>> 8 | v14 << 24; v10 += v14; v6 ^= v10; v6 = v6 >>> 7 | v6 << 25;
        v3 += v7 + m3; v15 ^= v3; v15 = v15 >>> 16 | v15 << 16; v11 += v15; v7 ^= v11; v7 = v7 >>> 12 | v7 << 20;
        v3 += v7 + m9; v15 ^= v3; v15 = v15 >>> 8 | v15 << 24; v11 += v15; v7 ^= v11; v7 = v7 >>> 7 | v7 << 25;
        v0 += v5 + m5; v15 ^= v0; v15 = v15 >>> 16 | v15 << 16; v10 += v15; v5 ^= v10; v5 = v5 >>> 12 | v5 << 20;
        v0 += v5 + m0; v15 ^= v0; v15 = v15 >>> 8 | v15 << 24; v10 += v15; v5 ^= v10; v5 = v5 >>> 7 | v5 << 25;
        v1 += v6 + m15; v12 ^= v1; v12 = v12 >>> 16 | v12 << 16; v11 += v12; v6 ^= v11; v6 = v6 >>> 12 | v6 << 20;
        v1 += v6 + m4; v12 ^= v1; v12 = v12 >>> 8 | v12 << 24; v11 += v12; v6 ^= v11; v6 = v6 >>> 7 | v6 << 25;
        v2 += v7 + m8; v13 ^= v2; v13 = v13 >>> 16 | v13 << 16; v8 += v13; v7 ^= v8; v7 = v7 >>> 12 | v7 << 20;
        v2 += v7 + m6; v13 ^= v2; v13 = v13 >>> 8 | v13 << 24; v8 += v13; v7 ^= v8; v7 = v7 >>> 7 | v7 << 25;
        v3 += v4 + m2; v14 ^= v3; v14 = v14 >>> 16 | v14 << 16; v9 += v14; v4 ^= v9; v4 = v4 >>> 12 | v4 << 20;
        v3 += v4 + m10; v14 ^= v3; v14 = v14 >>> 8 | v14 << 24; v9 += v14; v4 ^= v9; v4 = v4 >>> 7 | v4 << 25;
        // Round 8: columns, then diagonals (message schedule row 8 of RFC 7693 section 2.7).
        v0 += v4 + m6; v12 ^= v0; v12 = v12 >>> 16 | v12 << 16; v8 += v12; v4 ^= v8; v4 = v4 >>> 12 | v4 << 20;
        v0 += v4 + m15; v12 ^= v0; v12 = v12 >>> 8 | v12 << 24; v8 += v12; v4 ^= v8; v4 = v4 >>> 7 | v4 << 25;
        v1 += v5 + m14; v13 ^= v1; v13 = v13 >>> 16 | v13 << 16; v9 += v13; v5 ^= v9; v5 = v5 >>> 12 | v5 << 20;
        v1 += v5 + m9; v13 ^= v1; v13 = v13 >>> 8 | v13 << 24; v9 += v13; v5 ^= v9; v5 = v5 >>> 7 | v5 << 25;
        v2 += v6 + m11; v14 ^= v2; v14 = v14 >>> 16 | v14 << 16; v10 += v14; v6 ^= v10; v6 = v6 >>> 12 | v6 << 20;
        v2 += v6 + m3; v14 ^= v2; v14 = v14 >>> 8 | v14 << 24; v10 += v14; v6 ^= v10; v6 = v6 >>> 7 | v6 << 25;
        v3 += v7 + m0; v15 ^= v3; v15 = v15 >>> 16 | v15 << 16; v11 += v15; v7 ^= v11; v7 = v7 >>> 12 | v7 << 20;
        v3 += v7 + m8; v15 ^= v3; v15 = v15 >>> 8 | v15 << 24; v11 += v15; v7 ^= v11; v7 = v7 >>> 7 | v7 << 25;
        v0 += v5 + m12; v15 ^= v0; v15 = v15 >>> 16 | v15 << 16; v10 += v15; v5 ^= v10; v5 = v5 >>> 12 | v5 << 20;
        v0 += v5 + m2; v15 ^= v0; v15 = v15 >>> 8 | v15 << 24; v10 += v15; v5 ^= v10; v5 = v5 >>> 7 | v5 << 25;
        v1 += v6 + m13; v12 ^= v1; v12 = v12 >>> 16 | v12 << 16; v11 += v12; v6 ^= v11; v6 = v6 >>> 12 | v6 << 20;
        v1 += v6 + m7; v12 ^= v1; v12 = v12 >>> 8 | v12 << 24; v11 += v12; v6 ^= v11; v6 = v6 >>> 7 | v6 << 25;
        v2 += v7 + m1; v13 ^= v2; v13 = v13 >>> 16 | v13 << 16; v8 += v13; v7 ^= v8; v7 = v7 >>> 12 | v7 << 20;
        v2 += v7 + m4; v13 ^= v2; v13 = v13 >>> 8 | v13 << 24; v8 += v13; v7 ^= v8; v7 = v7 >>> 7 | v7 << 25;
        v3 += v4 + m10; v14 ^= v3; v14 = v14 >>> 16 | v14 << 16; v9 += v14; v4 ^= v9; v4 = v4 >>> 12 | v4 << 20;
        v3 += v4 + m5; v14 ^= v3; v14 = v14 >>> 8 | v14 << 24; v9 += v14; v4 ^= v9; v4 = v4 >>> 7 | v4 << 25;
        // Round 9: columns, then diagonals (message schedule row 9 of RFC 7693 section 2.7).
        v0 += v4 + m10; v12 ^= v0; v12 = v12 >>> 16 | v12 << 16; v8 += v12; v4 ^= v8; v4 = v4 >>> 12 | v4 << 20;
        v0 += v4 + m2; v12 ^= v0; v12 = v12 >>> 8 | v12 << 24; v8 += v12; v4 ^= v8; v4 = v4 >>> 7 | v4 << 25;
        v1 += v5 + m8; v13 ^= v1; v13 = v13 >>> 16 | v13 << 16; v9 += v13; v5 ^= v9; v5 = v5 >>> 12 | v5 << 20;
        v1 += v5 + m4; v13 ^= v1; v13 = v13 >>> 8 | v13 << 24; v9 += v13; v5 ^= v9; v5 = v5 >>> 7 | v5 << 25;
        v2 += v6 + m7; v14 ^= v2; v14 = v14 >>> 16 | v14 << 16; v10 += v14; v6 ^= v10; v6 = v6 >>> 12 | v6 << 20;
        v2 += v6 + m6; v14 ^= v2; v14 = v14 >>> 8 | v14 << 24; v10 += v14; v6 ^= v10; v6 = v6 >>> 7 | v6 << 25;
        v3 += v7 + m1; v15 ^= v3; v15 = v15 >>> 16 | v15 << 16; v11 += v15; v7 ^= v11; v7 = v7 >>> 12 | v7 << 20;
        v3 += v7 + m5; v15 ^= v3; v15 = v15 >>> 8 | v15 << 24; v11 += v15; v7 ^= v11; v7 = v7 >>> 7 | v7 << 25;
        v0 += v5 + m15; v15 ^= v0; v15 = v15 >>> 16 | v15 << 16; v10 += v15; v5 ^= v10; v5 = v5 >>> 12 | v5 << 20;
        v0 += v5 + m11; v15 ^= v0; v15 = v15 >>> 8 | v15 << 24; v10 += v15; v5 ^= v10; v5 = v5 >>> 7 | v5 << 25;
        v1 += v6 + m9; v12 ^= v1; v12 = v12 >>> 16 | v12 << 16; v11 += v12; v6 ^= v11; v6 = v6 >>> 12 | v6 << 20;
        v1 += v6 + m14; v12 ^= v1; v12 = v12 >>> 8 | v12 << 24; v11 += v12; v6 ^= v11; v6 = v6 >>> 7 | v6 << 25;
        v2 += v7 + m3; v13 ^= v2; v13 = v13 >>> 16 | v13 << 16; v8 += v13; v7 ^= v8; v7 = v7 >>> 12 | v7 << 20;
        v2 += v7 + m12; v13 ^= v2; v13 = v13 >>> 8 | v13 << 24; v8 += v13; v7 ^= v8; v7 = v7 >>> 7 | v7 << 25;
        v3 += v4 + m13; v14 ^= v3; v14 = v14 >>> 16 | v14 << 16; v9 += v14; v4 ^= v9; v4 = v4 >>> 12 | v4 << 20;
        v3 += v4 + m0; v14 ^= v3; v14 = v14 >>> 8 | v14 << 24; v9 += v14; v4 ^= v9; v4 = v4 >>> 7 | v4 << 25;
        v[0] = v0;
        v[1] = v1;
        v[2] = v2;
        v[3] = v3;
        v[4] = v4;
        v[5] = v5;
        v[6] = v6;
        v[7] = v7;
        v[8] = v8;
        v[9] = v9;
        v[10] = v10;
        v[11] = v11;
        v[12] = v12;
        v[13] = v13;
        v[14] = v14;
        v[15] = v15;
    }

    /** HASH(a || b || ...) over whole arrays. */
    public static byte[] hash(byte[]... parts) {
        Blake2s d = LOCAL.get().init(HASH_SIZE, null);
        for (byte[] p : parts) {
            d.update(p, 0, p.length);
        }
        byte[] out = new byte[HASH_SIZE];
        d.doFinal(out, 0);
        return out;
    }

    /** HASH(prefix || data[off, off+len)). */
    public static byte[] hash(byte[] prefix, byte[] data, int off, int len) {
        byte[] out = new byte[HASH_SIZE];
        hash(prefix, data, off, len, out, 0);
        return out;
    }

    /** HASH(prefix || data[off, off+len)) into out[outOff, outOff+32); out may be prefix. */
    public static void hash(byte[] prefix, byte[] data, int off, int len, byte[] out, int outOff) {
        Blake2s d = LOCAL.get().init(HASH_SIZE, null);
        d.update(prefix, 0, prefix.length);
        d.update(data, off, len);
        d.doFinal(out, outOff);
    }

    /** BLAKE2s with an arbitrary output length (1..32) and optional key (RFC 7693 test use). */
    public static byte[] digest(byte[] key, int outLen, byte[] data, int off, int len) {
        Blake2s d = LOCAL.get().init(outLen, key);
        d.update(data, off, len);
        byte[] out = new byte[outLen];
        d.doFinal(out, 0);
        return out;
    }

    /** MAC(key, data[off, off+len)) into out[outOff, outOff+16). */
    public static void mac(byte[] key, byte[] data, int off, int len, byte[] out, int outOff) {
        Blake2s d = LOCAL.get().init(MAC_SIZE, key);
        d.update(data, off, len);
        d.doFinal(out, outOff);
    }
}
