// SPDX-License-Identifier: MIT
package io.jwg.noise;

import io.jwg.noise.crypto.Aead;
import io.jwg.noise.crypto.Blake2s;

/**
 * Sizes and offsets of the four message layouts (whitepaper sections 5.4.2 - 5.4.7). All integers
 * on the wire are little-endian.
 *
 * <pre>
 * initiation (148): type=1 | reserved[3] | sender[4] | ephemeral[32] | static[32+16] | timestamp[12+16] | mac1[16] | mac2[16]
 * response    (92): type=2 | reserved[3] | sender[4] | receiver[4] | ephemeral[32] | empty[0+16] | mac1[16] | mac2[16]
 * cookie      (64): type=3 | reserved[3] | receiver[4] | nonce[24] | cookie[16+16]
 * transport (>=32): type=4 | reserved[3] | receiver[4] | counter[8] | packet[n+16]
 * </pre>
 */
public final class Messages {
    private Messages() {}

    public static final int INITIATION_SIZE = 148;
    public static final int RESPONSE_SIZE = 92;
    public static final int COOKIE_REPLY_SIZE = 64;
    public static final int TRANSPORT_HEADER_SIZE = 16;
    public static final int TRANSPORT_MIN_SIZE = TRANSPORT_HEADER_SIZE + Aead.TAG_SIZE;

    /** Sender index of initiations and responses. */
    public static final int SENDER_OFFSET = 4;
    /** Receiver index of responses. */
    public static final int RESPONSE_RECEIVER_OFFSET = 8;
    /** Receiver index of cookie replies and transport messages. */
    public static final int RECEIVER_OFFSET = 4;

    /** Where the Noise handshake payload of an initiation starts (after type and sender). */
    public static final int INITIATION_NOISE_OFFSET = 8;
    /** Where the Noise handshake payload of a response starts (after type, sender, receiver). */
    public static final int RESPONSE_NOISE_OFFSET = 12;

    public static final int COOKIE_NONCE_OFFSET = 8;
    public static final int COOKIE_NONCE_SIZE = 24;
    public static final int COOKIE_OFFSET = 32;
    public static final int COOKIE_SIZE = Blake2s.MAC_SIZE;
    public static final int ENCRYPTED_COOKIE_SIZE = COOKIE_SIZE + Aead.TAG_SIZE;

    public static final int COUNTER_OFFSET = 8;

    /** mac1 starts 32 bytes before the end of a handshake message, mac2 16 before. */
    public static int mac1Offset(int messageLength) {
        return messageLength - 2 * Blake2s.MAC_SIZE;
    }

    public static int mac2Offset(int messageLength) {
        return messageLength - Blake2s.MAC_SIZE;
    }
}
