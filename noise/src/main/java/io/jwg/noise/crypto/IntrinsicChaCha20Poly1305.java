// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.Key;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;

/**
 * ChaCha20-Poly1305 (RFC 8439 section 2.8) on the HotSpot assembly stubs that the JDK's own
 * {@code Cipher "ChaCha20-Poly1305"} runs on: the ChaCha20 block function (16 blocks per call with
 * AVX-512, 4 with AVX2) and Poly1305 over many blocks (AVX-512 IFMA or AVX2), without the
 * {@code Cipher}'s per-packet cost (key and nonce objects, a fresh MAC and keystream state, checks
 * against nonce reuse: at 1,420 bytes those cost more than the cryptography itself).
 *
 * <p>The stubs are intrinsics of two private JDK methods, {@code ChaCha20Cipher.implChaCha20Block}
 * and {@code Poly1305.processMultipleBlocks}, reached through method handles; the launcher opens
 * {@code java.base/com.sun.crypto.provider} and {@code sun.security.util.math.intpoly} to us for
 * that ({@link #OPENS}). Until C2 compiles the caller both methods run as the JDK's Java code,
 * which computes the same result: the ChaCha20 one produces one block per call instead of
 * sixteen, and the Poly1305 one works on its receiver's own accumulator and key, whose limb arrays
 * are the very arrays passed to it (as the JDK itself calls it). Where those methods are missing or
 * inaccessible, or a known-answer test fails, {@link #isSupported()} is false and
 * {@link ChaCha20Poly1305} uses another engine.
 *
 * <p>Per call: the packet is copied once into a per-thread array laid out as Poly1305's input
 * (AD, zero padding, ciphertext, zero padding, the two lengths), XORed there with the keystream,
 * authenticated in one stub call, and copied out; the tag is completed here (the accumulator's
 * 26-bit limbs reduced mod 2^130 - 5, plus s). Opening verifies the tag before it writes a byte, so
 * a forged packet opened in place is left untouched. Nothing is allocated after a thread's first
 * call (unless a packet is larger than any before on that thread).
 */
final class IntrinsicChaCha20Poly1305 implements ChaCha20Poly1305.Engine {

    /** The JVM options this engine needs. */
    static final String OPENS = "--add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED"
            + " --add-opens java.base/sun.security.util.math.intpoly=ALL-UNNAMED";

    static final IntrinsicChaCha20Poly1305 INSTANCE = new IntrinsicChaCha20Poly1305();

    /** ChaCha20Cipher's keystream buffer size, which its block function insists on. */
    private static final int KEYSTREAM_BYTES = 1024;
    private static final int BLOCK = 64;
    private static final long LIMB_MASK = (1L << 26) - 1;

    private static final VarHandle ARRAY_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BUFFER_LONG =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** (int[] state, byte[] keystream) -> bytes of keystream made. */
    private static final MethodHandle CHACHA20_BLOCK;
    /** (Object poly1305, byte[] input, int offset, int length, long[] a, long[] r) -> void. */
    private static final MethodHandle POLY1305_BLOCKS;
    /** () -> a Poly1305 with accumulator and key limbs; with the limb arrays' accessors below. */
    private static final MethodHandle NEW_POLY1305;
    private static final Field POLY_A, POLY_R;
    private static final Method GET_LIMBS;
    private static final String UNSUPPORTED;
    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

