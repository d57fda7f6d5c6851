// SPDX-License-Identifier: MIT
package io.jwg.noise;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The four WireGuard messages and the single (type, length) gate every datagram passes first
 * (whitepaper section 5.4). The type is the little-endian 32-bit word at offset 0, so the three
 * reserved bytes must be zero, as in the kernel and wireguard-go.
 */
public enum MessageType {
    INITIATION(1, Messages.INITIATION_SIZE),
    RESPONSE(2, Messages.RESPONSE_SIZE),
    COOKIE_REPLY(3, Messages.COOKIE_REPLY_SIZE),
    TRANSPORT(4, Messages.TRANSPORT_MIN_SIZE);

    /** The value of the first 32-bit little-endian word. */
    public final int code;
    /** The exact size, or for TRANSPORT the minimum size (header + tag). */
    public final int size;

    MessageType(int code, int size) {
        this.code = code;
        this.size = size;
    }

    /**
     * Classifies the datagram at {@code buf[off, off+len)}: returns its type, or {@code null} when
     * the type word is unknown or the length is wrong for it. Never throws for short input.
     */
    public static MessageType classify(ByteBuffer buf, int off, int len) {
        if (len < 4) {
            return null;
        }
        int word = buf.order() == ByteOrder.LITTLE_ENDIAN
                ? buf.getInt(off)
                : Integer.reverseBytes(buf.getInt(off));
        return switch (word) {
            case 1 -> len == Messages.INITIATION_SIZE ? INITIATION : null;
            case 2 -> len == Messages.RESPONSE_SIZE ? RESPONSE : null;
            case 3 -> len == Messages.COOKIE_REPLY_SIZE ? COOKIE_REPLY : null;
            case 4 -> len >= Messages.TRANSPORT_MIN_SIZE ? TRANSPORT : null;
            default -> null;
        };
    }

    /** {@link #classify(ByteBuffer, int, int)} on a byte array. */
    public static MessageType classify(byte[] msg, int off, int len) {
        return classify(ByteBuffer.wrap(msg), off, len);
    }
}
