// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

/**
 * Multiplication of the Curve25519 base point on edwards25519, the twisted Edwards curve
 * -x^2 + y^2 = 1 + d x^2 y^2 birationally equivalent to it (RFC 7748 section 4.1; points and
 * formulas as in RFC 8032 section 5.1), used for X25519 public keys: u = (1 + y) / (1 - y).
 *
 * <p>Why Edwards: with a table of j * 256^i * B (i < 32, 1 <= j <= 8) the product k * B of a
 * 255-bit scalar written in 64 signed radix-16 digits is 64 table additions and 4 doublings, about
 * a third of a Montgomery ladder. Every table read touches all 8 entries of its row and keeps one
 * by masks, and a negative digit is applied by a masked swap and negation, so neither time nor
 * memory access depends on the scalar. The addition and doubling formulas (extended coordinates,
 * Hisil-Wong-Carter-Dawson 2008) are complete on this curve, so the identity needs no special case.
 *
 * <p>The table (30 KiB) is built once, from the base point alone, on first use. Stateless
 * otherwise and thread-safe.
 */
final class Edwards25519 {
    /** Rows of the table: 256^i * B for i < ROWS covers 64 radix-16 digits. */
    private static final int ROWS = 32;
    /** Multiples per row: digits are recoded into [-8, 8]. */
    private static final int MULTIPLES = 8;
    /** Longs per table entry: (y + x, y - x, 2 d x y), each reduced. */
    private static final int ENTRY = 3 * Field25519.LIMBS;

    /** x of the base point B (RFC 8032 section 5.1), little-endian; y = 4/5. */
    private static final String BASE_X_HEX = "1ad5258f602d56c9b2a7259560c72c695cdcd6fd31e2a4c0fe536ecdd3366921";

    private Edwards25519() {}

    /** A point in extended coordinates: x = X/Z, y = Y/Z, x y = T/Z. */
    static final class Point {
        final long[] x = Field25519.create();
        final long[] y = Field25519.one();
        final long[] z = Field25519.one();
        final long[] t = Field25519.create();

        void setIdentity() {
            java.util.Arrays.fill(x, 0);
            Field25519.setOne(y);
            Field25519.setOne(z);
            java.util.Arrays.fill(t, 0);
        }
    }

    /** Scratch space of one multiplication, so the formulas allocate nothing. */
    static final class Scratch {
        final long[] a = Field25519.create();
        final long[] b = Field25519.create();
        final long[] c = Field25519.create();
        final long[] d = Field25519.create();
        final long[] e = Field25519.create();
        final long[] f = Field25519.create();
        final long[] g = Field25519.create();
        final long[] h = Field25519.create();
        final long[] ypx = Field25519.create();
        final long[] ymx = Field25519.create();
        final long[] xy2d = Field25519.create();
    }

    /** Writes the u-coordinate of k * B for a clamped little-endian scalar k (so k < 2^255). */
    static void scalarMultBaseU(byte[] k, byte[] out) {
        byte[] digits = new byte[64];
        for (int i = 0; i < 32; i++) {
            digits[2 * i] = (byte) (k[i] & 15);
            digits[2 * i + 1] = (byte) ((k[i] >>> 4) & 15);
        }
        // Signed digits in [-8, 8): k = sum of digits[i] * 16^i; the top digit absorbs the last carry.
        int carry = 0;
        for (int i = 0; i < 63; i++) {
            int v = digits[i] + carry;
            carry = (v + 8) >> 4;
            digits[i] = (byte) (v - (carry << 4));
        }
        digits[63] += (byte) carry;

        Point h = new Point();
        Scratch s = new Scratch();
        long[] table = Table.ENTRIES;
        for (int i = 1; i < 64; i += 2) {
            select(table, i >>> 1, digits[i], s);
            addNiels(h, s.ypx, s.ymx, s.xy2d, s);
        }
        for (int i = 0; i < 4; i++) {
            dbl(h, s);
        }
        for (int i = 0; i < 64; i += 2) {
            select(table, i >>> 1, digits[i], s);
            addNiels(h, s.ypx, s.ymx, s.xy2d, s);
        }
        java.util.Arrays.fill(digits, (byte) 0);
        // u = (1 + y) / (1 - y) = (Z + Y) / (Z - Y).
        Field25519.add(s.a, h.z, h.y);
        Field25519.sub(s.b, h.z, h.y);
        Field25519.invert(s.b, s.b);
        Field25519.mul(s.a, s.a, s.b);
        Field25519.encode(s.a, out, 0);
    }

