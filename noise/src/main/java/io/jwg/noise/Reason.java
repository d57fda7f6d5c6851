// SPDX-License-Identifier: MIT
package io.jwg.noise;

/**
 * Why a handshake message was accepted or dropped. Consumers return one of these instead of
 * throwing, and a dropped message changes no state; the device counts and logs the reason and
 * sends nothing back (whitepaper section 5.1, "silence").
 */
public enum Reason {
    ACCEPTED,
    /** The type word is not the one this step expects. */
    WRONG_TYPE,
    /** The message is not the exact size of its type. */
    WRONG_LENGTH,
    /** mac1 does not match: the sender does not know our public key. */
    BAD_MAC1,
    /** Under load, mac2 is missing or does not match our current cookie. */
    BAD_MAC2,
    /** An AEAD field did not authenticate. */
    DECRYPTION_FAILED,
    /** The initiator's static key belongs to no configured peer. */
    UNKNOWN_PEER,
    /** The initiation's timestamp is not newer than the last accepted one from that peer. */
    REPLAYED,
    /** The initiation came sooner than HANDSHAKE_INITIATION_RATE after the last accepted one. */
    FLOODED,
    /** The handshake is not in the state this message answers (e.g. a response nobody asked for). */
    WRONG_STATE,
    /** The receiver index names no handshake of ours. */
    WRONG_INDEX,
    /** A Diffie-Hellman result was all zeros: a low-order or zero public key. */
    BAD_PUBLIC_KEY,
    /** The device has no private key, so it can take part in no handshake. */
    NO_IDENTITY
}
