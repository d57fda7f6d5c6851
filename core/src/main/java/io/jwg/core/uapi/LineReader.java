// SPDX-License-Identifier: MIT
package io.jwg.core.uapi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * Reads one UAPI connection as wireguard-go's {@code IpcHandle} does: single bytes and
 * '\n'-terminated lines, each line bounded in length. Bytes become chars one to one
 * (ISO-8859-1), so keys and values compare byte for byte and nothing is ever rejected for its
 * encoding. Everything read stays buffered here until asked for, so pipelined requests are
 * never lost. Memory: one small read buffer and a line buffer as long as the longest line.
 *
 * <p>Not thread-safe: one connection, one reader thread.
 */
final class LineReader {
    /** {@link #readLine} result: the stream ended before any byte of the line. */
    static final int EOF = -1;
    /** {@link #readLine} result: more than the allowed bytes came before '\n'. */
    static final int TOO_LONG = -2;

    private final ReadableByteChannel in;
    private final ByteBuffer buf;
    private byte[] line = new byte[128];
    private int length;
    private boolean newline;
    private long consumed;

    LineReader(ReadableByteChannel in, int bufferSize) {
        this.in = in;
        this.buf = ByteBuffer.allocate(bufferSize).flip();
    }

    /** The next byte, or -1 at the end of the stream. */
    int read() throws IOException {
        if (!buf.hasRemaining() && !fill()) {
            return -1;
        }
        consumed++;
        return buf.get() & 0xff;
    }

    /**
     * Reads up to and including the next '\n' or to the end of the stream. Returns the line's
     * length without the '\n' ({@link #text()} has it), {@link #EOF}, or {@link #TOO_LONG} when
     * more than {@code max} bytes precede the '\n'. An over-long line is skipped to its end when
     * {@code skipRest}; otherwise reading stops right after byte {@code max + 1}.
     */
    int readLine(int max, boolean skipRest) throws IOException {
        length = 0;
        newline = false;
        boolean tooLong = false;
        boolean any = false;
        while (true) {
            if (!buf.hasRemaining() && !fill()) {
                return tooLong ? TOO_LONG : any ? length : EOF;
            }
            any = true;
            byte[] a = buf.array();
            int start = buf.position();
            int end = buf.limit();
            for (int i = start; i < end; i++) {
                byte b = a[i];
                if (b == '\n') {
                    consume(i + 1 - start);
                    newline = true;
                    return tooLong ? TOO_LONG : length;
                }
                if (tooLong) {
                    continue;
                }
                if (length == max) {
                    tooLong = true;
                    if (!skipRest) {
                        consume(i + 1 - start);
                        return TOO_LONG;
                    }
                    continue;
                }
                append(b);
            }
            consume(end - start);
        }
    }

    /** The line last read by {@link #readLine}, without '\n'. */
    String text() {
        return new String(line, 0, length, StandardCharsets.ISO_8859_1);
    }

    /** The byte at {@code index} of the line last read. */
    int byteAt(int index) {
        return line[index] & 0xff;
    }

    /** Drops the last byte of the line last read (a '\r' before its '\n'). */
    void dropLast() {
        length--;
    }

    /** Whether the line last read ended in '\n' rather than at the end of the stream. */
    boolean endedWithNewline() {
        return newline;
    }

    /** Bytes consumed so far. */
    long consumed() {
        return consumed;
    }

    /** Lets a long line's buffer go once it is no longer needed. */
    void shrink() {
        if (line.length > 4096) {
            line = new byte[128];
        }
    }

    private void consume(int n) {
        buf.position(buf.position() + n);
        consumed += n;
    }

    private void append(byte b) {
        if (length == line.length) {
            line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, 128));
        }
        line[length++] = b;
    }

    private boolean fill() throws IOException {
        buf.clear();
        int n;
        do {
            n = in.read(buf);
        } while (n == 0);
        buf.flip();
        return n > 0;
    }
}