    static {
        MethodHandle block = null, blocks = null, newPoly = null;
        Field a = null, r = null;
        Method limbs = null;
        String why = null;
        try {
            Class<?> cipher = Class.forName("com.sun.crypto.provider.ChaCha20Cipher");
            Class<?> poly = Class.forName("com.sun.crypto.provider.Poly1305");
            MethodHandles.Lookup cipherLookup = MethodHandles.privateLookupIn(cipher, MethodHandles.lookup());
            MethodHandles.Lookup polyLookup = MethodHandles.privateLookupIn(poly, MethodHandles.lookup());
            block = cipherLookup.findStatic(cipher, "implChaCha20Block",
                    MethodType.methodType(int.class, int[].class, byte[].class));
            blocks = polyLookup.findVirtual(poly, "processMultipleBlocks",
                            MethodType.methodType(void.class, byte[].class, int.class, int.class, long[].class, long[].class))
                    .asType(MethodType.methodType(void.class, Object.class, byte[].class, int.class, int.class,
                            long[].class, long[].class));
            Constructor<?> ctor = poly1305Constructor(poly);
            Method init = poly.getDeclaredMethod("engineInit", Key.class, AlgorithmParameterSpec.class);
            init.setAccessible(true);
            newPoly = MethodHandles.insertArguments(
                    MethodHandles.lookup().findStatic(IntrinsicChaCha20Poly1305.class, "newPoly1305",
                            MethodType.methodType(Object.class, Constructor.class, Method.class)), 0, ctor, init);
            a = poly.getDeclaredField("a");
            r = poly.getDeclaredField("r");
            a.setAccessible(true);
            r.setAccessible(true);
            limbs = Class.forName("sun.security.util.math.intpoly.IntegerPolynomial$Element").getDeclaredMethod("getLimbs");
            limbs.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            why = e.toString();
        }
        CHACHA20_BLOCK = block;
        POLY1305_BLOCKS = blocks;
        NEW_POLY1305 = newPoly;
        POLY_A = a;
        POLY_R = r;
        GET_LIMBS = limbs;
        UNSUPPORTED = why != null ? why : knownAnswerFailure();
    }

    /** One thread's working arrays, reused for every packet. */
    private static final class State {
        final int[] chacha = new int[16];
        final byte[] keystream = new byte[KEYSTREAM_BYTES];
        /** Poly1305's input: AD, padding, the ciphertext, padding, lengths. */
        byte[] mac = new byte[2048];
        final Object poly;
        final long[] a;
        final long[] r;

        State() {
            try {
                poly = NEW_POLY1305.invoke();
                a = (long[]) GET_LIMBS.invoke(POLY_A.get(poly));
                r = (long[]) GET_LIMBS.invoke(POLY_R.get(poly));
            } catch (Throwable e) {
                throw new IllegalStateException("JDK Poly1305 unusable", e);
            }
            if (a.length != 5 || r.length != 5) {
                throw new IllegalStateException("JDK Poly1305 limbs are not 5 x 26 bits");
            }
        }
    }

    /** {@code Poly1305(boolean checkWeakKey)} where the JDK has it, else {@code Poly1305()}. */
    private static Constructor<?> poly1305Constructor(Class<?> poly) throws NoSuchMethodException {
        Constructor<?> ctor;
        try {
            ctor = poly.getDeclaredConstructor(boolean.class);
        } catch (NoSuchMethodException e) {
            ctor = poly.getDeclaredConstructor();
        }
        ctor.setAccessible(true);
        return ctor;
    }

