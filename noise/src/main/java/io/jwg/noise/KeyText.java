// SPDX-License-Identifier: MIT
package io.jwg.noise;

import io.jwg.noise.crypto.Bytes;
import java.util.Base64;

/**
 * The two text forms of a 32-byte key: base64 as {@code wg genkey}/{@code wg pubkey}/{@code wg
 * genpsk} write it and config files hold it, and hex as the UAPI carries it.
 */
final class KeyText {
    static final int SIZE = 32;
    /** 32 bytes in base64: 43 characters and one '=' of padding. */
    static final int BASE64_LENGTH = 44;
    static final int HEX_LENGTH = 64;

    private KeyText() {}

    /**
     * Parses base64 exactly as wireguard-tools does: 44 characters ending in '=', standard
     * alphabet, and the unused low bits of the last character zero (the canonical encoding).
     */
    static byte[] fromBase64(String text, String what) {
        if (text == null || text.length() != BASE64_LENGTH || text.charAt(BASE64_LENGTH - 1) != '=') {
            throw new IllegalArgumentException(what + " must be 44 characters of base64 ending in '='");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not valid base64");
        }
        if (key.length != SIZE || !Base64.getEncoder().encodeToString(key).equals(text)) {
            Bytes.zero(key);
            throw new IllegalArgumentException(what + " is not a canonical base64 encoding of 32 bytes");
        }
        return key;
    }

    /** Parses 64 hex digits (either case), as wireguard-go's UAPI accepts them. */
    static byte[] fromHex(String text, String what) {
        if (text == null || text.length() != HEX_LENGTH) {
            throw new IllegalArgumentException(what + " must be 64 hex digits");
        }
        try {
            return Bytes.fromHex(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " must be 64 hex digits");
        }
    }

    static String toBase64(byte[] key) {
        return Base64.getEncoder().encodeToString(key);
    }

    static String toHex(byte[] key) {
        return Bytes.toHex(key);
    }

    static byte[] checkSize(byte[] key, String what) {
        if (key == null || key.length != SIZE) {
            throw new IllegalArgumentException(what + " must be 32 bytes");
        }
        return key.clone();
    }
}
