// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import static io.jwg.noise.crypto.AeadImplementation.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Poly1305 against RFC 8439 section 2.5.2 and the appendix A.3 vectors that target carries and the
 * final reduction, on heap and direct buffers. (The AEAD engines' own copies of the block step are
 * checked by the AEAD vectors and the cross-check against the JDK and BouncyCastle.)
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
    void computesThePublishedTag(String name, String key, String message, String tag) {
        byte[] msg = hex(message);
        for (ByteBuffer buf : new ByteBuffer[] {ByteBuffer.allocate(msg.length + 21), ByteBuffer.allocateDirect(msg.length + 21)}) {
            buf.put(5, msg);
            Poly1305.mac(hex(key), buf, 5, msg.length, buf, 5 + msg.length);
            byte[] got = new byte[16];
            buf.get(5 + msg.length, got);
            assertArrayEquals(hex(tag), got, name);
        }
    }

    /** Hex of ASCII text. */
    private static final class HexOf {
        static String ascii(String s) {
            return java.util.HexFormat.of().formatHex(s.getBytes(StandardCharsets.US_ASCII));
        }
    }
}
