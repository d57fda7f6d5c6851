// SPDX-License-Identifier: MIT
package io.jwg.noise;

import io.jwg.noise.crypto.Blake2s;
import io.jwg.noise.crypto.Bytes;
import io.jwg.noise.crypto.XChaCha20Poly1305;
import java.util.random.RandomGenerator;

/**
 * The receiving side of WireGuard's MACs for this device (whitepaper section 5.4.4 and 5.4.7):
 * checks mac1 on every handshake message and, when the device is under load, mac2 against a
 * cookie bound to the sender's IP address and port; makes cookie replies. The secret behind the
 * cookies is random and replaced every COOKIE_REFRESH_TIME, on the time passed in. Thread-safe.
 */
public final class CookieChecker {

    /** The kernel's outcomes of a MAC check (cookie.h); rate limiting is the device's next step. */
    public enum MacCheck {
        /** mac1 is wrong: drop silently. */
        INVALID_MAC,
        /** mac1 is right; mac2 was not checked (not under load) or is wrong (under load). */
        VALID_MAC_BUT_NO_COOKIE,
        /** mac1 and mac2 are right: the sender proved it owns its source address. */
        VALID_MAC_WITH_COOKIE
    }

    private final RandomGenerator random;
    private volatile byte[] mac1Key;
    private volatile byte[] cookieEncryptionKey;

    private final byte[] secret = new byte[32];
    private boolean haveSecret;
    private long secretBirthNanos;

    /**
     * @param local our identity (null while the device has no key: every message is then invalid)
     * @param random source of the cookie secret and reply nonces (a SecureRandom outside tests)
     */
    public CookieChecker(StaticIdentity local, RandomGenerator random) {
        this.random = random;
        setIdentity(local);
    }

    /** Our public key changed; cookies already given out stay valid (they do not depend on it). */
    public void setIdentity(StaticIdentity local) {
        if (local == null) {
            mac1Key = null;
            cookieEncryptionKey = null;
        } else {
            mac1Key = local.mac1Key();
            cookieEncryptionKey = local.cookieKey();
        }
    }

    /**
     * Checks the MACs of the handshake message {@code msg[0, len)} that came from
     * {@code sourceAddress} (4 or 16 bytes) and {@code sourcePort}.
     *
     * @param checkCookie whether the device is under load (then mac2 is checked)
     */
    public MacCheck check(byte[] msg, int len, byte[] sourceAddress, int sourcePort, boolean checkCookie,
            long nowNanos) {
        byte[] key = mac1Key;
        if (key == null || len < 2 * Blake2s.MAC_SIZE) {
            return MacCheck.INVALID_MAC;
        }
        int mac1Off = Messages.mac1Offset(len);
        int mac2Off = Messages.mac2Offset(len);
        byte[] expected = new byte[Blake2s.MAC_SIZE];
        Blake2s.mac(key, msg, 0, mac1Off, expected, 0);
        if (!Bytes.constantTimeEquals(expected, 0, msg, mac1Off, Blake2s.MAC_SIZE)) {
            return MacCheck.INVALID_MAC;
        }
        if (!checkCookie) {
            return MacCheck.VALID_MAC_BUT_NO_COOKIE;
        }
        byte[] cookie = makeCookie(sourceAddress, sourcePort, nowNanos);
        Blake2s.mac(cookie, msg, 0, mac2Off, expected, 0);
        Bytes.zero(cookie);
        if (!Bytes.constantTimeEquals(expected, 0, msg, mac2Off, Blake2s.MAC_SIZE)) {
            return MacCheck.VALID_MAC_BUT_NO_COOKIE;
        }
        return MacCheck.VALID_MAC_WITH_COOKIE;
    }

    /**
     * Makes the cookie reply (type 3, 64 bytes) to the handshake message {@code msg[0, len)}: the
     * cookie for the sender's address, encrypted under HASH(LABEL_COOKIE || our public key) with
     * a random nonce and the message's mac1 as associated data.
     *
     * @return the reply, or null when we have no identity
     */
    public byte[] createReply(byte[] msg, int len, byte[] sourceAddress, int sourcePort, long nowNanos) {
        byte[] key = cookieEncryptionKey;
        if (key == null) {
            return null;
        }
        byte[] reply = new byte[Messages.COOKIE_REPLY_SIZE];
        reply[0] = (byte) MessageType.COOKIE_REPLY.code;
        System.arraycopy(msg, Messages.SENDER_OFFSET, reply, Messages.RECEIVER_OFFSET, 4);
        byte[] nonce = new byte[Messages.COOKIE_NONCE_SIZE];
        synchronized (this) {
            random.nextBytes(nonce);
        }
        System.arraycopy(nonce, 0, reply, Messages.COOKIE_NONCE_OFFSET, nonce.length);
        byte[] mac1 = java.util.Arrays.copyOfRange(msg, Messages.mac1Offset(len), Messages.mac2Offset(len));
        byte[] cookie = makeCookie(sourceAddress, sourcePort, nowNanos);
        byte[] sealed = XChaCha20Poly1305.seal(key, nonce, cookie, mac1);
        Bytes.zero(cookie);
        System.arraycopy(sealed, 0, reply, Messages.COOKIE_OFFSET, sealed.length);
        return reply;
    }

    /** MAC(secret, address || port), the port big-endian as on the wire; rotates the secret when stale. */
    private byte[] makeCookie(byte[] address, int port, long nowNanos) {
        byte[] input = new byte[address.length + 2];
        System.arraycopy(address, 0, input, 0, address.length);
        input[address.length] = (byte) (port >>> 8);
        input[address.length + 1] = (byte) port;
        byte[] cookie = new byte[Blake2s.MAC_SIZE];
        synchronized (this) {
            if (!haveSecret || nowNanos - secretBirthNanos >= Protocol.COOKIE_REFRESH_TIME.toNanos()) {
                random.nextBytes(secret);
                secretBirthNanos = nowNanos;
                haveSecret = true;
            }
            Blake2s.mac(secret, input, 0, input.length, cookie, 0);
        }
        return cookie;
    }
}