    /**
     * Loads digit * 256^row * B as (y + x, y - x, 2 d x y) into s.ypx, s.ymx, s.xy2d, digit in
     * [-8, 8], reading the whole row whatever the digit.
     */
    private static void select(long[] table, int row, int digit, Scratch s) {
        long[] ypx = s.ypx;
        long[] ymx = s.ymx;
        long[] xy2d = s.xy2d;
        int negative = digit >>> 31;
        int abs = digit - ((-negative & digit) << 1);
        Field25519.setOne(ypx);
        Field25519.setOne(ymx);
        java.util.Arrays.fill(xy2d, 0);
        int base = row * MULTIPLES * ENTRY;
        for (int j = 1; j <= MULTIPLES; j++) {
            long mask = ((abs ^ j) - 1) >> 31; // all ones exactly when abs == j
            int at = base + (j - 1) * ENTRY;
            for (int l = 0; l < Field25519.LIMBS; l++) {
                ypx[l] ^= mask & (ypx[l] ^ table[at + l]);
                ymx[l] ^= mask & (ymx[l] ^ table[at + Field25519.LIMBS + l]);
                xy2d[l] ^= mask & (xy2d[l] ^ table[at + 2 * Field25519.LIMBS + l]);
            }
        }
        // -(x, y) = (-x, y): y + x and y - x trade places and x y changes sign.
        Field25519.cswap(negative, ypx, ymx);
        long[] minus = s.a;
        Field25519.neg(minus, xy2d);
        long mask = -(long) negative;
        for (int l = 0; l < Field25519.LIMBS; l++) {
            xy2d[l] ^= mask & (xy2d[l] ^ minus[l]);
        }
    }

    /** p = p + q for q given as affine (y + x, y - x, 2 d x y): 7 multiplications. */
    static void addNiels(Point p, long[] ypx, long[] ymx, long[] xy2d, Scratch s) {
        Field25519.sub(s.a, p.y, p.x);
        Field25519.mul(s.a, s.a, ymx); // A = (Y - X)(y - x)
        Field25519.add(s.b, p.y, p.x);
        Field25519.mul(s.b, s.b, ypx); // B = (Y + X)(y + x)
        Field25519.mul(s.c, p.t, xy2d); // C = T * 2 d x y
        Field25519.add(s.d, p.z, p.z);
        Field25519.carry(s.d, s.d); // D = 2 Z, carried so that D - C stays below 2^53
        Field25519.sub(s.e, s.b, s.a); // E = B - A
        Field25519.sub(s.f, s.d, s.c); // F = D - C
        Field25519.add(s.g, s.d, s.c); // G = D + C
        Field25519.add(s.h, s.b, s.a); // H = B + A
        Field25519.mul(p.x, s.e, s.f);
        Field25519.mul(p.y, s.g, s.h);
        Field25519.mul(p.t, s.e, s.h);
        Field25519.mul(p.z, s.f, s.g);
    }

    /** p = 2 p: 4 squarings and 4 multiplications. */
    static void dbl(Point p, Scratch s) {
        Field25519.sqr(s.a, p.x); // A = X^2
        Field25519.sqr(s.b, p.y); // B = Y^2
        Field25519.sqr(s.c, p.z);
        Field25519.add(s.c, s.c, s.c); // C = 2 Z^2
        Field25519.add(s.h, s.a, s.b);
        Field25519.carry(s.h, s.h); // A + B
        Field25519.add(s.e, p.x, p.y);
        Field25519.sqr(s.e, s.e);
        Field25519.sub(s.e, s.e, s.h); // E = (X + Y)^2 - A - B = 2 X Y
        Field25519.sub(s.g, s.b, s.a); // G = B - A
        Field25519.add(s.f, s.a, s.c);
        Field25519.carry(s.f, s.f);
        Field25519.sub(s.f, s.b, s.f); // F = G - C
        Field25519.neg(s.h, s.h); // H = -A - B
        Field25519.mul(p.x, s.e, s.f);
        Field25519.mul(p.y, s.g, s.h);
        Field25519.mul(p.t, s.e, s.h);
        Field25519.mul(p.z, s.f, s.g);
    }