    /** A Poly1305 with its accumulator and key set up (any non-zero key: ours replaces it). */
    private static Object newPoly1305(Constructor<?> ctor, Method init) throws ReflectiveOperationException {
        Object poly = ctor.getParameterCount() == 1 ? ctor.newInstance(false) : ctor.newInstance();
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 1);
        init.invoke(poly, new SecretKeySpec(key, "Poly1305"), null);
        return poly;
    }

    private IntrinsicChaCha20Poly1305() {}

    /** Whether this JVM gives access to the JDK's stubs and they compute RFC 8439's answers. */
    static boolean isSupported() {
        return UNSUPPORTED == null;
    }

    /** Why {@link #isSupported()} is false, or {@code null}. */
    static String unsupportedReason() {
        return UNSUPPORTED;
    }

    @Override
    public String name() {
        return "intrinsic";
    }

    @Override
    public boolean crypt(boolean seal, int[] key, int constant, long counter, byte[] ad,
            ByteBuffer src, int srcOff, ByteBuffer dst, int dstOff, int len) {
        State st = STATE.get();
        int[] chacha = st.chacha;
        chacha[0] = ScalarChaCha20Poly1305.SIGMA0;
        chacha[1] = ScalarChaCha20Poly1305.SIGMA1;
        chacha[2] = ScalarChaCha20Poly1305.SIGMA2;
        chacha[3] = ScalarChaCha20Poly1305.SIGMA3;
        System.arraycopy(key, 0, chacha, 4, 8);
        chacha[12] = 0;
        chacha[13] = constant;
        chacha[14] = (int) counter;
        chacha[15] = (int) (counter >>> 32);
        byte[] ks = st.keystream;
        int made = chacha20(chacha, ks);

        int adLen = ad == null ? 0 : ad.length;
        int at = pad16(adLen);
        int macLen = at + pad16(len) + 16;
        byte[] mac = st.mac;
        if (mac.length < macLen) {
            mac = st.mac = new byte[Math.max(macLen, 2 * mac.length)];
        }
        if (adLen > 0) {
            System.arraycopy(ad, 0, mac, 0, adLen);
        }
        Arrays.fill(mac, adLen, at, (byte) 0);
        src.get(srcOff, mac, at, len);
        Arrays.fill(mac, at + len, macLen - 16, (byte) 0);
        ARRAY_LONG.set(mac, macLen - 16, (long) adLen);
        ARRAY_LONG.set(mac, macLen - 8, (long) len);

        // Block 0's first 32 bytes are the one-time Poly1305 key (section 2.6); read them before
        // the keystream array is refilled.
        long r0 = (long) ARRAY_LONG.get(ks, 0), r1 = (long) ARRAY_LONG.get(ks, 8);
        long s0 = (long) ARRAY_LONG.get(ks, 16), s1 = (long) ARRAY_LONG.get(ks, 24);
        Arrays.fill(ks, 0, 32, (byte) 0); // the one-time key stays in locals only
        boolean ok = true;
        if (seal) {
            xorKeystream(chacha, ks, made, mac, at, len);
            long[] tag = authenticate(st, r0, r1, s0, s1, mac, macLen);
            dst.put(dstOff, mac, at, len);
            BUFFER_LONG.set(dst, dstOff + len, tag[0]);
            BUFFER_LONG.set(dst, dstOff + len + 8, tag[1]);
        } else {
            long t0 = (long) BUFFER_LONG.get(src, srcOff + len), t1 = (long) BUFFER_LONG.get(src, srcOff + len + 8);
            long[] tag = authenticate(st, r0, r1, s0, s1, mac, macLen);
            ok = ((tag[0] ^ t0) | (tag[1] ^ t1)) == 0;
            if (ok) {
                xorKeystream(chacha, ks, made, mac, at, len);
                dst.put(dstOff, mac, at, len);
            }
        }
        Arrays.fill(chacha, 4, 12, 0); // the key is not left behind in the thread's state
        return ok;
    }

    /** XORs data bytes {@code [off, off + len)} with the keystream from block 1 on. */
    private static void xorKeystream(int[] chacha, byte[] ks, int made, byte[] data, int off, int len) {
        int ksOff = BLOCK;
        int block = made / BLOCK;
        int end = off + len;
        while (off < end) {
            if (ksOff == made) {
                chacha[12] = block;
                made = chacha20(chacha, ks);
                block += made / BLOCK;
                ksOff = 0;
            }
            int n = Math.min(end - off, made - ksOff);
            int i = 0;
            for (; i <= n - 8; i += 8) {
                ARRAY_LONG.set(data, off + i, (long) ARRAY_LONG.get(data, off + i) ^ (long) ARRAY_LONG.get(ks, ksOff + i));
            }
            for (; i < n; i++) {
                data[off + i] ^= ks[ksOff + i];
            }
            off += n;
            ksOff += n;
        }
    }

    /**
     * Poly1305 of {@code mac[0, macLen)} (whole blocks) under key (r, s); returns the tag as two
     * little-endian longs in the thread's accumulator array (valid until the next call).
     */
    private static long[] authenticate(State st, long r0, long r1, long s0, long s1, byte[] mac, int macLen) {
        r0 &= 0x0FFFFFFC0FFFFFFFL; // clamp, section 2.5
        r1 &= 0x0FFFFFFC0FFFFFFCL;
        long[] r = st.r;
        r[0] = r0 & LIMB_MASK;
        r[1] = (r0 >>> 26) & LIMB_MASK;
        r[2] = ((r0 >>> 52) | (r1 << 12)) & LIMB_MASK;
        r[3] = (r1 >>> 14) & LIMB_MASK;
        r[4] = r1 >>> 40;
        long[] a = st.a;
        Arrays.fill(a, 0);
        try {
            POLY1305_BLOCKS.invokeExact(st.poly, mac, 0, macLen, a, r);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        Arrays.fill(r, 0);
        // The accumulator's limbs are carried but not fully reduced (they may be negative or a
        // little over 26 bits): carry them into [0, 2^26) each, folding 2^130 = 5 (mod p).
        long h0 = a[0], h1 = a[1], h2 = a[2], h3 = a[3], h4 = a[4];
        for (int pass = 0; pass < 4; pass++) {
            long c;
            c = h0 >> 26; h0 &= LIMB_MASK; h1 += c;
            c = h1 >> 26; h1 &= LIMB_MASK; h2 += c;
            c = h2 >> 26; h2 &= LIMB_MASK; h3 += c;
            c = h3 >> 26; h3 &= LIMB_MASK; h4 += c;
            c = h4 >> 26; h4 &= LIMB_MASK; h0 += c * 5;
            if (c == 0 && (h0 >>> 26) == 0) {
                break;
            }
        }
        // h < 2^130 now; subtract p = 2^130 - 5 once if h >= p, i.e. if h + 5 carries out of 2^130.
        long g0 = h0 + 5, c;
        c = g0 >> 26; g0 &= LIMB_MASK;
        long g1 = h1 + c; c = g1 >> 26; g1 &= LIMB_MASK;
        long g2 = h2 + c; c = g2 >> 26; g2 &= LIMB_MASK;
        long g3 = h3 + c; c = g3 >> 26; g3 &= LIMB_MASK;
        long g4 = h4 + c;
        long useG = -(g4 >>> 26); // all ones when h >= p (constant time)
        g4 &= LIMB_MASK;
        h0 = (h0 & ~useG) | (g0 & useG);
        h1 = (h1 & ~useG) | (g1 & useG);
        h2 = (h2 & ~useG) | (g2 & useG);
        h3 = (h3 & ~useG) | (g3 & useG);
        h4 = (h4 & ~useG) | (g4 & useG);
        long lo = h0 | (h1 << 26) | (h2 << 52);
        long hi = (h2 >>> 12) | (h3 << 14) | (h4 << 40);
        long t0 = lo + s0;
        long carry = Long.compareUnsigned(t0, lo) < 0 ? 1 : 0;
        a[0] = t0;
        a[1] = hi + s1 + carry;
        return a;
    }

    private static int chacha20(int[] state, byte[] keystream) {
        try {
            return (int) CHACHA20_BLOCK.invokeExact(state, keystream);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static int pad16(int n) {
        return (n + 15) & ~15;
    }

    /**
     * Seals and opens a range of lengths (every tail size, one and several keystream calls, with
     * and without AD) and compares with the scalar engine, which the RFC 8439 vectors pin down;
     * {@code null} when all agree. This runs before C2 has compiled anything, so it proves the
     * Java fallbacks and our use of the JDK's limb arrays; {@link EngineWarmUp} repeats the
     * comparison once the stubs are compiled in.
     */
    private static String knownAnswerFailure() {
        try {
            return EngineWarmUp.disagreement(INSTANCE, new int[] {0, 1, 15, 16, 17, 64, 65, 1420, 2100});
        } catch (RuntimeException | LinkageError e) {
            return e.toString();
        }
    }
}
