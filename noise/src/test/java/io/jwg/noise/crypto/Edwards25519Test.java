// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The Edwards base point and curve constant, and the map to Curve25519's u-coordinate. */
class Edwards25519Test {

    @Test
    void basePointIsOnTheCurveAndMapsToUNine() {
        Edwards25519.Point b = Edwards25519.basePoint();
        long[] x2 = Field25519.create();
        long[] y2 = Field25519.create();
        Field25519.sqr(x2, b.x);
        Field25519.sqr(y2, b.y);
        long[] lhs = Field25519.create();
        Field25519.sub(lhs, y2, x2); // -x^2 + y^2
        long[] rhs = Field25519.create();
        Field25519.mul(rhs, x2, y2);
        Field25519.mul(rhs, rhs, Edwards25519.d());
        long[] one = Field25519.one();
        Field25519.add(rhs, rhs, one); // 1 + d x^2 y^2
        Field25519.carry(rhs, rhs);
        long[] diff = Field25519.create();
        Field25519.sub(diff, lhs, rhs);
        assertEquals(1, Field25519.isZero(diff));

        long[] num = Field25519.create();
        long[] den = Field25519.create();
        Field25519.add(num, one, b.y);
        Field25519.sub(den, one, b.y);
        Field25519.invert(den, den);
        Field25519.mul(num, num, den);
        byte[] u = new byte[32];
        Field25519.encode(num, u, 0);
        byte[] nine = new byte[32];
        nine[0] = 9;
        assertArrayEquals(nine, u);
    }

    @Test
    void smallScalarsGiveTheirMultiplesOfTheBasePoint() {
        byte[] nine = new byte[32];
        nine[0] = 9;
        // Scalars whose signed radix-16 digits hit every table entry, both signs, and the carry into the top digit.
        String[] scalars = {
            "0000000000000000000000000000000000000000000000000000000000000040",
            "f8ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "8888888888888888888888888888888888888888888888888888888888888848",
            "7877777777777777777777777777777777777777777777777777777777777777",
            "0812345678abcdef0123456789abcdef0123456789abcdef0123456789abcd4f",
        };
        for (String hex : scalars) {
            byte[] k = Bytes.fromHex(hex);
            byte[] viaTable = new byte[32];
            Edwards25519.scalarMultBaseU(k, viaTable);
            byte[] viaLadder = new byte[32];
            X25519.sharedSecret(k, nine, viaLadder);
            assertArrayEquals(viaLadder, viaTable, hex);
        }
    }
}