    /** The curve constant d = -121665 / 121666. */
    static long[] d() {
        long[] d = Field25519.create();
        long[] den = Field25519.create();
        den[0] = 121666;
        Field25519.invert(den, den);
        long[] num = Field25519.create();
        num[0] = 121665;
        Field25519.neg(num, num);
        Field25519.mul(d, num, den);
        return d;
    }

    /** The base point B in extended coordinates. */
    static Point basePoint() {
        Point b = new Point();
        Field25519.decode(Bytes.fromHex(BASE_X_HEX), 0, b.x);
        long[] five = Field25519.create();
        five[0] = 5;
        Field25519.invert(five, five);
        long[] four = Field25519.create();
        four[0] = 4;
        Field25519.mul(b.y, four, five);
        Field25519.mul(b.t, b.x, b.y);
        return b;
    }

    /** The precomputed multiples, built on first use (class initialization is thread-safe). */
    private static final class Table {
        static final long[] ENTRIES = build();

        /** j * 256^i * B for every row i and 1 <= j <= 8, normalized together with one inversion. */
        private static long[] build() {
            int count = ROWS * MULTIPLES;
            Point[] points = new Point[count];
            Scratch s = new Scratch();
            long[] d2 = d();
            Field25519.add(d2, d2, d2);
            Point rowBase = basePoint();
            long[] ypx = Field25519.create();
            long[] ymx = Field25519.create();
            long[] xy2d = Field25519.create();
            for (int row = 0; row < ROWS; row++) {
                // rowBase is affine (Z = 1) here: the first entry of each row is normalized below.
                affineNiels(rowBase.x, rowBase.y, d2, ypx, ymx, xy2d);
                Point acc = new Point();
                for (int j = 0; j < MULTIPLES; j++) {
                    addNiels(acc, ypx, ymx, xy2d, s);
                    Point copy = new Point();
                    Field25519.copy(copy.x, acc.x);
                    Field25519.copy(copy.y, acc.y);
                    Field25519.copy(copy.z, acc.z);
                    Field25519.copy(copy.t, acc.t);
                    points[row * MULTIPLES + j] = copy;
                }
                // acc = 8 * rowBase; 5 doublings make 256 * rowBase, normalized for the next row.
                for (int i = 0; i < 5; i++) {
                    dbl(acc, s);
                }
                long[] zInv = Field25519.create();
                Field25519.invert(zInv, acc.z);
                Field25519.mul(rowBase.x, acc.x, zInv);
                Field25519.mul(rowBase.y, acc.y, zInv);
            }
            // Montgomery's trick: prefix[i] = z_0 ... z_i, then one inversion for all.
            long[][] prefix = new long[count][];
            long[] run = Field25519.one();
            for (int i = 0; i < count; i++) {
                Field25519.mul(run, run, points[i].z);
                prefix[i] = run.clone();
            }
            long[] inv = Field25519.create();
            Field25519.invert(inv, run);
            long[] entries = new long[count * ENTRY];
            long[] zInv = Field25519.create();
            long[] x = Field25519.create();
            long[] y = Field25519.create();
            for (int i = count - 1; i >= 0; i--) {
                if (i > 0) {
                    Field25519.mul(zInv, inv, prefix[i - 1]);
                    Field25519.mul(inv, inv, points[i].z);
                } else {
                    Field25519.copy(zInv, inv);
                }
                Field25519.mul(x, points[i].x, zInv);
                Field25519.mul(y, points[i].y, zInv);
                affineNiels(x, y, d2, ypx, ymx, xy2d);
                System.arraycopy(ypx, 0, entries, i * ENTRY, Field25519.LIMBS);
                System.arraycopy(ymx, 0, entries, i * ENTRY + Field25519.LIMBS, Field25519.LIMBS);
                System.arraycopy(xy2d, 0, entries, i * ENTRY + 2 * Field25519.LIMBS, Field25519.LIMBS);
            }
            return entries;
        }

        /** (y + x, y - x, 2 d x y), each fully reduced, of the affine point (x, y). */
        private static void affineNiels(long[] x, long[] y, long[] d2, long[] ypx, long[] ymx, long[] xy2d) {
            Field25519.add(ypx, y, x);
            Field25519.reduce(ypx, ypx);
            Field25519.sub(ymx, y, x);
            Field25519.reduce(ymx, ymx);
            Field25519.mul(xy2d, x, y);
            Field25519.mul(xy2d, xy2d, d2);
            Field25519.reduce(xy2d, xy2d);
        }
    }
}
