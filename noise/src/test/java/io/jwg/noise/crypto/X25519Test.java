// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * X25519 known answers from RFC 7748 sections 5.2 and 6.1, RFC 7748's decoding rules for
 * non-canonical u, the zero-result rejection for every small-order point, and agreement with
 * BouncyCastle's implementation on random inputs.
 */
class X25519Test {
    private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
    /** Random (scalar, u) pairs and base multiplications compared with BouncyCastle. */
    private static final int CROSS_CHECKS = 100_000;

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
        // This u has bit 255 set: it must be masked, not reduced.
        assertEquals("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957",
                dh("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
                        "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"));
    }

    /** RFC 7748 section 5.2's iteration: k, u = X25519(k, u), k, starting from k = u = 9. */
    private static byte[] iterate(int times, int checkAt, String expectedAt) {
        byte[] k = new byte[32];
        byte[] u = new byte[32];
        k[0] = 9;
        u[0] = 9;
        byte[] r = new byte[32];
        for (int i = 1; i <= times; i++) {
            X25519.sharedSecret(k, u, r);
            System.arraycopy(k, 0, u, 0, 32);
            System.arraycopy(r, 0, k, 0, 32);
            if (i == checkAt) {
                assertEquals(expectedAt, Bytes.toHex(k));
            }
        }
        return k;
    }

    @Test
    void iteratedScalarMultiplicationMatchesRfc7748Section52() {
        byte[] k = iterate(1000, 1, "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079");
        assertEquals("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51", Bytes.toHex(k));
    }

    /** About a minute: run with -Djwg.test.x25519.million=true. */
    @Test
    @EnabledIfSystemProperty(named = "jwg.test.x25519.million", matches = "true")
    void millionIterationsMatchRfc7748Section52() {
        byte[] k = iterate(1_000_000, 1000, "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51");
        assertEquals("7c3911e0ab2586fd864497297e575e6f3bc601c0883c30df5f4dd2d24f665424", Bytes.toHex(k));
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

    private static byte[] littleEndian(BigInteger v) {
        byte[] out = new byte[32];
        for (int i = 0; i < 32; i++) {
            out[i] = v.shiftRight(8 * i).byteValue();
        }
        return out;
    }

    /**
     * Every 32-byte encoding of a point of order 1, 2, 4 or 8 as RFC 7748 decodes it: the five
     * canonical u (0, 1, the two of order 8, p - 1), the two below 2^255 that exceed p (p, p + 1),
     * and all of these with bit 255 set, which decoding masks.
     */
    static List<byte[]> smallOrderEncodings() {
        List<BigInteger> values = new ArrayList<>();
        for (String canonical : new String[] {"0", "1",
                "325606250916557431795983626356110631294008115727848805560023387167927233504",
                "39382357235489614581723060781553021112529911719440698176882885853963445705823"}) {
            values.add(new BigInteger(canonical));
        }
        values.add(P.subtract(BigInteger.ONE));
        values.add(P);
        values.add(P.add(BigInteger.ONE));
        List<byte[]> encodings = new ArrayList<>();
        for (BigInteger v : values) {
            encodings.add(littleEndian(v));
            encodings.add(littleEndian(v.setBit(255)));
        }
        return encodings;
    }

    /** RFC 7748 section 6.1: a zero shared secret (low-order point) must be detected and rejected. */
    @Test
    void everySmallOrderPointGivesARejectedZeroSecret() {
        SplittableRandom random = new SplittableRandom(1);
        List<byte[]> encodings = smallOrderEncodings();
        assertEquals(14, encodings.size());
        for (int round = 0; round < 20; round++) {
            byte[] priv = new byte[32];
            random.nextBytes(priv); // clamping happens inside, as for any private key
            for (byte[] u : encodings) {
                byte[] out = new byte[32];
                java.util.Arrays.fill(out, (byte) 0x55);
                assertFalse(X25519.sharedSecret(priv, u, out), Bytes.toHex(u));
                assertTrue(Bytes.isZero(out));
            }
        }
    }

    /** RFC 7748 section 5: bit 255 of u is ignored, and u in [p, 2^255) means u - p. */
    @Test
    void nonCanonicalPublicKeysDecodeAsRfc7748Says() {
        SplittableRandom random = new SplittableRandom(2);
        byte[] priv = new byte[32];
        byte[] expected = new byte[32];
        byte[] actual = new byte[32];
        for (int i = 0; i < 200; i++) {
            random.nextBytes(priv);
            byte[] u = new byte[32];
            random.nextBytes(u);
            u[31] &= 0x7f;
            byte[] high = u.clone();
            high[31] |= (byte) 0x80;
            assertEquals(X25519.sharedSecret(priv, u, expected), X25519.sharedSecret(priv, high, actual));
            assertArrayEquals(expected, actual);

            BigInteger small = BigInteger.valueOf(2 + random.nextInt(17)); // u + p < 2^255
            X25519.sharedSecret(priv, littleEndian(small), expected);
            assertTrue(X25519.sharedSecret(priv, littleEndian(small.add(P)), actual));
            assertArrayEquals(expected, actual);
            assertTrue(X25519.sharedSecret(priv, littleEndian(small.add(P).setBit(255)), actual));
            assertArrayEquals(expected, actual);
        }
    }

    @Test
    void agreesWithBouncyCastleOnRandomScalarsAndPoints() {
        SplittableRandom random = new SplittableRandom(3);
        byte[] k = new byte[32];
        byte[] u = new byte[32];
        byte[] ours = new byte[32];
        byte[] theirs = new byte[32];
        for (int i = 0; i < CROSS_CHECKS; i++) {
            random.nextBytes(k);
            random.nextBytes(u); // bit 255 set half the time
            if (i % 16 == 0) {
                // Some u in [p, 2^255), which decoding must take as u - p.
                java.util.Arrays.fill(u, 1, 31, (byte) 0xff);
                u[0] = (byte) (0xed + random.nextInt(19));
                u[31] = (byte) (0x7f | (random.nextInt(2) << 7));
            }
            boolean nonZero = X25519.sharedSecret(k, u, ours);
            org.bouncycastle.math.ec.rfc7748.X25519.scalarMult(k, 0, u, 0, theirs, 0);
            assertArrayEquals(theirs, ours, () -> "k=" + Bytes.toHex(k) + " u=" + Bytes.toHex(u));
            assertEquals(!Bytes.isZero(theirs), nonZero);
        }
    }

    @Test
    void publicKeysAgreeWithBouncyCastleAndWithTheLadder() {
        SplittableRandom random = new SplittableRandom(4);
        byte[] k = new byte[32];
        byte[] theirs = new byte[32];
        byte[] nine = new byte[32];
        nine[0] = 9;
        byte[] ladder = new byte[32];
        for (int i = 0; i < CROSS_CHECKS; i++) {
            random.nextBytes(k);
            byte[] ours = X25519.publicFromPrivate(k);
            org.bouncycastle.math.ec.rfc7748.X25519.scalarMultBase(k, 0, theirs, 0);
            assertArrayEquals(theirs, ours, () -> "k=" + Bytes.toHex(k));
            if (i % 100 == 0) {
                assertTrue(X25519.sharedSecret(k, nine, ladder));
                assertArrayEquals(ladder, ours);
            }
        }
    }

    @Test
    void publicFromPrivateLeavesThePrivateKeyAlone() {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) 0xff);
        X25519.publicFromPrivate(k);
        byte[] out = new byte[32];
        X25519.sharedSecret(k, X25519.publicFromPrivate(new byte[32]), out);
        for (byte b : k) {
            assertEquals((byte) 0xff, b);
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
