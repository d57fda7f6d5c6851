// SPDX-License-Identifier: MIT
package io.jwg.core.transport.netty;

import io.jwg.core.transport.DatagramReceiver;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;

/**
 * Turns Netty's reads into {@link DatagramReceiver} batches: {@code channelRead} only collects the
 * datagrams of one event-loop read cycle (one or more recvmmsg calls), {@code channelReadComplete}
 * hands them to the receiver, closes the batch with {@link DatagramReceiver#endOfBatch()} and then
 * releases every buffer. The receiver sees Netty's receive memory itself, no copy, through the
 * receive buffer's internal view ({@link ByteBuf#internalNioBuffer(int, int)}): datagrams of one
 * batch share that {@link ByteBuffer} object, located by their absolute offsets, and its position
 * and limit are set to each datagram just before it is delivered (the contract of
 * {@link DatagramReceiver}). Nothing is allocated per datagram here.
 *
 * <p>A receiver that throws loses that datagram (or batch end), is counted, and the channel goes on
 * reading: one malformed packet must not take the device off the network.
 *
 * <p>Thread-safety: Netty calls a handler from its channel's event loop only; the counter may be
 * read from any thread.
 */
final class DatagramBatchHandler extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(DatagramBatchHandler.class.getName());

    private final DatagramReceiver receiver;
    private final LongAdder receiverFailures;
    private final LongAdder readErrors;
    private DatagramPacket[] pending;
    private int count;

    DatagramBatchHandler(DatagramReceiver receiver, int expectedBatch, LongAdder receiverFailures,
            LongAdder readErrors) {
        this.receiver = receiver;
        this.receiverFailures = receiverFailures;
        this.readErrors = readErrors;
        this.pending = new DatagramPacket[expectedBatch];
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (count == pending.length) {
            pending = java.util.Arrays.copyOf(pending, count * 2);
        }
        pending[count++] = packet;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (count == 0) {
            return;
        }
        try {
            for (int i = 0; i < count; i++) {
                deliver(pending[i]);
            }
            try {
                receiver.endOfBatch();
            } catch (RuntimeException e) {
                failed(e);
            }
        } finally {
            releasePending();
        }
    }

    private void deliver(DatagramPacket packet) {
        ByteBuf content = packet.content();
        int len = content.readableBytes();
        // Netty's own view of the receive memory (one per receive buffer, reused): no ByteBuffer
        // per datagram, and the TUN write finds its native address in its cache.
        ByteBuffer view = content.internalNioBuffer(content.readerIndex(), len);
        try {
            receiver.receive(view, view.position(), len, packet.sender());
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void failed(RuntimeException e) {
        receiverFailures.increment();
        if (receiverFailures.sum() == 1) {
            LOG.log(Level.WARNING, "datagram receiver threw; dropping the datagram and continuing", e);
        }
    }

    /**
     * A failed read cycle (rare on an unconnected UDP socket; out of direct memory, say) is counted;
     * the channel stays open and reads again on the next readiness event.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        readErrors.increment();
        if (readErrors.sum() == 1) {
            LOG.log(Level.WARNING, "UDP read failed; the socket stays open", cause);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releasePending();
    }

    private void releasePending() {
        for (int i = 0; i < count; i++) {
            pending[i].release();
            pending[i] = null;
        }
        count = 0;
    }
}
