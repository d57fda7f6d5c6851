// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import static jdk.incubator.vector.VectorOperators.ROL;
import static jdk.incubator.vector.VectorOperators.XOR;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * ChaCha20-Poly1305 (RFC 8439 section 2.8) on the Vector API: ChaCha20 six blocks at a time in
 * 256-bit registers, Poly1305 four blocks at a time ({@link Poly1305Vector}; the scalar
 * {@link Poly1305} below {@value #VECTOR_MAC_MIN} bytes). Needs
 * {@code --add-modules jdk.incubator.vector} at compile and run time; {@link ChaCha20Poly1305} only
 * loads this class when the module is present.
 *
 * <p>Why it is built this way (each point measured with JMH or thread CPU time on the 2-core AVX2
 * EPYC this project is benchmarked on, 1420-byte packets):
 * <ul>
 *   <li>Layout: a 256-bit vector holds the same state row of two blocks (a "quad" of four vectors
 *       a, b, c, d is two blocks). The diagonal round only needs in-lane word rotations
 *       ({@code rearrange}), and the keystream comes out as 128-bit halves that two blends turn
 *       into 32 contiguous bytes. The one-block-per-lane layout needs an 8x8 transpose and, with
 *       eight blocks, made the method too large for the JIT (C1 bailed out, it ran interpreted).
 *   <li>Three quads (six blocks) interleaved: one quad is one long dependency chain; two quads ran
 *       ChaCha20 at 1.23 GB/s, three at 1.49 GB/s, four no longer compiled. Three quads also won
 *       for whole packets from 512 bytes up; at 64 bytes two quads were 10% faster.
 *   <li>Keystream words go to scalar registers ({@code lane}) and are XORed through
 *       {@code ByteBuffer} VarHandles. Vector loads and stores need a {@code MemorySegment} view of
 *       the buffer, and C2 did not scalar-replace the view's session object in a method this size:
 *       64 bytes allocated per call for a 7% gain. The scalar route allocates nothing.
 *   <li>Poly1305 stitched into the round loop (scalar 64-bit limbs, up to three blocks per double
 *       round, on the multiplier the vector rounds leave idle) was 11% faster than the same method
 *       with the MAC in a separate loop, but no faster than calling the MAC once, in its own
 *       compiled method; dropped, so the MAC code exists once and an open authenticates before it
 *       decrypts anything. {@link Poly1305Vector} then halved the MAC's share: 1420-byte seal
 *       2.7 to 2.0 microseconds of CPU, against 4.0 for the JDK's cipher.
 *   <li>Vector values never cross a call and every vector variable always holds a vector (never
 *       {@code null}, never a {@code static final} vector constant), else C2 boxes them in the
 *       loop (seen as kilobytes allocated per call); the output stays a loop over pieces because
 *       unrolling it made the method too big and brought the boxing back.
 * </ul>
 *
 * <p>Stateless; all state is in locals, so it is thread-safe and allocation-free.
 */
final class VectorChaCha20Poly1305 implements ChaCha20Poly1305.Engine {

    static final VectorChaCha20Poly1305 INSTANCE = new VectorChaCha20Poly1305();

    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_256;
    private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_256;

    /** Messages from this size on are authenticated by {@link Poly1305Vector}. */
    static final int VECTOR_MAC_MIN = 192;

    /** Keystream bytes per loop iteration: three quads of two 64-byte blocks. */
    private static final int CHUNK = 384;

    private static final VectorShuffle<Integer> ROT1 = VectorShuffle.fromValues(INTS, 1, 2, 3, 0, 5, 6, 7, 4);
    private static final VectorShuffle<Integer> ROT2 = VectorShuffle.fromValues(INTS, 2, 3, 0, 1, 6, 7, 4, 5);
    private static final VectorShuffle<Integer> ROT3 = VectorShuffle.fromValues(INTS, 3, 0, 1, 2, 7, 4, 5, 6);
    /** Key words 0-3 (row 1) and 4-7 (row 2), repeated for both blocks of a vector. */
    private static final VectorShuffle<Integer> KEY_LOW = VectorShuffle.fromValues(INTS, 0, 1, 2, 3, 0, 1, 2, 3);
    private static final VectorShuffle<Integer> KEY_HIGH = VectorShuffle.fromValues(INTS, 4, 5, 6, 7, 4, 5, 6, 7);
    private static final VectorShuffle<Long> LOW_TO_HIGH = VectorShuffle.fromValues(LONGS, 0, 1, 0, 1);
    private static final VectorShuffle<Long> HIGH_TO_LOW = VectorShuffle.fromValues(LONGS, 2, 3, 2, 3);
    private static final VectorMask<Long> EVEN = VectorMask.fromValues(LONGS, true, false, true, false);
    private static final VectorMask<Long> HIGH_HALF = VectorMask.fromValues(LONGS, false, false, true, true);

    /** Arrays, not vector constants: a static final vector in a loop phi gets boxed by C2. */
    private static final int[] SIGMA = {
        ScalarChaCha20Poly1305.SIGMA0, ScalarChaCha20Poly1305.SIGMA1,
        ScalarChaCha20Poly1305.SIGMA2, ScalarChaCha20Poly1305.SIGMA3,
        ScalarChaCha20Poly1305.SIGMA0, ScalarChaCha20Poly1305.SIGMA1,
        ScalarChaCha20Poly1305.SIGMA2, ScalarChaCha20Poly1305.SIGMA3,
    };
    /** Row 3 as 64-bit words is (block | constant << 32, counter); the halves hold blocks 0 and 1. */
    private static final long[] FIRST_BLOCKS = {0, 0, 1, 0};
    private static final long[] NEXT_QUAD = {2, 0, 2, 0};

    private static final VarHandle BUFFER_LONG =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private VectorChaCha20Poly1305() {}

    /** Whether 256-bit integer vectors are native here (AVX2 or wider); otherwise use the scalar engine. */
    static boolean isSupported() {
        return IntVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public boolean crypt(boolean seal, int[] key, int constant, long counter, byte[] ad,
            ByteBuffer src, int srcOff, ByteBuffer dst, int dstOff, int len) {
        final IntVector sigma = IntVector.fromArray(INTS, SIGMA, 0);
        final IntVector keyWords = IntVector.fromArray(INTS, key, 0);
        final IntVector row1 = keyWords.rearrange(KEY_LOW), row2 = keyWords.rearrange(KEY_HIGH);
        final LongVector step1 = LongVector.fromArray(LONGS, NEXT_QUAD, 0);
        final LongVector step2 = step1.add(step1), step3 = step2.add(step1);
        LongVector row3 = LongVector.broadcast(LONGS, counter)
                .blend(LongVector.fromArray(LONGS, FIRST_BLOCKS, 0).add((long) constant << 32), EVEN);

        long r0 = 0, r1 = 0, s0 = 0, s1 = 0;

        // Keystream byte k is XORed into data byte k - 64: the chunk at base -64 starts with
        // block 0, whose first 32 bytes are the Poly1305 key (RFC 8439 section 2.6).
        for (int base = -64; base < len; base += CHUNK) {
            IntVector n0 = row3.reinterpretAsInts();
            IntVector n1 = row3.add(step1).reinterpretAsInts();
            IntVector n2 = row3.add(step2).reinterpretAsInts();
            IntVector va0 = sigma, vb0 = row1, vc0 = row2, vd0 = n0;
            IntVector va1 = sigma, vb1 = row1, vc1 = row2, vd1 = n1;
            IntVector va2 = sigma, vb2 = row1, vc2 = row2, vd2 = n2;
            for (int round = 0; round < 10; round++) {
                // column round on all quads
                va0 = va0.add(vb0); vd0 = vd0.lanewise(XOR, va0).lanewise(ROL, 16);
                va1 = va1.add(vb1); vd1 = vd1.lanewise(XOR, va1).lanewise(ROL, 16);
                va2 = va2.add(vb2); vd2 = vd2.lanewise(XOR, va2).lanewise(ROL, 16);
                vc0 = vc0.add(vd0); vb0 = vb0.lanewise(XOR, vc0).lanewise(ROL, 12);
                vc1 = vc1.add(vd1); vb1 = vb1.lanewise(XOR, vc1).lanewise(ROL, 12);
                vc2 = vc2.add(vd2); vb2 = vb2.lanewise(XOR, vc2).lanewise(ROL, 12);
                va0 = va0.add(vb0); vd0 = vd0.lanewise(XOR, va0).lanewise(ROL, 8);
                va1 = va1.add(vb1); vd1 = vd1.lanewise(XOR, va1).lanewise(ROL, 8);
                va2 = va2.add(vb2); vd2 = vd2.lanewise(XOR, va2).lanewise(ROL, 8);
                vc0 = vc0.add(vd0); vb0 = vb0.lanewise(XOR, vc0).lanewise(ROL, 7);
                vc1 = vc1.add(vd1); vb1 = vb1.lanewise(XOR, vc1).lanewise(ROL, 7);
                vc2 = vc2.add(vd2); vb2 = vb2.lanewise(XOR, vc2).lanewise(ROL, 7);
                // rotate rows b, c, d left by 1, 2, 3 words so that the diagonals line up as columns
                vb0 = vb0.rearrange(ROT1); vc0 = vc0.rearrange(ROT2); vd0 = vd0.rearrange(ROT3);
                vb1 = vb1.rearrange(ROT1); vc1 = vc1.rearrange(ROT2); vd1 = vd1.rearrange(ROT3);
                vb2 = vb2.rearrange(ROT1); vc2 = vc2.rearrange(ROT2); vd2 = vd2.rearrange(ROT3);
                // diagonal round, then rotate back
                va0 = va0.add(vb0); vd0 = vd0.lanewise(XOR, va0).lanewise(ROL, 16);
                va1 = va1.add(vb1); vd1 = vd1.lanewise(XOR, va1).lanewise(ROL, 16);
                va2 = va2.add(vb2); vd2 = vd2.lanewise(XOR, va2).lanewise(ROL, 16);
                vc0 = vc0.add(vd0); vb0 = vb0.lanewise(XOR, vc0).lanewise(ROL, 12);
                vc1 = vc1.add(vd1); vb1 = vb1.lanewise(XOR, vc1).lanewise(ROL, 12);
                vc2 = vc2.add(vd2); vb2 = vb2.lanewise(XOR, vc2).lanewise(ROL, 12);
                va0 = va0.add(vb0); vd0 = vd0.lanewise(XOR, va0).lanewise(ROL, 8);
                va1 = va1.add(vb1); vd1 = vd1.lanewise(XOR, va1).lanewise(ROL, 8);
                va2 = va2.add(vb2); vd2 = vd2.lanewise(XOR, va2).lanewise(ROL, 8);
                vc0 = vc0.add(vd0); vb0 = vb0.lanewise(XOR, vc0).lanewise(ROL, 7);
                vc1 = vc1.add(vd1); vb1 = vb1.lanewise(XOR, vc1).lanewise(ROL, 7);
                vc2 = vc2.add(vd2); vb2 = vb2.lanewise(XOR, vc2).lanewise(ROL, 7);
                vb0 = vb0.rearrange(ROT3); vc0 = vc0.rearrange(ROT2); vd0 = vd0.rearrange(ROT1);
                vb1 = vb1.rearrange(ROT3); vc1 = vc1.rearrange(ROT2); vd1 = vd1.rearrange(ROT1);
                vb2 = vb2.rearrange(ROT3); vc2 = vc2.rearrange(ROT2); vd2 = vd2.rearrange(ROT1);
            }
            LongVector ka0 = va0.add(sigma).reinterpretAsLongs(), kb0 = vb0.add(row1).reinterpretAsLongs();
            LongVector kc0 = vc0.add(row2).reinterpretAsLongs(), kd0 = vd0.add(n0).reinterpretAsLongs();
            LongVector ka1 = va1.add(sigma).reinterpretAsLongs(), kb1 = vb1.add(row1).reinterpretAsLongs();
            LongVector kc1 = vc1.add(row2).reinterpretAsLongs(), kd1 = vd1.add(n1).reinterpretAsLongs();
            LongVector ka2 = va2.add(sigma).reinterpretAsLongs(), kb2 = vb2.add(row1).reinterpretAsLongs();
            LongVector kc2 = vc2.add(row2).reinterpretAsLongs(), kd2 = vd2.add(n2).reinterpretAsLongs();
            if (base < 0) {
                r0 = ka0.lane(0);
                r1 = ka0.lane(1);
                s0 = kb0.lane(0);
                s1 = kb0.lane(1);
                // authenticate before decrypting anything (in place, that would destroy the input)
                if (!seal && !mac(r0, r1, s0, s1, ad, src, srcOff, len, src, srcOff + len, true)) {
                    return false;
                }
            }

            // Output: twelve 32-byte pieces in stream order; piece 4q..4q+3 of quad q are
            // (block 2q words 0-7, words 8-15, block 2q+1 words 0-7, words 8-15).
            for (int piece = 0; piece < 12; piece++) {
                int o = base + 32 * piece;
                if (o >= len) {
                    break;
                }
                if (o < 0) {
                    continue; // block 0 is the Poly1305 key
                }
                LongVector ks = switch (piece) {
                    case 0 -> ka0.blend(kb0.rearrange(LOW_TO_HIGH), HIGH_HALF);
                    case 1 -> kc0.blend(kd0.rearrange(LOW_TO_HIGH), HIGH_HALF);
                    case 2 -> ka0.rearrange(HIGH_TO_LOW).blend(kb0, HIGH_HALF);
                    case 3 -> kc0.rearrange(HIGH_TO_LOW).blend(kd0, HIGH_HALF);
                    case 4 -> ka1.blend(kb1.rearrange(LOW_TO_HIGH), HIGH_HALF);
                    case 5 -> kc1.blend(kd1.rearrange(LOW_TO_HIGH), HIGH_HALF);
                    case 6 -> ka1.rearrange(HIGH_TO_LOW).blend(kb1, HIGH_HALF);
                    case 7 -> kc1.rearrange(HIGH_TO_LOW).blend(kd1, HIGH_HALF);
                    case 8 -> ka2.blend(kb2.rearrange(LOW_TO_HIGH), HIGH_HALF);
                    case 9 -> kc2.blend(kd2.rearrange(LOW_TO_HIGH), HIGH_HALF);
                    case 10 -> ka2.rearrange(HIGH_TO_LOW).blend(kb2, HIGH_HALF);
                    default -> kc2.rearrange(HIGH_TO_LOW).blend(kd2, HIGH_HALF);
                };
                int s = srcOff + o, d = dstOff + o;
                if (o + 32 <= len) {
                    long x0 = (long) BUFFER_LONG.get(src, s), x1 = (long) BUFFER_LONG.get(src, s + 8);
                    long x2 = (long) BUFFER_LONG.get(src, s + 16), x3 = (long) BUFFER_LONG.get(src, s + 24);
                    BUFFER_LONG.set(dst, d, x0 ^ ks.lane(0));
                    BUFFER_LONG.set(dst, d + 8, x1 ^ ks.lane(1));
                    BUFFER_LONG.set(dst, d + 16, x2 ^ ks.lane(2));
                    BUFFER_LONG.set(dst, d + 24, x3 ^ ks.lane(3));
                } else {
                    xorTail(src, s, dst, d, len - o, ks.lane(0), ks.lane(1), ks.lane(2), ks.lane(3));
                }
            }
            row3 = row3.add(step3);
        }
        if (seal) {
            mac(r0, r1, s0, s1, ad, dst, dstOff, len, dst, dstOff + len, false);
        }
        return true;
    }

    /**
     * The AEAD tag by {@link Poly1305Vector}, or by the scalar {@link Poly1305} below
     * {@value #VECTOR_MAC_MIN} bytes, where the vector version's setup (r^4, lane folding) costs more
     * than it saves.
     */
    private static boolean mac(long r0, long r1, long s0, long s1, byte[] ad, ByteBuffer ct, int ctOff,
            int ctLen, ByteBuffer tagBuf, int tagOff, boolean verify) {
        return ctLen < VECTOR_MAC_MIN
                ? Poly1305.aeadTag(r0, r1, s0, s1, ad, ct, ctOff, ctLen, tagBuf, tagOff, verify)
                : Poly1305Vector.aeadTag(r0, r1, s0, s1, ad, ct, ctOff, ctLen, tagBuf, tagOff, verify);
    }

    /** XORs the last {@code n < 32} bytes of a piece with keystream words {@code k0..k3}. */
    private static void xorTail(ByteBuffer src, int s, ByteBuffer dst, int d, int n,
            long k0, long k1, long k2, long k3) {
        for (int w = 0; w < n; w += 8) {
            long k = w == 0 ? k0 : w == 8 ? k1 : w == 16 ? k2 : k3;
            if (w + 8 <= n) {
                BUFFER_LONG.set(dst, d + w, (long) BUFFER_LONG.get(src, s + w) ^ k);
            } else {
                ScalarChaCha20Poly1305.xorTail(src, s + w, dst, d + w, n - w, k);
            }
        }
    }
}
