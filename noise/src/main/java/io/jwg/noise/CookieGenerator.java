// SPDX-License-Identifier: MIT
package io.jwg.noise;

import io.jwg.noise.crypto.Blake2s;
import io.jwg.noise.crypto.Bytes;
import io.jwg.noise.crypto.XChaCha20Poly1305;

/**
 * The sending side of WireGuard's MACs for one peer (whitepaper section 5.4.4 and 5.4.7): puts
 * mac1 (keyed with the peer's public key) on every handshake message we send, and mac2 (keyed with
 * the last cookie the peer gave us) while that cookie is fresh; consumes the peer's cookie
 * replies. Thread-safe: every method holds this object's lock.
 */
public final class CookieGenerator {
    private static final long COOKIE_LIFETIME_NANOS =
            Protocol.COOKIE_REFRESH_TIME.minus(Protocol.COOKIE_SECRET_LATENCY).toNanos();

    private final byte[] mac1Key;
    private final byte[] cookieDecryptionKey;

    private final byte[] lastMac1 = new byte[Blake2s.MAC_SIZE];
    /** Set when we sent a mac1 that a cookie reply may answer; a reply is accepted once. */
    private boolean haveSentMac1;
    private final byte[] cookie = new byte[Blake2s.MAC_SIZE];
    private boolean haveCookie;
    private long cookieBirthNanos;

    /** @param remote the peer's static public key */
    public CookieGenerator(PublicKey remote) {
        this.mac1Key = Blake2s.hash(Protocol.LABEL_MAC1, remote.raw());
        this.cookieDecryptionKey = Blake2s.hash(Protocol.LABEL_COOKIE, remote.raw());
    }

    /**
     * Writes mac1 and mac2 into the last 32 bytes of the handshake message {@code msg[0, len)}.
     * mac2 is zero unless we hold a cookie younger than COOKIE_REFRESH_TIME - COOKIE_SECRET_LATENCY.
     */
    public synchronized void addMacs(byte[] msg, int len, long nowNanos) {
        int mac1Off = Messages.mac1Offset(len);
        int mac2Off = Messages.mac2Offset(len);
        Blake2s.mac(mac1Key, msg, 0, mac1Off, msg, mac1Off);
        System.arraycopy(msg, mac1Off, lastMac1, 0, Blake2s.MAC_SIZE);
        haveSentMac1 = true;
        if (haveCookie && nowNanos - cookieBirthNanos < COOKIE_LIFETIME_NANOS) {
            Blake2s.mac(cookie, msg, 0, mac2Off, msg, mac2Off);
        } else {
            java.util.Arrays.fill(msg, mac2Off, len, (byte) 0);
        }
    }

    /**
     * Consumes a cookie reply (type 3) from this peer; the caller found this peer by the reply's
     * receiver index. The reply must decrypt with our last mac1 as associated data.
     */
    public synchronized Reason consumeReply(byte[] msg, int off, int len, long nowNanos) {
        if (len != Messages.COOKIE_REPLY_SIZE) {
            return Reason.WRONG_LENGTH;
        }
        if (Bytes.getIntLE(msg, off) != MessageType.COOKIE_REPLY.code) {
            return Reason.WRONG_TYPE;
        }
        if (!haveSentMac1) {
            return Reason.WRONG_STATE;
        }
        byte[] nonce = java.util.Arrays.copyOfRange(msg, off + Messages.COOKIE_NONCE_OFFSET,
                off + Messages.COOKIE_NONCE_OFFSET + Messages.COOKIE_NONCE_SIZE);
        byte[] value = XChaCha20Poly1305.open(cookieDecryptionKey, nonce, msg, off + Messages.COOKIE_OFFSET,
                Messages.ENCRYPTED_COOKIE_SIZE, lastMac1);
        if (value == null) {
            return Reason.DECRYPTION_FAILED;
        }
        System.arraycopy(value, 0, cookie, 0, cookie.length);
        Bytes.zero(value);
        haveCookie = true;
        cookieBirthNanos = nowNanos;
        haveSentMac1 = false;
        return Reason.ACCEPTED;
    }

    /** True while a received cookie is fresh enough to be used for mac2. */
    public synchronized boolean hasFreshCookie(long nowNanos) {
        return haveCookie && nowNanos - cookieBirthNanos < COOKIE_LIFETIME_NANOS;
    }
}
