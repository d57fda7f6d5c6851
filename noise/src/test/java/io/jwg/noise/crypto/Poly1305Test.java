// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import static io.jwg.noise.crypto.AeadImplementation.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Poly1305 against RFC 8439 section 2.5.2 and the appendix A.3 vectors that target carries and the
 * final reduction, on heap and direct buffers, for the scalar and the Vector API implementation;
 * and the two against each other on random keys, messages and AD.
 */
class Poly1305Test {

    private static final String R1 = "01000000000000000000000000000000";
    private static final String R2 = "02000000000000000000000000000000";
    private static final String R10 = "01000000000000000400000000000000";
    private static final String ZERO = "00000000000000000000000000000000";
    private static final String FF = "ffffffffffffffffffffffffffffffff";
    private static final String M10 = "e33594d7505e43b900000000000000003394d7505e4379cd0100000000000000"
            + ZERO;

    static Stream<Arguments> vectors() {
        String text = HexOf.ascii("Cryptographic Forum Research Group");
        return Stream.of(
                Arguments.of("2.5.2", "85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b",
                        text, "a8061dc1305136c6c22b8baf0c0127a9"),
                Arguments.of("A.3 #1: zero key", ZERO + ZERO, ZERO.repeat(4), ZERO),
                Arguments.of("A.3 #5: h reaches 2^130", R2 + ZERO, FF, "03000000000000000000000000000000"),
                Arguments.of("A.3 #6: h + s wraps 2^128", R2 + FF, R2, "03000000000000000000000000000000"),
                Arguments.of("A.3 #7: carry through the top limb", R1 + ZERO,
                        FF + "f0" + FF.substring(2) + "11" + ZERO.substring(2), "05000000000000000000000000000000"),
                Arguments.of("A.3 #8: h = 2^130 - 5 exactly", R1 + ZERO,
                        FF + "fb" + "fe".repeat(15) + "01".repeat(16), ZERO),
                Arguments.of("A.3 #9: h = 2^130 - 6", R2 + ZERO, "fd" + FF.substring(2),
                        "faffffffffffffffffffffffffffffff"),
                Arguments.of("A.3 #10: 131-bit intermediate", R10 + ZERO, M10 + R1,
                        "14000000000000005500000000000000"),
                Arguments.of("A.3 #11: 131-bit final", R10 + ZERO, M10, "13000000000000000000000000000000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void scalarComputesThePublishedTag(String name, String key, String message, String tag) {
        check(false, name, key, message, tag);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void vectorComputesThePublishedTag(String name, String key, String message, String tag) {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "run with add-modules jdk.incubator.vector to test Poly1305Vector");
        check(true, name, key, message, tag);
    }

    private static void check(boolean vector, String name, String key, String message, String tag) {
        byte[] msg = hex(message);
        for (ByteBuffer buf : new ByteBuffer[] {ByteBuffer.allocate(msg.length + 21), ByteBuffer.allocateDirect(msg.length + 21)}) {
            buf.put(5, msg);
            if (vector) {
                Poly1305Vector.mac(hex(key), buf, 5, msg.length, buf, 5 + msg.length);
            } else {
                Poly1305.mac(hex(key), buf, 5, msg.length, buf, 5 + msg.length);
            }
            byte[] got = new byte[16];
            buf.get(5 + msg.length, got);
            assertArrayEquals(hex(tag), got, name);
        }
    }

    @Test
    void vectorAndScalarAgreeOnRandomKeysAndMessages() {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "run with add-modules jdk.incubator.vector to test Poly1305Vector");
        Random random = new Random(1305);
        for (int trial = 0; trial < 3000; trial++) {
            int len = random.nextInt(700);
            byte[] key = new byte[32];
            random.nextBytes(key);
            if (trial % 7 == 0) {
                Arrays.fill(key, 0, 16, (byte) 0xff); // largest r after clamping
            }
            byte[] msg = new byte[len];
            if (trial % 5 == 0) {
                Arrays.fill(msg, (byte) 0xff);
            } else {
                random.nextBytes(msg);
            }
            byte[] ad = trial % 3 == 0 ? null : new byte[random.nextInt(40)];
            ByteBuffer buf = ByteBuffer.allocateDirect(len + 32).put(0, msg);
            long r0 = random.nextLong(), r1 = random.nextLong(), s0 = random.nextLong(), s1 = random.nextLong();
            Poly1305.aeadTag(r0, r1, s0, s1, ad, buf, 0, len, buf, len, false);
            assertTrue(Poly1305Vector.aeadTag(r0, r1, s0, s1, ad, buf, 0, len, buf, len, true), "aead, len " + len);
            Poly1305.mac(key, buf, 0, len, buf, len + 16);
            byte[] expected = new byte[16];
            buf.get(len + 16, expected);
            Poly1305Vector.mac(key, buf, 0, len, buf, len + 16);
            byte[] got = new byte[16];
            buf.get(len + 16, got);
            assertArrayEquals(expected, got, "raw, len " + len);
        }
    }

    /** Hex of ASCII text. */
    private static final class HexOf {
        static String ascii(String s) {
            return java.util.HexFormat.of().formatHex(s.getBytes(StandardCharsets.US_ASCII));
        }
    }
}
