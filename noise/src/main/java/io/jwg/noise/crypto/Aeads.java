// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import java.util.List;
import java.util.Locale;

/**
 * The registry of {@link AeadProvider}s: jwg's own {@link ChaCha20Poly1305} (the default and the
 * fastest, see benchmarks/aead.sh), the JDK's and BouncyCastle's. The system property
 * {@value #PROPERTY} ({@code jwg|jwg-scalar|jdk|bouncycastle}) switches the data path's choice at
 * start-up.
 */
public final class Aeads {

    /** System property naming the provider {@link #configured()} returns. */
    public static final String PROPERTY = "jwg.aead";

    /** jwg's implementation forced onto its portable engine, for comparisons. */
    public static final AeadProvider JWG_SCALAR =
            ChaCha20Poly1305.provider("jwg-scalar", ScalarChaCha20Poly1305.INSTANCE);

    private static final List<AeadProvider> ALL =
            List.of(ChaCha20Poly1305.PROVIDER, JWG_SCALAR, JdkAead.PROVIDER, BouncyCastleAead.PROVIDER);

    private Aeads() {}

    /** The fastest implementation: jwg's own. */
    public static AeadProvider fastest() {
        return ChaCha20Poly1305.PROVIDER;
    }

    /** Every known provider, the default first. */
    public static List<AeadProvider> all() {
        return ALL;
    }

    /**
     * The provider called {@code name} ({@code "jwg"}, {@code "jwg-scalar"}, {@code "jdk"},
     * {@code "bouncycastle"}; case-insensitive, {@code "bc"} also accepted).
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static AeadProvider byName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("bc")) {
            n = "bouncycastle";
        }
        for (AeadProvider p : ALL) {
            if (p.name().equals(n)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown AEAD implementation '" + name + "'; known: jwg, jwg-scalar, jdk, bouncycastle");
    }

    /** The provider named by the system property {@value #PROPERTY}, or {@link #fastest()}. */
    public static AeadProvider configured() {
        String name = System.getProperty(PROPERTY);
        return name == null || name.isBlank() ? fastest() : byName(name);
    }
}
