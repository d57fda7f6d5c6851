// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import static io.jwg.noise.crypto.AeadImplementation.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 8439 vectors and the {@link Aead} contract, for every implementation. */
class AeadTest {

    static List<AeadImplementation> implementations() {
        return AeadImplementation.all();
    }

    private static final byte[] SUNSCREEN = ("Ladies and Gentlemen of the class of '99: If I could offer you only one"
            + " tip for the future, sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);

    /** Seals {@code pt} into a fresh heap buffer; returns ciphertext || tag. */
    private static byte[] seal(Aead aead, long counter, byte[] ad, byte[] pt) {
        ByteBuffer out = ByteBuffer.allocate(pt.length + Aead.TAG_SIZE);
        aead.seal(counter, ad, ByteBuffer.wrap(pt), 0, pt.length, out, 0);
        return out.array();
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void sealsAndOpensTheRfc8439Section282Vector(AeadImplementation impl) {
        byte[] key = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        byte[] ad = hex("50515253c0c1c2c3c4c5c6c7");
        // nonce 07000000 4041424344454647: constant 7, counter 0x4746454443424140
        byte[] expected = hex("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
                + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
                + "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                + "3ff4def08e4b7a9de576d26586cec64b6116" + "1ae10b594f09e26a7e902ecbd0600691");
        try (Aead aead = impl.create(key, 7)) {
            assertArrayEquals(expected, seal(aead, 0x4746454443424140L, ad, SUNSCREEN));
            ByteBuffer pt = ByteBuffer.allocate(SUNSCREEN.length);
            assertTrue(aead.open(0x4746454443424140L, ad, ByteBuffer.wrap(expected), 0, expected.length, pt, 0));
            assertArrayEquals(SUNSCREEN, pt.array());
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void opensTheRfc8439AppendixA5Vector(AeadImplementation impl) {
        byte[] key = hex("1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0");
        byte[] ad = hex("f33388860000000000004e91");
        byte[] sealed = hex("64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb2"
                + "4c6cfc18755d43eea09ee94e382d26b0bdb7b73c321b0100d4f03b7f355894cf"
                + "332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f982b1ff37c855"
                + "9797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4"
                + "b9166c767b804d46a59b5216cde7a4e99040c5a40433225ee282a1b0a06c523e"
                + "af4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b422273f548271a"
                + "0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a10"
                + "49e617d91d361094fa68f0ff77987130305beaba2eda04df997b714d6c6f2c29"
                + "a6ad5cb4022b02709b" + "eead9d67890cbb22392336fea1851f38");
        byte[] plaintext = hex("496e7465726e65742d4472616674732061726520647261667420646f63756d65"
                + "6e74732076616c696420666f722061206d6178696d756d206f6620736978206d"
                + "6f6e74687320616e64206d617920626520757064617465642c207265706c6163"
                + "65642c206f72206f62736f6c65746564206279206f7468657220646f63756d65"
                + "6e747320617420616e792074696d652e20497420697320696e617070726f7072"
                + "6961746520746f2075736520496e7465726e65742d4472616674732061732072"
                + "65666572656e6365206d6174657269616c206f7220746f206369746520746865"
                + "6d206f74686572207468616e206173202fe2809c776f726b20696e2070726f67"
                + "726573732e2fe2809d");
        // nonce 00000000 0102030405060708: WireGuard's layout, counter 0x0807060504030201
        try (Aead aead = impl.create(key)) {
            ByteBuffer direct = ByteBuffer.allocateDirect(sealed.length).put(0, sealed);
            assertTrue(aead.open(0x0807060504030201L, ad, direct, 0, sealed.length, direct, 0));
            byte[] got = new byte[plaintext.length];
            direct.get(0, got);
            assertArrayEquals(plaintext, got);
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void keystreamIsTheRfc8439Section232ChaCha20Block(AeadImplementation impl) {
        // key 00..1f, nonce 00000009 0000004a 00000000, block counter 1 = the first data block
        byte[] key = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        byte[] block = hex("10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
                + "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e");
        try (Aead aead = impl.create(key, 0x09000000)) {
            byte[] sealed = seal(aead, 0x4a000000L, null, new byte[64]);
            byte[] keystream = new byte[64];
            System.arraycopy(sealed, 0, keystream, 0, 64);
            assertArrayEquals(block, keystream);
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void encryptsTheRfc8439Section242Vector(AeadImplementation impl) {
        byte[] key = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        byte[] expected = hex("6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
                + "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
                + "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
                + "5af90bbf74a35be6b40b8eedf2785e42874d");
        try (Aead aead = impl.create(key)) {
            byte[] sealed = seal(aead, 0x4a000000L, null, SUNSCREEN);
            byte[] ct = new byte[SUNSCREEN.length];
            System.arraycopy(sealed, 0, ct, 0, ct.length);
            assertArrayEquals(expected, ct);
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void rejectsEverySingleBitFlipOfCiphertextOrTag(AeadImplementation impl) {
        Random random = new Random(42);
        byte[] key = new byte[32];
        random.nextBytes(key);
        try (Aead aead = impl.create(key)) {
            for (int size : new int[] {0, 1, 15, 16, 63, 64, 65, 100}) {
                byte[] pt = new byte[size];
                random.nextBytes(pt);
                byte[] sealed = seal(aead, size, null, pt);
                ByteBuffer out = ByteBuffer.allocate(size);
                assertTrue(aead.open(size, null, ByteBuffer.wrap(sealed.clone()), 0, sealed.length, out, 0));
                for (int bit = 0; bit < 8 * sealed.length; bit++) {
                    byte[] forged = sealed.clone();
                    forged[bit >>> 3] ^= (byte) (1 << (bit & 7));
                    assertFalse(aead.open(size, null, ByteBuffer.wrap(forged), 0, forged.length, out, 0),
                            "size " + size + ", bit " + bit);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void forgedPacketIsNotDecryptedIntoTheDestination(AeadImplementation impl) {
        try (Aead aead = impl.create(new byte[32])) {
            for (int size : new int[] {10, 700}) {
                byte[] sealed = seal(aead, size, null, new byte[size]);
                sealed[size] ^= 1; // tag
                ByteBuffer dst = ByteBuffer.allocateDirect(size);
                for (int i = 0; i < size; i++) {
                    dst.put(i, (byte) 0x3c);
                }
                assertFalse(aead.open(size, null, ByteBuffer.wrap(sealed), 0, sealed.length, dst, 0));
                for (int i = 0; i < size; i++) {
                    assertEquals((byte) 0x3c, dst.get(i), "byte " + i);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void rejectsWrongCounterOrAssociatedData(AeadImplementation impl) {
        try (Aead aead = impl.create(new byte[32])) {
            byte[] sealed = seal(aead, 5, new byte[] {1, 2, 3}, new byte[40]);
            ByteBuffer out = ByteBuffer.allocate(40);
            assertTrue(aead.open(5, new byte[] {1, 2, 3}, ByteBuffer.wrap(sealed), 0, sealed.length, out, 0));
            assertFalse(aead.open(6, new byte[] {1, 2, 3}, ByteBuffer.wrap(sealed), 0, sealed.length, out, 0));
            assertFalse(aead.open(5, new byte[] {1, 2, 4}, ByteBuffer.wrap(sealed), 0, sealed.length, out, 0));
            assertFalse(aead.open(5, null, ByteBuffer.wrap(sealed), 0, sealed.length, out, 0));
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void shortOrTruncatedInputIsRejectedWithoutThrowing(AeadImplementation impl) {
        try (Aead aead = impl.create(new byte[32])) {
            byte[] sealed = seal(aead, 1, null, new byte[20]);
            for (ByteBuffer buf : new ByteBuffer[] {ByteBuffer.wrap(sealed.clone()),
                    ByteBuffer.allocateDirect(sealed.length).put(0, sealed)}) {
                ByteBuffer out = ByteBuffer.allocate(64);
                for (int len = 0; len < sealed.length; len++) {
                    assertFalse(aead.open(1, null, buf, 0, len, out, 0), "length " + len);
                }
                assertFalse(aead.open(1, null, buf, 0, -1, out, 0));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void countersNearTwoToThe64MatchAnIndependentImplementation(AeadImplementation impl) {
        byte[] key = new byte[32];
        new Random(7).nextBytes(key);
        byte[] pt = new byte[300];
        new Random(8).nextBytes(pt);
        // the JDK (and BouncyCastle) refuse a second seal with one key and nonce on a thread
        AeadImplementation other = impl == AeadImplementation.JDK ? AeadImplementation.BOUNCY_CASTLE : AeadImplementation.JDK;
        try (Aead aead = impl.create(key); Aead reference = other.create(key)) {
            for (long counter : new long[] {-1L, -2L, Long.MIN_VALUE, Long.MAX_VALUE, 0xFFFFFFFFL, 0x1_0000_0000L}) {
                byte[] sealed = seal(aead, counter, null, pt);
                assertArrayEquals(seal(reference, counter, null, pt), sealed, Long.toUnsignedString(counter));
                ByteBuffer out = ByteBuffer.allocate(pt.length);
                assertTrue(aead.open(counter, null, ByteBuffer.wrap(sealed), 0, sealed.length, out, 0));
                assertArrayEquals(pt, out.array());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void leavesPositionLimitAndBytesOutsideTheRangesAlone(AeadImplementation impl) {
        try (Aead aead = impl.create(new byte[32])) {
            ByteBuffer buf = ByteBuffer.allocateDirect(200);
            for (int i = 0; i < 200; i++) {
                buf.put(i, (byte) 0x5a);
            }
            buf.position(150).limit(190);
            aead.seal(3, null, buf, 10, 50, buf, 10);
            assertEquals(150, buf.position());
            assertEquals(190, buf.limit());
            for (int i = 0; i < 10; i++) {
                assertEquals((byte) 0x5a, buf.get(i));
            }
            for (int i = 76; i < 190; i++) {
                assertEquals((byte) 0x5a, buf.get(i));
            }
            assertTrue(aead.open(3, null, buf, 10, 66, buf, 10));
            for (int i = 10; i < 60; i++) {
                assertEquals((byte) 0x5a, buf.get(i));
            }
            assertEquals(150, buf.position());
        }
    }
}
