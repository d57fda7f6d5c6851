// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import java.util.ArrayList;
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

    /**
     * The comparison providers are made on first use only: the JDK's loads the security-provider
     * tables and BouncyCastle's needs that optional library, neither of which a device uses.
     */
    private static final class All {
        static final List<AeadProvider> LIST = list();

        private static List<AeadProvider> list() {
            List<AeadProvider> list = new ArrayList<>(List.of(ChaCha20Poly1305.PROVIDER));
            if (IntrinsicChaCha20Poly1305.isSupported()) {
                list.add(ChaCha20Poly1305.provider("jwg-intrinsic", IntrinsicChaCha20Poly1305.INSTANCE));
            }
            ChaCha20Poly1305.Engine vector = ChaCha20Poly1305.vectorEngine();
            if (vector != null) {
                list.add(ChaCha20Poly1305.provider("jwg-vector", vector));
            }
            list.add(JWG_SCALAR);
            list.add(JdkAead.PROVIDER);
            try {
                list.add(BouncyCastleAead.PROVIDER);
            } catch (NoClassDefFoundError e) {
                // no BouncyCastle here
            }
            return List.copyOf(list);
        }
    }

    private Aeads() {}

    /** The fastest implementation: jwg's own. */
    public static AeadProvider fastest() {
        return ChaCha20Poly1305.PROVIDER;
    }

    /** Every known provider, the default first. */
    public static List<AeadProvider> all() {
        return All.LIST;
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
        if (n.equals(ChaCha20Poly1305.PROVIDER.name())) {
            return ChaCha20Poly1305.PROVIDER;
        }
        for (AeadProvider p : All.LIST) {
            if (p.name().equals(n)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown AEAD implementation '" + name + "'; known: jwg, jwg-scalar, jdk, "
                + "bouncycastle (with BouncyCastle on the classpath)");
    }

    /** The provider named by the system property {@value #PROPERTY}, or {@link #fastest()}. */
    public static AeadProvider configured() {
        String name = System.getProperty(PROPERTY);
        return name == null || name.isBlank() ? fastest() : byName(name);
    }
}
