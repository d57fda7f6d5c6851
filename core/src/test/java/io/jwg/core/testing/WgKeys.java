// SPDX-License-Identifier: MIT
package io.jwg.core.testing;

import java.time.Duration;
import java.util.List;

/**
 * A WireGuard Curve25519 key pair in the base64 form that {@code wg} and the UAPI configuration
 * use, made by the real tool ({@code wg genkey}, {@code wg pubkey}; see wg(8)) so that the
 * fixtures never depend on the key code they are meant to test.
 *
 * @param privateKey base64 private key
 * @param publicKey base64 public key matching {@code privateKey}
 */
public record WgKeys(String privateKey, String publicKey) {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** Generates a fresh key pair with {@code wg genkey} and {@code wg pubkey}. */
    public static WgKeys generate() {
        String priv = wg(null, "genkey");
        return new WgKeys(priv, publicKeyOf(priv));
    }

    /** The public key of {@code privateKey}, computed by {@code wg pubkey}. */
    public static String publicKeyOf(String privateKey) {
        return wg(privateKey + "\n", "pubkey");
    }

    /** A fresh preshared key from {@code wg genpsk}. */
    public static String generatePresharedKey() {
        return wg(null, "genpsk");
    }

    @Override
    public String toString() {
        // Keeps private keys out of test reports; test keys are throwaway, but logs get copied.
        return "WgKeys[publicKey=" + publicKey + "]";
    }

    private static String wg(String stdin, String subcommand) {
        return Commands.run(TIMEOUT, stdin, List.of("wg", subcommand)).orThrow().stdout().strip();
    }
}
