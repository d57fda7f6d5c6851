// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** X25519 known answers from RFC 7748 sections 5.2 and 6.1, and the zero-result rejection. */
class X25519Test {

    private static String dh(String scalar, String u) {
        byte[] out = new byte[32];
        X25519.sharedSecret(Bytes.fromHex(scalar), Bytes.fromHex(u), out);
        return Bytes.toHex(out);
    }

    @Test
    void scalarMultiplicationMatchesRfc7748Section52() {
        assertEquals("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552",
                dh("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
                        "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"));
    }

    @Test
    void iteratedScalarMultiplicationMatchesRfc7748Section52() {
        byte[] k = new byte[32];
        byte[] u = new byte[32];
        k[0] = 9;
        u[0] = 9;
        byte[] r = new byte[32];
        for (int i = 1; i <= 1000; i++) {
            X25519.sharedSecret(k, u, r);
            System.arraycopy(k, 0, u, 0, 32);
            System.arraycopy(r, 0, k, 0, 32);
            if (i == 1) {
                assertEquals("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079", Bytes.toHex(k));
            }
        }
        assertEquals("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51", Bytes.toHex(k));
    }

    @Test
    void diffieHellmanMatchesRfc7748Section61() {
        String alicePriv = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
        String bobPriv = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
        String alicePub = Bytes.toHex(X25519.publicFromPrivate(Bytes.fromHex(alicePriv)));
        String bobPub = Bytes.toHex(X25519.publicFromPrivate(Bytes.fromHex(bobPriv)));
        assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", alicePub);
        assertEquals("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", bobPub);
        String shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
        assertEquals(shared, dh(alicePriv, bobPub));
        assertEquals(shared, dh(bobPriv, alicePub));
    }

    /** RFC 7748 section 6.1: a zero shared secret (low-order point) must be detected and rejected. */
    @Test
    void lowOrderPointsGiveARejectedZeroSecret() {
        byte[] priv = X25519.generatePrivateKey(new SplittableRandom(1));
        String[] lowOrder = {
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0100000000000000000000000000000000000000000000000000000000000000",
            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
            "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        };
        for (String p : lowOrder) {
            byte[] out = new byte[32];
            assertFalse(X25519.sharedSecret(priv, Bytes.fromHex(p), out), p);
            assertTrue(Bytes.isZero(out));
        }
    }

    @Test
    void generatedKeysAreClamped() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100; i++) {
            byte[] k = X25519.generatePrivateKey(random);
            assertEquals(0, k[0] & 7);
            assertEquals(0x40, k[31] & 0xc0);
        }
    }
}
