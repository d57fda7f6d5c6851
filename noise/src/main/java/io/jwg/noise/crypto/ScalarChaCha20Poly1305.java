// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Portable ChaCha20-Poly1305 (RFC 8439 sections 2.3, 2.4, 2.8) on plain {@code int} arithmetic: the
 * engine of {@link ChaCha20Poly1305} when the Vector API is not available (no
 * {@code --add-modules jdk.incubator.vector}, or a CPU without 256-bit vectors).
 *
 * <p>One block at a time, its sixteen words in locals, XORed into the data as 64-bit little-endian
 * words through VarHandles (works on heap and direct buffers alike, no allocation). Opening
 * authenticates the whole ciphertext before decrypting, so an in-place open of a forged packet
 * leaves it untouched. Stateless, so thread-safe.
 */
final class ScalarChaCha20Poly1305 implements ChaCha20Poly1305.Engine {

    static final ScalarChaCha20Poly1305 INSTANCE = new ScalarChaCha20Poly1305();

    /** "expand 32-byte k", RFC 8439 section 2.3. */
    static final int SIGMA0 = 0x61707865, SIGMA1 = 0x3320646e, SIGMA2 = 0x79622d32, SIGMA3 = 0x6b206574;

    private static final VarHandle BUFFER_LONG =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private ScalarChaCha20Poly1305() {}

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public boolean crypt(boolean seal, int[] key, int constant, long counter, byte[] ad,
            ByteBuffer src, int srcOff, ByteBuffer dst, int dstOff, int len) {
        final int k0 = key[0], k1 = key[1], k2 = key[2], k3 = key[3];
        final int k4 = key[4], k5 = key[5], k6 = key[6], k7 = key[7];
        final int n1 = (int) counter, n2 = (int) (counter >>> 32);
        long r0 = 0, r1 = 0, s0 = 0, s1 = 0;
        // Stream offset -64 is block 0, whose first 32 bytes are the Poly1305 key (section 2.6);
        // data byte i is XORed with keystream byte 64 + i.
        int block = 0;
        for (int base = -64; base < len; base += 64, block++) {
            int x0 = SIGMA0, x1 = SIGMA1, x2 = SIGMA2, x3 = SIGMA3;
            int x4 = k0, x5 = k1, x6 = k2, x7 = k3, x8 = k4, x9 = k5, x10 = k6, x11 = k7;
            int x12 = block, x13 = constant, x14 = n1, x15 = n2;
            for (int i = 0; i < 10; i++) {
                // column round
                x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 16); x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 12);
                x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 8); x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 7);
                x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 16); x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 12);
                x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 8); x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 7);
                x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 16); x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 12);
                x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 8); x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 7);
                x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 16); x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 12);
                x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 8); x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 7);
                // diagonal round
                x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 16); x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 12);
                x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 8); x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 7);
                x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 16); x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 12);
                x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 8); x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 7);
                x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 16); x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 12);
                x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 8); x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 7);
                x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 16); x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 12);
                x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 8); x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 7);
            }
            x0 += SIGMA0; x1 += SIGMA1; x2 += SIGMA2; x3 += SIGMA3;
            x4 += k0; x5 += k1; x6 += k2; x7 += k3; x8 += k4; x9 += k5; x10 += k6; x11 += k7;
            x12 += block; x13 += constant; x14 += n1; x15 += n2;
            if (base < 0) {
                r0 = pack(x0, x1);
                r1 = pack(x2, x3);
                s0 = pack(x4, x5);
                s1 = pack(x6, x7);
                if (!seal && !Poly1305.aeadTag(r0, r1, s0, s1, ad, src, srcOff, len, src, srcOff + len, true)) {
                    return false;
                }
                continue;
            }
            int n = Math.min(64, len - base);
            int s = srcOff + base, d = dstOff + base;
            for (int w = 0; w < n; w += 8) {
                long ks = switch (w >>> 3) {
                    case 0 -> pack(x0, x1);
                    case 1 -> pack(x2, x3);
                    case 2 -> pack(x4, x5);
                    case 3 -> pack(x6, x7);
                    case 4 -> pack(x8, x9);
                    case 5 -> pack(x10, x11);
                    case 6 -> pack(x12, x13);
                    default -> pack(x14, x15);
                };
                if (w + 8 <= n) {
                    BUFFER_LONG.set(dst, d + w, (long) BUFFER_LONG.get(src, s + w) ^ ks);
                } else {
                    xorTail(src, s + w, dst, d + w, n - w, ks);
                }
            }
        }
        if (seal) {
            Poly1305.aeadTag(r0, r1, s0, s1, ad, dst, dstOff, len, dst, dstOff + len, false);
        }
        return true;
    }

    /** Two keystream words as one little-endian 64-bit word. */
    static long pack(int lo, int hi) {
        return (lo & 0xFFFFFFFFL) | ((long) hi << 32);
    }

    /** XORs the last {@code n < 8} bytes with the low bytes of {@code ks}. */
    static void xorTail(ByteBuffer src, int s, ByteBuffer dst, int d, int n, long ks) {
        for (int i = 0; i < n; i++, ks >>>= 8) {
            dst.put(d + i, (byte) (src.get(s + i) ^ ks));
        }
    }
}
