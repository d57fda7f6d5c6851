// SPDX-License-Identifier: MIT
package io.jwg.noise;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * WireGuard's protocol constants, under the names the whitepaper gives them (sections 5.4 and
 * 6.1), so that a grep matches across implementations.
 */
public final class Protocol {
    private Protocol() {}

    /** The Noise construction string; its hash is the initial chaining key (section 5.4). */
    public static final byte[] CONSTRUCTION = ascii("Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s");
    /** The identifier mixed in as the Noise prologue. */
    public static final byte[] IDENTIFIER = ascii("WireGuard v1 zx2c4 Jason@zx2c4.com");
    /** Label hashed with the receiver's public key to make the mac1 key (section 5.4.4). */
    public static final byte[] LABEL_MAC1 = ascii("mac1----");
    /** Label hashed with a public key to make the cookie-reply encryption key (section 5.4.7). */
    public static final byte[] LABEL_COOKIE = ascii("cookie--");

    /** A session starts a new handshake (initiator only) after sending this many messages. */
    public static final long REKEY_AFTER_MESSAGES = 1L << 60;
    /**
     * No message is sent or accepted with a counter at or beyond 2^64 - 2^13 - 1; compare with
     * {@link Long#compareUnsigned}.
     */
    public static final long REJECT_AFTER_MESSAGES = 0xFFFF_FFFF_FFFF_DFFFL;

    public static final Duration REKEY_AFTER_TIME = Duration.ofSeconds(120);
    public static final Duration REJECT_AFTER_TIME = Duration.ofSeconds(180);
    public static final Duration REKEY_ATTEMPT_TIME = Duration.ofSeconds(90);
    public static final Duration REKEY_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(10);
    /** The upper bound of the random jitter added to REKEY_TIMEOUT (the kernel's 333 ms). */
    public static final Duration REKEY_TIMEOUT_JITTER_MAX = Duration.ofMillis(333);
    /** Handshake attempts before giving up: REKEY_ATTEMPT_TIME / REKEY_TIMEOUT. */
    public static final int MAX_TIMER_HANDSHAKES = (int) (REKEY_ATTEMPT_TIME.toSeconds() / REKEY_TIMEOUT.toSeconds());

    /** A responder's cookie secret changes this often; a received cookie is usable this long. */
    public static final Duration COOKIE_REFRESH_TIME = Duration.ofSeconds(120);
    /** A received cookie is trusted for COOKIE_REFRESH_TIME minus this margin (the kernel's). */
    public static final Duration COOKIE_SECRET_LATENCY = Duration.ofSeconds(5);
    /** Initiations from one peer closer together than this are dropped as a flood (1 s / 50). */
    public static final Duration HANDSHAKE_INITIATION_RATE = Duration.ofMillis(20);

    /** Transport plaintext is padded to a multiple of this, capped at the MTU (section 5.4.6). */
    public static final int PADDING_MULTIPLE = 16;

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
