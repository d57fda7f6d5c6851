// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AeadsTest {

    @Test
    void fastestIsJwgsOwnImplementation() {
        assertSame(ChaCha20Poly1305.PROVIDER, Aeads.fastest());
        assertEquals("jwg", Aeads.fastest().name());
    }

    @Test
    void byNameFindsEveryProviderIgnoringCase() {
        assertSame(JdkAead.PROVIDER, Aeads.byName("JDK"));
        assertSame(BouncyCastleAead.PROVIDER, Aeads.byName("bouncycastle"));
        assertSame(BouncyCastleAead.PROVIDER, Aeads.byName("bc"));
        assertSame(ChaCha20Poly1305.PROVIDER, Aeads.byName(" jwg "));
        assertSame(Aeads.JWG_SCALAR, Aeads.byName("jwg-scalar"));
        for (AeadProvider p : Aeads.all()) {
            assertSame(p, Aeads.byName(p.name()));
        }
    }

    @Test
    void unknownNameIsRejectedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Aeads.byName("rot13"));
        assertEquals(true, e.getMessage().contains("bouncycastle"));
    }

    @Test
    void systemPropertySelectsTheConfiguredProvider() {
        String old = System.getProperty(Aeads.PROPERTY);
        try {
            System.setProperty(Aeads.PROPERTY, "jdk");
            assertSame(JdkAead.PROVIDER, Aeads.configured());
            System.clearProperty(Aeads.PROPERTY);
            assertSame(ChaCha20Poly1305.PROVIDER, Aeads.configured());
        } finally {
            if (old == null) {
                System.clearProperty(Aeads.PROPERTY);
            } else {
                System.setProperty(Aeads.PROPERTY, old);
            }
        }
    }

    @Test
    void intrinsicEngineIsPreferredWithTheLaunchersFlagsAndTakesOverAfterWarmUp() throws InterruptedException {
        // surefire's JVM has the launcher's add-opens (and the incubator module). The JDK-internal
        // methods are those of JDK 25, the JDK these machines and CI run; an older JDK may lack
        // them, and then the fallback is correct behaviour, not a failure.
        if (Runtime.version().feature() >= 25) {
            assertTrue(IntrinsicChaCha20Poly1305.isSupported(), IntrinsicChaCha20Poly1305.unsupportedReason());
        }
        assertEquals(IntrinsicChaCha20Poly1305.isSupported() ? "intrinsic"
                : ChaCha20Poly1305.vectorEngine() != null ? "vector" : "scalar", ChaCha20Poly1305.preferredEngineName());
        assertTrue(ChaCha20Poly1305.awaitWarmUp(2, TimeUnit.MINUTES), "warm-up did not end");
        assertEquals(ChaCha20Poly1305.preferredEngineName(), ChaCha20Poly1305.currentEngineName());
    }

    @Test
    void defaultInstanceHandlesHeapDirectAndReadOnlyBuffersAlike() throws InterruptedException {
        ChaCha20Poly1305.awaitWarmUp(2, TimeUnit.MINUTES);
        byte[] key = new byte[32];
        key[0] = 42;
        byte[] pt = new byte[777];
        java.util.Arrays.fill(pt, (byte) 7);
        java.nio.ByteBuffer expected = java.nio.ByteBuffer.allocate(pt.length + Aead.TAG_SIZE);
        try (Aead reference = JdkAead.PROVIDER.create(key); Aead aead = Aeads.fastest().create(key)) {
            reference.seal(3, null, java.nio.ByteBuffer.wrap(pt), 0, pt.length, expected, 0);
            java.nio.ByteBuffer[] sources = {java.nio.ByteBuffer.wrap(pt),
                    java.nio.ByteBuffer.allocateDirect(pt.length).put(0, pt),
                    java.nio.ByteBuffer.allocateDirect(pt.length).put(0, pt).asReadOnlyBuffer()};
            for (java.nio.ByteBuffer src : sources) {
                for (boolean directDst : new boolean[] {false, true}) {
                    java.nio.ByteBuffer dst = directDst ? java.nio.ByteBuffer.allocateDirect(pt.length + 16)
                            : java.nio.ByteBuffer.allocate(pt.length + 16);
                    aead.seal(3, null, src, 0, pt.length, dst, 0);
                    assertEquals(expected, dst.clear(), src + " -> " + dst);
                }
            }
        }
    }

    @Test
    void nonceReuseOnSealIsReportedByTheLibraryBackedImplementations() {
        for (AeadProvider p : new AeadProvider[] {JdkAead.PROVIDER, BouncyCastleAead.PROVIDER}) {
            try (Aead aead = p.create(new byte[32])) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(64);
                aead.seal(1, null, buf, 0, 10, buf, 20);
                assertThrows(IllegalStateException.class, () -> aead.seal(1, null, buf, 0, 10, buf, 20), p.name());
            }
        }
    }
}
