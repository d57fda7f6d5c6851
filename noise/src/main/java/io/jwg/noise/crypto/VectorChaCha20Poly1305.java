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
 * ChaCha20-Poly1305 (RFC 8439 section 2.8) on the Vector API: ChaCha20 runs six blocks at a time in
 * 256-bit registers while Poly1305 runs on the scalar multiplier in the same loop. Needs
 * {@code --add-modules jdk.incubator.vector} at compile and run time; {@link ChaCha20Poly1305} only
 * loads this class when the module is present.
 *
 * <p>Why it is built this way (each point measured with JMH on a 2-core AVX2 EPYC, 1420-byte seal):
 * <ul>
 *   <li>Layout: a 256-bit vector holds the same state row of two blocks (a "quad" of four vectors
 *       a, b, c, d is two blocks). The diagonal round only needs in-lane word rotations
 *       ({@code rearrange}), and the keystream comes out as 128-bit halves that two cheap blends
 *       turn into 32 contiguous bytes. The one-block-per-lane layout needs an 8x8 transpose and,
 *       with eight blocks, made methods too large for C2 (C1 bailed out, the code ran interpreted).
 *   <li>Three quads (six blocks) interleaved: a quad is one long dependency chain; two quads ran
 *       1.23 GB/s, three 1.49 GB/s, four no longer compiled.
 *   <li>Poly1305 is stitched into the round loop: up to three 16-byte blocks per double round, on
 *       ciphertext already written (seal) or not yet decrypted (open). Its multiply chain is
 *       latency-bound and uses the scalar units the vector rounds leave idle.
 *   <li>Keystream words are moved to scalar registers ({@code lane}) and XORed through
 *       {@code ByteBuffer} VarHandles. Vector loads and stores need a {@code MemorySegment} view of
 *       the buffer; in a method this size C2 did not scalar-replace the view's session object, so
 *       it allocated 64 bytes per call. The lane route costs about 4% and allocates nothing.
 *   <li>Vector values never cross a call and every vector variable is always assigned a vector
 *       (never {@code null}, never a {@code static final} vector constant), otherwise C2 boxes them
 *       on the heap in the loop (seen as kilobytes allocated per call).
 * </ul>
 *
 * <p>Stateless; all state is in locals, so it is thread-safe and allocation-free.
 */
final class VectorChaCha20Poly1305 implements ChaCha20Poly1305.Engine {

    static final VectorChaCha20Poly1305 INSTANCE = new VectorChaCha20Poly1305();

    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_256;
    private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_256;

    /** Keystream bytes per loop iteration: three quads of two 64-byte blocks. */
    private static final int CHUNK = 384;
    /** Poly1305 blocks absorbed per double round at most: 10 x 3 >= CHUNK / 16. */
    private static final int MAC_PER_ROUND = 3;

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
        final LongVector zero = LongVector.zero(LONGS);
        LongVector row3 = LongVector.broadcast(LONGS, counter)
                .blend(LongVector.fromArray(LONGS, FIRST_BLOCKS, 0).add((long) constant << 32), EVEN);

        // Poly1305 runs over "virtual" 16-byte blocks: AD blocks, ciphertext blocks, lengths block.
        final ByteBuffer ct = seal ? dst : src;
        final int ctOff = seal ? dstOff : srcOff;
        final int adLen = ad == null ? 0 : ad.length, adBlocks = (adLen + 15) >>> 4;
        final int full = len & ~15, allBlocks = adBlocks + ((len + 15) >>> 4) + 1;
        long r0 = 0, r1 = 0, q1 = 0, s0 = 0, s1 = 0, h0 = 0, h1 = 0, h2 = 0;
        int next = 0;       // next virtual block to absorb
        int macLimit = 0;   // ciphertext offset the stitched MAC may reach during the next rounds

