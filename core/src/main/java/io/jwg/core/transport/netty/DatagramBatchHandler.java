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
 * releases every buffer. Each datagram is first copied into this handler's own direct buffer
 * (the arena), one after the other, and the receiver gets it there: one {@link ByteBuffer} object
 * for every datagram, located by absolute offsets (the contract of {@link DatagramReceiver}), so
 * no view is allocated per datagram (Netty's {@code nioBuffer} and, for its derived buffers,
 * {@code internalNioBuffer} allocate one each time) and the TUN write finds the arena's native
 * address in its cache. The copy is a memcpy by address ({@link LinuxCalls}); it costs far less
 * than the decryption that follows. When the arena is full the batch is closed early with
 * {@link DatagramReceiver#endOfBatch()} and the arena reused. With UDP_GRO on the socket, Netty has
 * already cut each coalesced read into its datagrams (slices of one buffer, each with the sender's
 * address), so this handler sees the same separate datagrams either way.
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
    /** Where datagrams are copied for the receiver; a few hundred full-size ones per batch. */
    static final int ARENA_SIZE = 256 * 1024;
    private final ByteBuffer arena = ByteBuffer.allocateDirect(ARENA_SIZE);
    private final long arenaAddress = LinuxCalls.SUPPORTED ? LinuxCalls.addressOfDirect(arena) : 0;
    private int arenaUsed;

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
            arenaUsed = 0;
            for (int i = 0; i < count; i++) {
                deliver(pending[i]);
            }
            endBatch();
        } finally {
            releasePending();
        }
    }

    private void endBatch() {
        try {
            receiver.endOfBatch();
        } catch (RuntimeException e) {
            failed(e);
        }
        arenaUsed = 0;
    }

    private void deliver(DatagramPacket packet) {
        ByteBuf content = packet.content();
        int len = content.readableBytes();
        if (len > ARENA_SIZE - arenaUsed) {
            endBatch(); // the receiver is done with the arena's datagrams once this returns
        }
        int off = arenaUsed;
        if (arenaAddress != 0 && content.hasMemoryAddress()) {
            LinuxCalls.copy(content.memoryAddress() + content.readerIndex(), arenaAddress + off, len);
        } else {
            arena.limit(off + len).position(off);
            content.getBytes(content.readerIndex(), arena);
        }
        arena.limit(ARENA_SIZE).position(0);
        arenaUsed = Math.min(ARENA_SIZE, (off + len + 63) & -64); // the next one cache-line aligned
        try {
            receiver.receive(arena, off, len, packet.sender());
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
