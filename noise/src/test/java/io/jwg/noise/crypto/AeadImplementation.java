// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

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

    /** All implementations this JVM can run (the vector engine needs the incubator module and AVX2). */
    static List<AeadImplementation> all() {
        boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                && VectorChaCha20Poly1305.isSupported();
        return vector ? List.of(JWG_VECTOR, JWG_SCALAR, JDK, BOUNCY_CASTLE) : List.of(JWG_SCALAR, JDK, BOUNCY_CASTLE);
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

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }
}
