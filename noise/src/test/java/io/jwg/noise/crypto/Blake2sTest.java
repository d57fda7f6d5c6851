// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.junit.jupiter.api.Test;

/** BLAKE2s known answers from RFC 7693 (appendix B and the appendix E self-test). */
class Blake2sTest {

    @Test
    void hashOfAbcMatchesRfc7693AppendixB() {
        assertEquals("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982",
                Bytes.toHex(Blake2s.hash("abc".getBytes(StandardCharsets.US_ASCII))));
    }

    /** RFC 7693 appendix E: the hash of 48 keyed and unkeyed hashes of every size class. */
    @Test
    void selfTestOfAppendixEMatches() {
        int[] mdLen = {16, 20, 28, 32};
        int[] inLen = {0, 3, 64, 65, 255, 1024};
        Blake2sDigest all = new Blake2sDigest(256);
        for (int outlen : mdLen) {
            for (int inlen : inLen) {
                byte[] in = sequence(inlen, inlen);
                byte[] md = Blake2s.digest(null, outlen, in, 0, in.length);
                all.update(md, 0, md.length);
                md = Blake2s.digest(sequence(outlen, outlen), outlen, in, 0, in.length);
                all.update(md, 0, md.length);
            }
        }
        byte[] result = new byte[32];
        all.doFinal(result, 0);
        assertEquals("6a411f08ce25adcdfb02aba641451cec53c598b24f4fc787fbdc88797f4c1dfe", Bytes.toHex(result));
    }

    @Test
    void macIsTheKeyed16ByteDigest() {
        byte[] key = sequence(32, 32);
        byte[] data = sequence(100, 7);
        byte[] out = new byte[16];
        Blake2s.mac(key, data, 0, data.length, out, 0);
        assertEquals(Bytes.toHex(Blake2s.digest(key, 16, data, 0, data.length)), Bytes.toHex(out));
    }

    /** Random lengths around the block size, random keys and output sizes, fed in random pieces. */
    @Test
    void streamingAgreesWithBouncyCastleWhateverThePieces() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7693);
        Blake2s ours = new Blake2s();
        for (int i = 0; i < 3000; i++) {
            int len = i < 300 ? i : random.nextInt(1000);
            byte[] data = new byte[len];
            random.nextBytes(data);
            byte[] key = random.nextInt(3) == 0 ? null : new byte[1 + random.nextInt(32)];
            if (key != null) {
                random.nextBytes(key);
            }
            int outLen = 1 + random.nextInt(32);
            Blake2sDigest theirs = new Blake2sDigest(key, outLen, null, null);
            theirs.update(data, 0, len);
            byte[] expected = new byte[outLen];
            theirs.doFinal(expected, 0);

            ours.init(outLen, key);
            int at = 0;
            while (at < len) {
                int piece = Math.min(len - at, random.nextInt(130));
                ours.update(data, at, piece);
                at += piece;
            }
            byte[] actual = new byte[outLen + 3];
            ours.doFinal(actual, 3);
            assertEquals(Bytes.toHex(expected), Bytes.toHex(java.util.Arrays.copyOfRange(actual, 3, outLen + 3)),
                    "len " + len + " outLen " + outLen);
        }
    }

    @Test
    void hashIntoItsOwnPrefixIsTheMixHashStep() {
        byte[] h = sequence(32, 5);
        byte[] data = sequence(48, 6);
        byte[] expected = Blake2s.hash(h, data);
        Blake2s.hash(h, data, 0, data.length, h, 0);
        assertEquals(Bytes.toHex(expected), Bytes.toHex(h));
    }

    /** The Fibonacci byte sequence of RFC 7693 appendix E. */
    private static byte[] sequence(int len, int seed) {
        byte[] out = new byte[len];
        int a = 0xDEAD4BAD * seed;
        int b = 1;
        for (int i = 0; i < len; i++) {
            int t = a + b;
            a = b;
            b = t;
            out[i] = (byte) (t >>> 24);
        }
        return out;
    }
}
