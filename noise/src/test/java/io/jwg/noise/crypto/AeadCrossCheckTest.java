// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * All implementations agree byte for byte on random keys, counters, lengths 0..2000 and AD, on heap
 * and direct buffers, in place and out of place, at odd offsets; and each opens what the others
 * sealed. Inputs of all-0xFF bytes drive the Poly1305 accumulator to its largest values.
 */
class AeadCrossCheckTest {

    private static final List<AeadImplementation> IMPLEMENTATIONS = AeadImplementation.all();

    @Test
    void implementationsAgreeOnRandomInputs() {
        Random random = new Random(20260501);
        for (int trial = 0; trial < 600; trial++) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            long counter = trial % 50 == 0 ? -1L - trial : random.nextLong();
            int len = trial < 100 ? trial : random.nextInt(2001);
            byte[] ad = switch (trial % 4) {
                case 0 -> null;
                case 1 -> new byte[0];
                default -> randomBytes(random, random.nextInt(70));
            };
            byte[] pt = trial % 10 == 3 ? AeadImplementation.filled(len, (byte) 0xFF) : randomBytes(random, len);
            byte[] expected = null;
            for (AeadImplementation impl : IMPLEMENTATIONS) {
                try (Aead aead = impl.create(key)) {
                    boolean direct = random.nextBoolean(), inPlace = random.nextBoolean();
                    int off = random.nextInt(9);
                    byte[] sealed = seal(aead, counter, ad, pt, direct, inPlace, off);
                    if (expected == null) {
                        expected = sealed;
                    }
                    assertArrayEquals(expected, sealed, impl + " seal, len " + len + ", trial " + trial);
                }
            }
            for (AeadImplementation impl : IMPLEMENTATIONS) {
                try (Aead aead = impl.create(key)) {
                    boolean direct = random.nextBoolean(), inPlace = random.nextBoolean();
                    int off = random.nextInt(9);
                    assertArrayEquals(pt, open(aead, counter, ad, expected, direct, inPlace, off),
                            impl + " open, len " + len + ", trial " + trial);
                }
            }
        }
    }

    @Test
    void openingAllOnesCiphertextWithItsTrueTagSucceeds() {
        // Ciphertext is arbitrary bytes to Poly1305: authenticate 0xFF... made by another implementation.
        Random random = new Random(99);
        for (int len : new int[] {16, 255, 256, 383, 384, 385, 1420, 2000}) {
            byte[] key = randomBytes(random, 32);
            byte[] ct = AeadImplementation.filled(len, (byte) 0xFF);
            // sealing keystream XOR 0xFF... yields ciphertext 0xFF...: keystream from BouncyCastle, tag from the JDK
            byte[] keystream;
            try (Aead bc = AeadImplementation.BOUNCY_CASTLE.create(key)) {
                keystream = Arrays.copyOf(seal(bc, 9, null, new byte[len], false, false, 0), len);
            }
            byte[] pt = new byte[len];
            for (int i = 0; i < len; i++) {
                pt[i] = (byte) (keystream[i] ^ 0xFF);
            }
            byte[] sealed;
            try (Aead jdk = AeadImplementation.JDK.create(key)) {
                sealed = seal(jdk, 9, null, pt, false, false, 0);
            }
            assertArrayEquals(ct, Arrays.copyOf(sealed, len));
            for (AeadImplementation impl : IMPLEMENTATIONS) {
                try (Aead aead = impl.create(key)) {
                    assertArrayEquals(pt, open(aead, 9, null, sealed, true, true, 3), impl + " len " + len);
                }
            }
        }
    }

    static byte[] seal(Aead aead, long counter, byte[] ad, byte[] pt, boolean direct, boolean inPlace, int off) {
        int size = off + pt.length + Aead.TAG_SIZE + 5;
        ByteBuffer src = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
        src.put(off, pt);
        ByteBuffer dst = inPlace ? src : (direct ? ByteBuffer.allocate(size + 3) : ByteBuffer.allocateDirect(size + 3));
        int dstOff = inPlace ? off : off + 3;
        aead.seal(counter, ad, src, off, pt.length, dst, dstOff);
        byte[] out = new byte[pt.length + Aead.TAG_SIZE];
        dst.get(dstOff, out);
        return out;
    }

    static byte[] open(Aead aead, long counter, byte[] ad, byte[] sealed, boolean direct, boolean inPlace, int off) {
        int size = off + sealed.length + 5;
        ByteBuffer src = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
        src.put(off, sealed);
        ByteBuffer dst = inPlace ? src : (direct ? ByteBuffer.allocate(size + 1) : ByteBuffer.allocateDirect(size + 1));
        int dstOff = inPlace ? off : off + 1;
        assertTrue(aead.open(counter, ad, src, off, sealed.length, dst, dstOff), "open failed");
        byte[] out = new byte[sealed.length - Aead.TAG_SIZE];
        dst.get(dstOff, out);
        return out;
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
