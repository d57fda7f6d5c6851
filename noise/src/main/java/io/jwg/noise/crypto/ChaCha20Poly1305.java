// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * jwg's own ChaCha20-Poly1305 (RFC 8439 section 2.8) with WireGuard's nonce (whitepaper 5.4.6):
 * the project's default {@link Aead}.
 *
 * <p>The work is done by an {@link Engine}, the first of these this JVM can run:
 * {@link IntrinsicChaCha20Poly1305} (the JDK's own ChaCha20 and Poly1305 assembly stubs; needs the
 * two {@code --add-opens} of {@link IntrinsicChaCha20Poly1305#OPENS}, which jwg's launcher sets),
 * {@link VectorChaCha20Poly1305} (Vector API, AVX2-class CPUs; needs
 * {@code --add-modules jdk.incubator.vector}), else the portable {@link ScalarChaCha20Poly1305}.
 * The fast engines are slow until the JIT has compiled them (the vector one a thousand times), so
 * the JVM starts on the scalar engine and switches once a background thread has warmed the
 * preferred engine up and checked it against the scalar one ({@link EngineWarmUp}, a few seconds of
 * one core at start-up; {@link #awaitWarmUp} waits for it). All engines run on heap and direct
 * buffers, in place or not, allocate nothing per call (after a thread's first) and keep no state
 * between calls, so one instance may seal and open on any number of threads at once. Only
 * writable direct buffers, the data path's, go to the fast engines; heap and read-only ones take
 * the scalar engine. The only field besides the key is the
 * nonce's 32-bit constant, which WireGuard sets to zero; RFC test vectors use other values.
 *
 * <p>Bad input never throws: {@link #open} returns {@code false} for short or forged packets.
 * Ranges outside the buffers' limits and read-only destinations are programming errors and throw.
 */
public final class ChaCha20Poly1305 implements Aead {

    /** The provider of this implementation, named {@code "jwg"}. */
    public static final AeadProvider PROVIDER = provider("jwg", null);

    /** One-shot seal/open over a key schedule; implementations are stateless singletons. */
    interface Engine {
        /** Short name for logs and benchmark tables. */
        String name();

        /**
         * Seals ({@code len} plaintext bytes, tag written after them) or opens ({@code len}
         * ciphertext bytes followed by their tag, already bounds-checked).
         *
         * @return {@code false} when opening and the tag does not verify
         */
        boolean crypt(boolean seal, int[] key, int constant, long counter, byte[] ad,
                ByteBuffer src, int srcOff, ByteBuffer dst, int dstOff, int len);
    }

    /** The engine after warm-up: the intrinsic one, else the vector one, else the scalar one. */
    private static final Engine PREFERRED_ENGINE = chooseEngine();
    /** What instances without a fixed engine use now; becomes PREFERRED_ENGINE after warm-up. */
    private static volatile Engine currentEngine = ScalarChaCha20Poly1305.INSTANCE;
    private static final EngineWarmUp WARM_UP = PREFERRED_ENGINE == ScalarChaCha20Poly1305.INSTANCE
            ? null
            : EngineWarmUp.start(PREFERRED_ENGINE, engine -> currentEngine = engine);

    private static final VarHandle ARRAY_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final int[] key = new int[8];
    private final int constant;
    /** A fixed engine, or {@code null} for the JVM's current one. */
    private final Engine engine;

    /** Binds a new instance to a copy of the 32-byte {@code key}. */
    public ChaCha20Poly1305(byte[] key) {
        this(key, 0, null);
    }

    /**
     * @param constant the first 32 bits of RFC 8439's 96-bit nonce, as a little-endian int;
     *     WireGuard uses 0
     * @param engine a fixed engine, or {@code null} for the JVM's current one
     */
    ChaCha20Poly1305(byte[] key, int constant, Engine engine) {
        if (key.length != KEY_SIZE) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 key must be 32 bytes, got " + key.length);
        }
        for (int i = 0; i < 8; i++) {
            this.key[i] = (int) ARRAY_INT.get(key, 4 * i);
        }
        this.constant = constant;
        this.engine = engine;
    }

    /** The engine instances use right now: {@code "intrinsic"}, {@code "vector"} or {@code "scalar"}. */
    public static String currentEngineName() {
        return currentEngine.name();
    }

    /** The engine this JVM uses once warmed up: {@code "intrinsic"}, {@code "vector"} or {@code "scalar"}. */
    public static String preferredEngineName() {
        return PREFERRED_ENGINE.name();
    }

    /**
     * Waits until the preferred engine serves packets (or its warm-up gave up); returns at once
     * where there is nothing to warm up. Benchmarks call it so that they measure the steady state.
     *
     * @return {@code false} if the wait timed out
     */
    public static boolean awaitWarmUp(long timeout, TimeUnit unit) throws InterruptedException {
        return WARM_UP == null || WARM_UP.await(timeout, unit);
    }

    /** A provider of this class on a given engine; {@code null} means the JVM's default. */
    static AeadProvider provider(String name, Engine engine) {
        return new AeadProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Aead create(byte[] key) {
                return new ChaCha20Poly1305(key, 0, engine);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    @Override
    public void seal(long counter, byte[] ad, ByteBuffer src, int srcOff, int len, ByteBuffer dst, int dstOff) {
        Objects.checkFromIndexSize(srcOff, len, src.limit());
        Objects.checkFromIndexSize(dstOff, len + TAG_SIZE, dst.limit());
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        engineFor(src, dst).crypt(true, key, constant, counter, ad, src, srcOff, dst, dstOff, len);
    }

    @Override
    public boolean open(long counter, byte[] ad, ByteBuffer src, int srcOff, int len, ByteBuffer dst, int dstOff) {
        if (len < TAG_SIZE) {
            return false;
        }
        Objects.checkFromIndexSize(srcOff, len, src.limit());
        Objects.checkFromIndexSize(dstOff, len - TAG_SIZE, dst.limit());
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        return engineFor(src, dst).crypt(false, key, constant, counter, ad, src, srcOff, dst, dstOff, len - TAG_SIZE);
    }

    /**
     * The fixed engine, else the current one; but heap and read-only buffers always take the scalar
     * engine. The fast engines are JIT-compiled for the data path's writable direct buffers: one
     * call with another buffer class makes C2 throw that code away and recompile it for mixed types
     * (25% slower, measured on the vector engine), and until then it runs interpreted.
     */
    private Engine engineFor(ByteBuffer src, ByteBuffer dst) {
        if (engine != null) {
            return engine;
        }
        Engine e = currentEngine;
        if (e != ScalarChaCha20Poly1305.INSTANCE && !(src.isDirect() && dst.isDirect() && !src.isReadOnly())) {
            return ScalarChaCha20Poly1305.INSTANCE;
        }
        return e;
    }

    @Override
    public void close() {
        Arrays.fill(key, 0);
    }

    /**
     * The intrinsic engine needs access to two JDK-internal packages; the Vector API engine needs
     * the incubator module at run time and a CPU on which 256-bit vectors are native (the Vector
     * API's Java fallback would be far slower than plain ints); anything else gets the scalar one.
     */
    private static Engine chooseEngine() {
        if (IntrinsicChaCha20Poly1305.isSupported()) {
            return IntrinsicChaCha20Poly1305.INSTANCE;
        }
        Engine vector = vectorEngine();
        return vector != null ? vector : ScalarChaCha20Poly1305.INSTANCE;
    }

    /** The Vector API engine, or {@code null} where this JVM cannot run it natively. */
    static Engine vectorEngine() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                if (VectorChaCha20Poly1305.isSupported()) {
                    return VectorChaCha20Poly1305.INSTANCE;
                }
            } catch (LinkageError e) {
                // the module is there but unusable
            }
        }
        return null;
    }
}
