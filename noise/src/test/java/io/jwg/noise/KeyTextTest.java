// SPDX-License-Identifier: MIT
package io.jwg.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Key text forms as wg(8) writes and reads them (base64) and as the UAPI carries them (hex). */
class KeyTextTest {

    @Test
    void base64AndHexRoundTrip() {
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 100; i++) {
            PrivateKey k = PrivateKey.generate(r);
            assertEquals(k, PrivateKey.fromBase64(k.toBase64()));
            assertEquals(k, PrivateKey.fromHex(k.toHex()));
            assertEquals(k, PrivateKey.fromHex(k.toHex().toUpperCase()));
            PublicKey p = k.publicKey();
            assertEquals(p, PublicKey.fromBase64(p.toBase64()));
            assertEquals(44, p.toBase64().length());
            assertEquals(64, p.toHex().length());
        }
    }

    @Test
    void knownKeyPairFromWgTools() {
        // wg genkey | tee /dev/stderr | wg pubkey, on this project's machine.
        PrivateKey k = PrivateKey.fromBase64("qB5RfbJUoOX1jYn5EQx9xlno6HzS3k7MT3K/9TWxnlg=");
        assertEquals("D/rNeGm+fvEh4Aaq5yL+TkLPkAzwlAnZZVGIySW+ino=", k.publicKey().toBase64());
    }

    @Test
    void malformedBase64IsRejectedWithAClearMessage() {
        String good = PresharedKey.generate(new SplittableRandom(2)).toBase64();
        String[] bad = {
            "", "abc", good.substring(0, 43), good + "=", good.substring(0, 43) + "A",
            "!" + good.substring(1), good.replace('=', 'A'),
        };
        for (String s : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PublicKey.fromBase64(s), s);
            assertTrue(e.getMessage().contains("public key"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> PublicKey.fromBase64(null));
    }

    @Test
    void nonCanonicalTrailingBitsAreRejectedAsWgDoes() {
        String good = PresharedKey.generate(new SplittableRandom(3)).toBase64();
        // The 43rd character carries 4 bits of key and 2 unused bits that must be zero.
        char c = good.charAt(42);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        char flipped = alphabet.charAt(alphabet.indexOf(c) ^ 1);
        assertThrows(IllegalArgumentException.class,
                () -> PresharedKey.fromBase64(good.substring(0, 42) + flipped + "="));
    }

    @Test
    void malformedHexIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> PublicKey.fromHex("00"));
        assertThrows(IllegalArgumentException.class, () -> PublicKey.fromHex("zz".repeat(32)));
        assertThrows(IllegalArgumentException.class, () -> PublicKey.fromHex("0".repeat(65)));
    }

    @Test
    void secretsAreNeverPrinted() {
        PrivateKey k = PrivateKey.generate(new SplittableRandom(4));
        assertFalse(k.toString().contains(k.toBase64().substring(0, 8)));
        PresharedKey psk = PresharedKey.generate(new SplittableRandom(5));
        assertFalse(psk.toString().contains(psk.toBase64().substring(0, 8)));
        assertEquals("PresharedKey(none)", PresharedKey.NONE.toString());
        String shown = k.publicKey().toString();
        assertTrue(shown.startsWith("peer(" + k.publicKey().toBase64().substring(0, 4)), shown);
    }
}
