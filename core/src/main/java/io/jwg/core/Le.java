// SPDX-License-Identifier: MIT
package io.jwg.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Little-endian absolute access to a ByteBuffer of either byte order (wire integers are LE). */
final class Le {
    private Le() {}

    static int getInt(ByteBuffer b, int i) {
        int v = b.getInt(i);
        return b.order() == ByteOrder.LITTLE_ENDIAN ? v : Integer.reverseBytes(v);
    }

    static long getLong(ByteBuffer b, int i) {
        long v = b.getLong(i);
        return b.order() == ByteOrder.LITTLE_ENDIAN ? v : Long.reverseBytes(v);
    }

    static void putInt(ByteBuffer b, int i, int v) {
        b.putInt(i, b.order() == ByteOrder.LITTLE_ENDIAN ? v : Integer.reverseBytes(v));
    }

    static void putLong(ByteBuffer b, int i, long v) {
        b.putLong(i, b.order() == ByteOrder.LITTLE_ENDIAN ? v : Long.reverseBytes(v));
    }
}
