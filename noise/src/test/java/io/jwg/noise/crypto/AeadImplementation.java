// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The ChaCha20-Poly1305 implementations under test, each able to use any RFC 8439 nonce constant
 * (WireGuard's is 0, some RFC vectors need another), plus hex helpers for the tests.
 */
record AeadImplementation(String name, BiFunction<byte[], Integer, Aead> factory) {

    static final AeadImplementation JWG_VECTOR = new AeadImplementation("jwg-vector",
            (key, constant) -> new ChaCha20Poly1305(key, constant, VectorChaCha20Poly1305.INSTANCE));
    static final AeadImplementation JWG_SCALAR = new AeadImplementation("jwg-scalar",
            (key, constant) -> new ChaCha20Poly1305(key, constant, ScalarChaCha20Poly1305.INSTANCE));
    static final AeadImplementation JDK = new AeadImplementation("jdk", JdkAead::new);
    static final AeadImplementation BOUNCY_CASTLE = new AeadImplementation("bouncycastle", BouncyCastleAead::new);

    static final AeadImplementation JWG_INTRINSIC = new AeadImplementation("jwg-intrinsic",
            (key, constant) -> new ChaCha20Poly1305(key, constant, IntrinsicChaCha20Poly1305.INSTANCE));

    /**
     * All implementations this JVM can run (the vector engine needs the incubator module and AVX2,
     * the intrinsic one the launcher's add-opens; surefire's JVM has both).
     */
    static List<AeadImplementation> all() {
        List<AeadImplementation> all = new ArrayList<>();
        if (IntrinsicChaCha20Poly1305.isSupported()) {
            all.add(JWG_INTRINSIC);
        }
        if (ChaCha20Poly1305.vectorEngine() != null) {
            all.add(JWG_VECTOR);
        }
        all.addAll(List.of(JWG_SCALAR, JDK, BOUNCY_CASTLE));
        return all;
    }

    Aead create(byte[] key) {
        return factory.apply(key, 0);
    }

    Aead create(byte[] key, int constant) {
        return factory.apply(key, constant);
    }

    @Override
    public String toString() {
        return name;
    }

    /** {@code n} bytes of {@code value}: all-0xFF data drives the Poly1305 accumulator highest. */
    static byte[] filled(int n, byte value) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, value);
        return b;
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }
}
