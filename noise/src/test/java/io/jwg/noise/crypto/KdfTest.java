// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * HMAC-BLAKE2s and KDF1..3. The expected values were computed independently with Python's
 * {@code hmac.new(key, msg, hashlib.blake2s)} and the whitepaper's KDF definition.
 */
class KdfTest {

    @Test
    void hmacBlake2sMatchesAnIndependentImplementation() {
        byte[] msg = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII);
        assertEquals("f93215bb90d4af4c3061cd932fb169fb8bb8a91d0b4022baea1271e1323cd9a0",
                Bytes.toHex(Kdf.hmac("key".getBytes(StandardCharsets.US_ASCII), msg, 0, msg.length)));
    }

    @Test
    void kdf3WithEmptyKeyAndEmptyInput() {
        byte[][] out = Kdf.kdf3(new byte[0], new byte[0]);
        assertEquals("8387b46bf43eccfcf349552a095d8315c4055beb90208fb1be23b894bc2ed5d0", Bytes.toHex(out[0]));
        assertEquals("58a0e5f6faefccf4807bff1f05fa8a9217945762040bcec2f4b4a62bdfe0e86e", Bytes.toHex(out[1]));
        assertEquals("0ce6ea98ec548f8e281e93e32db65621c45eb18dc6f0a7ad94178610a2f7338e", Bytes.toHex(out[2]));
    }

    @Test
    void kdf3WithKeyAndInput() {
        byte[] key = new byte[32];
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) i;
        }
        byte[][] out = Kdf.kdf3(key, "WireGuard".getBytes(StandardCharsets.US_ASCII));
        assertEquals("7e615ce2573f4139b960d562ec463daf7164bd86a0a64c0adc374ff2655769f3", Bytes.toHex(out[0]));
        assertEquals("42dbbd4438e101cd2c2ea8d05ed6716bf87489aea47ece2f06358835670130bf", Bytes.toHex(out[1]));
        assertEquals("5c58c1d9808a5bfdf8f38f6487248985c04f4b6d0fe427516935a0f6903b0157", Bytes.toHex(out[2]));
    }

    /** Keys shorter than, equal to and longer than a block (hashed first), and empty data. */
    @Test
    void hmacAgreesWithBouncyCastlesHmacOverBlake2s() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(2104);
        for (int i = 0; i < 2000; i++) {
            byte[] key = new byte[random.nextInt(150)];
            byte[] data = new byte[i % 10 == 0 ? 0 : random.nextInt(200)];
            random.nextBytes(key);
            random.nextBytes(data);
            org.bouncycastle.crypto.macs.HMac theirs =
                    new org.bouncycastle.crypto.macs.HMac(new org.bouncycastle.crypto.digests.Blake2sDigest(256));
            theirs.init(new org.bouncycastle.crypto.params.KeyParameter(key));
            theirs.update(data, 0, data.length);
            byte[] expected = new byte[32];
            theirs.doFinal(expected, 0);
            assertArrayEquals(expected, Kdf.hmac(key, data, 0, data.length), "key " + key.length + " data " + data.length);
        }
    }

    /** The whitepaper's definition spelled out with separate HMACs, against the shared-pad version. */
    @Test
    void kdfFollowsItsDefinitionAndMayOverwriteItsKey() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (int i = 0; i < 200; i++) {
            byte[] key = new byte[32];
            byte[] input = new byte[random.nextInt(3) * 16];
            random.nextBytes(key);
            random.nextBytes(input);
            byte[] t0 = Kdf.hmac(key, input, 0, input.length);
            byte[] t1 = Kdf.hmac(t0, new byte[] {1}, 0, 1);
            byte[] t1x2 = java.util.Arrays.copyOf(t1, 33);
            t1x2[32] = 2;
            byte[] t2 = Kdf.hmac(t0, t1x2, 0, 33);
            byte[] t2x3 = java.util.Arrays.copyOf(t2, 33);
            t2x3[32] = 3;
            byte[] t3 = Kdf.hmac(t0, t2x3, 0, 33);

            byte[] ck = key.clone();
            byte[] second = new byte[32];
            byte[] third = new byte[32];
            Kdf.kdf(ck, input, 0, input.length, ck, second, third);
            assertArrayEquals(t1, ck);
            assertArrayEquals(t2, second);
            assertArrayEquals(t3, third);
        }
    }

    @Test
    void shorterKdfsArePrefixesOfLongerOnes() {
        byte[] key = Blake2s.hash(new byte[] {1});
        byte[] in = {2, 3};
        byte[][] three = Kdf.kdf3(key, in);
        byte[][] two = Kdf.kdf2(key, in);
        assertArrayEquals(three[0], Kdf.kdf1(key, in));
        assertArrayEquals(three[0], two[0]);
        assertArrayEquals(three[1], two[1]);
    }
}