        // Stream offset base - 64 .. : base -64 is block 0 (the Poly1305 key), data byte i is
        // keystream byte 64 + i. The last pass of a seal only finishes the MAC (base >= len).
        for (int base = -64; ; base += CHUNK) {
            // this chunk's keystream rows (initialised: a null or constant vector here gets boxed)
            LongVector ka0 = zero, kb0 = zero, kc0 = zero, kd0 = zero;
            LongVector ka1 = zero, kb1 = zero, kc1 = zero, kd1 = zero;
            LongVector ka2 = zero, kb2 = zero, kc2 = zero, kd2 = zero;
            if (base < len) {
                IntVector n0 = row3.reinterpretAsInts();
                IntVector n1 = row3.add(step1).reinterpretAsInts();
                IntVector n2 = row3.add(step2).reinterpretAsInts();
                IntVector va0 = sigma, vb0 = row1, vc0 = row2, vd0 = n0;
                IntVector va1 = sigma, vb1 = row1, vc1 = row2, vd1 = n1;
                IntVector va2 = sigma, vb2 = row1, vc2 = row2, vd2 = n2;
                int mp = (next - adBlocks) << 4;            // ciphertext offset of the next MAC block
                int limit = next >= adBlocks ? macLimit : mp; // nothing before the AD is absorbed
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
                    for (int u = 0; u < MAC_PER_ROUND && mp < limit; u++, mp += 16) {
                        long m0 = (long) BUFFER_LONG.get(ct, ctOff + mp);
                        long m1 = (long) BUFFER_LONG.get(ct, ctOff + mp + 8);
                        long t0 = h0 + m0;
                        long c = Long.compareUnsigned(t0, m0) < 0 ? 1 : 0;
                        long t1 = h1 + m1;
                        long c1 = Long.compareUnsigned(t1, m1) < 0 ? 1 : 0;
                        t1 += c;
                        c1 += Long.compareUnsigned(t1, c) < 0 ? 1 : 0;
                        long t2 = h2 + c1 + 1;
                        long d0 = t0 * r0, d0h = Math.unsignedMultiplyHigh(t0, r0);
                        long x = t1 * q1, xh = Math.unsignedMultiplyHigh(t1, q1);
                        d0 += x;
                        d0h += xh + (Long.compareUnsigned(d0, x) < 0 ? 1 : 0);
                        long d1 = t0 * r1, d1h = Math.unsignedMultiplyHigh(t0, r1);
                        x = t1 * r0;
                        xh = Math.unsignedMultiplyHigh(t1, r0);
                        d1 += x;
                        d1h += xh + (Long.compareUnsigned(d1, x) < 0 ? 1 : 0);
                        x = t2 * q1;
                        d1 += x;
                        d1h += Long.compareUnsigned(d1, x) < 0 ? 1 : 0;
                        d1 += d0h;
                        d1h += Long.compareUnsigned(d1, d0h) < 0 ? 1 : 0;
                        long d2 = t2 * r0 + d1h;
                        c = (d2 >>> 2) * 5;
                        h2 = d2 & 3;
                        h0 = d0 + c;
                        c = Long.compareUnsigned(h0, c) < 0 ? 1 : 0;
                        h1 = d1 + c;
                        c = Long.compareUnsigned(h1, c) < 0 ? 1 : 0;
                        h2 += c;
                    }
                }
                if (next >= adBlocks) {
                    next = adBlocks + (mp >>> 4);
                }
                ka0 = va0.add(sigma).reinterpretAsLongs(); kb0 = vb0.add(row1).reinterpretAsLongs();
                kc0 = vc0.add(row2).reinterpretAsLongs(); kd0 = vd0.add(n0).reinterpretAsLongs();
                ka1 = va1.add(sigma).reinterpretAsLongs(); kb1 = vb1.add(row1).reinterpretAsLongs();
                kc1 = vc1.add(row2).reinterpretAsLongs(); kd1 = vd1.add(n1).reinterpretAsLongs();
                ka2 = va2.add(sigma).reinterpretAsLongs(); kb2 = vb2.add(row1).reinterpretAsLongs();
                kc2 = vc2.add(row2).reinterpretAsLongs(); kd2 = vd2.add(n2).reinterpretAsLongs();
                if (base < 0) {
                    r0 = ka0.lane(0) & Poly1305.R0_CLAMP;
                    r1 = ka0.lane(1) & Poly1305.R1_CLAMP;
                    q1 = r1 + (r1 >>> 2);
                    s0 = kb0.lane(0);
                    s1 = kb0.lane(1);
                }
            }

            // Catch up with what the MAC must have absorbed before this chunk's output: the AD
            // after block 0; an open's ciphertext before it is overwritten (in place); the rest
            // (tail, lengths) at the end.
            int target = base >= len || (!seal && base + CHUNK >= len) ? allBlocks
                    : seal ? Math.max(adBlocks, next) : adBlocks + (Math.min(base + CHUNK, full) >>> 4);
            for (; next < target; next++) {
                long m0, m1;
                if (next < adBlocks) {
                    m0 = Poly1305.word(ad, null, 0, next << 4, adLen, false);
                    m1 = Poly1305.word(ad, null, 0, (next << 4) + 8, adLen, false);
                } else if (next < allBlocks - 1) {
                    int o = (next - adBlocks) << 4;
                    m0 = Poly1305.word(null, ct, ctOff, o, len, false);
                    m1 = Poly1305.word(null, ct, ctOff, o + 8, len, false);
                } else {
                    m0 = adLen;
                    m1 = len;
                }
                long t0 = h0 + m0;
                long c = Long.compareUnsigned(t0, m0) < 0 ? 1 : 0;
                long t1 = h1 + m1;
                long c1 = Long.compareUnsigned(t1, m1) < 0 ? 1 : 0;
                t1 += c;
                c1 += Long.compareUnsigned(t1, c) < 0 ? 1 : 0;
                long t2 = h2 + c1 + 1;
                long d0 = t0 * r0, d0h = Math.unsignedMultiplyHigh(t0, r0);
                long x = t1 * q1, xh = Math.unsignedMultiplyHigh(t1, q1);
                d0 += x;
                d0h += xh + (Long.compareUnsigned(d0, x) < 0 ? 1 : 0);
                long d1 = t0 * r1, d1h = Math.unsignedMultiplyHigh(t0, r1);
                x = t1 * r0;
                xh = Math.unsignedMultiplyHigh(t1, r0);
                d1 += x;
                d1h += xh + (Long.compareUnsigned(d1, x) < 0 ? 1 : 0);
                x = t2 * q1;
                d1 += x;
                d1h += Long.compareUnsigned(d1, x) < 0 ? 1 : 0;
                d1 += d0h;
                d1h += Long.compareUnsigned(d1, d0h) < 0 ? 1 : 0;
                long d2 = t2 * r0 + d1h;
                c = (d2 >>> 2) * 5;
                h2 = d2 & 3;
                h0 = d0 + c;
                c = Long.compareUnsigned(h0, c) < 0 ? 1 : 0;
                h1 = d1 + c;
                c = Long.compareUnsigned(h1, c) < 0 ? 1 : 0;
                h2 += c;
            }
            if (base >= len) {
                break;
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
            // The ciphertext the next rounds may MAC: what this seal just wrote, or the next
            // chunk's ciphertext that an open has not decrypted yet.
            macLimit = Math.min(seal ? base + CHUNK : base + 2 * CHUNK, full);
            row3 = row3.add(step3);
        }
        return Poly1305.finish(h0, h1, h2, s0, s1, seal ? dst : src, (seal ? dstOff : srcOff) + len, !seal);
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
