// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Known answers of draft-irtf-cfrg-xchacha-03 (sections 2.2.1 and A.3.1). */
class XChaCha20Poly1305Test {

    @Test
    void hChaCha20MatchesDraftSection221() {
        byte[] key = new byte[32];
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) i;
        }
        byte[] nonce = Bytes.fromHex("000000090000004a0000000031415927");
        assertEquals("82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc",
                Bytes.toHex(XChaCha20Poly1305.hChaCha20(key, nonce)));
    }

    @Test
    void aeadMatchesDraftAppendixA31() {
        byte[] plaintext = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for "
                + "the future, sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);
        byte[] ad = Bytes.fromHex("50515253c0c1c2c3c4c5c6c7");
        byte[] key = Bytes.fromHex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        byte[] nonce = Bytes.fromHex("404142434445464748494a4b4c4d4e4f5051525354555657");
        String expected = "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb"
                + "731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452"
                + "2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9"
                + "21f9664c97637da9768812f615c68b13b52e"
                + "c0875924c1c7987947deafd8780acf49";
        byte[] sealed = XChaCha20Poly1305.seal(key, nonce, plaintext, ad);
        assertEquals(expected, Bytes.toHex(sealed));
        assertArrayEquals(plaintext, XChaCha20Poly1305.open(key, nonce, sealed, 0, sealed.length, ad));
    }

    @Test
    void tamperedCiphertextOrWrongAdDoesNotOpen() {
        byte[] key = new byte[32];
        byte[] nonce = new byte[24];
        byte[] sealed = XChaCha20Poly1305.seal(key, nonce, new byte[16], new byte[16]);
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] copy = sealed.clone();
            copy[bit / 8] ^= (byte) (1 << (bit % 8));
            assertNull(XChaCha20Poly1305.open(key, nonce, copy, 0, copy.length, new byte[16]));
        }
        assertNull(XChaCha20Poly1305.open(key, nonce, sealed, 0, sealed.length, new byte[] {1}));
        assertNull(XChaCha20Poly1305.open(key, nonce, sealed, 0, 15, new byte[16]));
    }
}
