// SPDX-License-Identifier: MIT
package io.jwg.core.uapi;

import io.jwg.core.Device;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One client connection of a {@link UapiServer}, framed as wireguard-go's {@code IpcHandle}
 * (docs/uapi-notes.md section 1): an operation line that is exactly {@code get=1} or
 * {@code set=1}, then its body, then the reply; repeated until the client closes.
 *
 * <ul>
 *   <li>{@code get=1\n\n} is answered with the device state; {@code get=1\n} and one other byte
 *       with {@code errno=-22}, that byte consumed.
 *   <li>{@code set=1\n} is followed by lines up to an empty line or the end of the stream; a
 *       trailing '\r' is dropped from each; a line over 65535 bytes is {@code errno=-5}.
 *   <li>Any other operation line, or none, closes the connection without a reply (an empty
 *       connection is how wg(8) probes for the socket).
 * </ul>
 *
 * Deliberate differences from wireguard-go: requests are served strictly one after another
 * from one buffer, so data pipelined after a set is answered instead of dropped; a refused set
 * is answered after its terminating empty line, not at the refused line, so the connection stays
 * in step; a set changes nothing when refused; and a request (from the moment the server waits
 * for it until its reply is written) must finish within the request timeout, or the connection
 * is closed, which also ends idle and slow clients. A request over the size limits is read to its
 * end without being kept and answered {@code errno=-5}.
 *
 * <p>Runs on its own (virtual) thread; {@link #close()} may come from any thread.
 */
final class UapiConnection implements Runnable {
    private static final System.Logger LOG = System.getLogger(UapiConnection.class.getName());
    /** Longer than any valid operation line: the connection is closed without reading on. */
    private static final int MAX_OPERATION_LINE = 16;
    private static final int READ_BUFFER = 4096;

    private final UapiServer server;
    private final Device device;
    private final SocketChannel channel;
    private final UapiServer.Limits limits;
    /** System.nanoTime() by which the current request must be done; checked by the server. */
    private volatile long deadline;

    UapiConnection(UapiServer server, Device device, SocketChannel channel, UapiServer.Limits limits) {
        this.server = server;
        this.device = device;
        this.channel = channel;
        this.limits = limits;
        this.deadline = System.nanoTime() + limits.idleTimeout().toNanos();
    }

    @Override
    public void run() {
        try {
            LineReader in = new LineReader(channel, READ_BUFFER);
            while (serve(in)) {
                in.shrink();
            }
        } catch (AsynchronousCloseException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: UAPI connection closed (timeout or shutdown)", device.name());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: UAPI connection failed: {1}", device.name(), e.toString());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, device.name() + ": UAPI request failed", e);
        } finally {
            close();
            server.ended(this);
        }
    }

    /** True when the time for the current request is up at {@code now} (a System.nanoTime()). */
    boolean expired(long now) {
        return now - deadline > 0;
    }

    void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: closing a UAPI connection: {1}", device.name(), e.toString());
        }
    }

    /** Serves one request; false when the connection is to be closed. */
    private boolean serve(LineReader in) throws IOException {
        deadline = System.nanoTime() + limits.idleTimeout().toNanos();
        int n = in.readLine(MAX_OPERATION_LINE, false);
        if (n == LineReader.EOF) {
            return false;
        }
        deadline = System.nanoTime() + limits.requestTimeout().toNanos();
        String op = n >= 0 && in.endedWithNewline() ? in.text() : null;
        if ("get=1".equals(op)) {
            int next = in.read();
            if (next < 0) {
                return false;
            }
            write(next == '\n' ? Uapi.get(device) : reply(UapiError.EINVAL.errno()));
            return true;
        }
        if ("set=1".equals(op)) {
            write(reply(set(in)));
            return true;
        }
        LOG.log(System.Logger.Level.INFO, "{0}: invalid UAPI operation; closing the connection", device.name());
        return false;
    }

    private int set(LineReader in) throws IOException {
        SetRequest request = new SetRequest();
        long start = in.consumed();
        int lines = 0;
        while (true) {
            int n = in.readLine(SetRequest.MAX_LINE_LENGTH, true);
            if (n == LineReader.EOF) {
                break;
            }
            if (n == LineReader.TOO_LONG) {
                request.fail(UapiError.EIO, "line longer than " + SetRequest.MAX_LINE_LENGTH + " bytes");
            } else {
                if (n > 0 && in.byteAt(n - 1) == '\r') {
                    in.dropLast();
                    n--;
                }
                if (n == 0) {
                    break;
                }
                if (++lines > limits.maxRequestLines() || in.consumed() - start > limits.maxRequestBytes()) {
                    request.fail(UapiError.EIO, "request larger than " + limits.maxRequestLines() + " lines or "
                            + limits.maxRequestBytes() + " bytes");
                } else if (request.error() == null) {
                    request.line(in.text());
                }
            }
            if (!in.endedWithNewline()) {
                break;
            }
        }
        return Uapi.apply(device, request);
    }

    private static String reply(int errno) {
        return "errno=" + errno + "\n\n";
    }

    private void write(String reply) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(reply.getBytes(StandardCharsets.ISO_8859_1));
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }
}
