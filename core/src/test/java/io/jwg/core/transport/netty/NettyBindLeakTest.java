// SPDX-License-Identifier: MIT
package io.jwg.core.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.core.transport.DatagramReceiver;
import io.jwg.core.transport.Endpoint;
import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The receive path releases every Netty buffer: with the leak detector at PARANOID (every buffer
 * tracked) and a listener on the detector that ByteBufs report to, traffic through a bind --
 * including a receiver that throws -- produces no leak report. A deliberate leak first proves that
 * the listener does see leaks in this JVM.
 */
class NettyBindLeakTest {
    private final List<String> leaks = Collections.synchronizedList(new ArrayList<>());
    private ResourceLeakDetector.Level levelBefore;
    private ResourceLeakDetector<ByteBuf> detector;

    @BeforeEach
    void listenForLeaks() throws Exception {
        levelBefore = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        detector = byteBufLeakDetector();
        detector.setLeakListener((type, records) -> leaks.add(type + ": " + records));
    }

    @AfterEach
    void stopListening() {
        detector.setLeakListener(null);
        ResourceLeakDetector.setLevel(levelBefore);
    }

    @Test
    void trafficThroughABindLeaksNoBuffer() throws Exception {
        leakOneBufferOnPurpose();
        pollForLeaks(() -> !leaks.isEmpty(), 200);
        assertTrue(!leaks.isEmpty(), "the detector reports a deliberate leak to the listener");
        leaks.clear();

        InetAddress v4 = InetAddress.getLoopbackAddress();
        RecordingReceiver recorder = new RecordingReceiver();
        DatagramReceiver throwsOnOdd = new DatagramReceiver() {
            @Override
            public void receive(ByteBuffer buf, int off, int len, InetSocketAddress source) {
                if ((buf.get(off) & 1) == 1) {
                    throw new IllegalArgumentException("odd on purpose");
                }
                recorder.receive(buf, off, len, source);
            }

            @Override
            public void endOfBatch() {
                recorder.endOfBatch();
            }
        };
        // B receives on Netty's read path (the bind's own recvmmsg thread uses no Netty buffers).
        try (NettyBind a = new NettyBind(); NettyBind b = new NettyBind(1, true, true, false)) {
            a.open(0, new RecordingReceiver());
            int portB = b.open(0, throwsOnOdd);
            ByteBuffer buf = ByteBuffer.allocateDirect(2000);
            for (int i = 0; i < 400; i++) {
                buf.put(0, (byte) i);
                a.send(buf, 0, 1 + i * 5, Endpoint.of(v4, portB));
            }
            assertEquals(200, recorder.await(200).size());
            // Datagrams left in a closing socket's last read cycle must be released too.
            for (int i = 0; i < 50; i++) {
                a.send(buf, 0, 1000, Endpoint.of(v4, portB));
            }
        }

        pollForLeaks(() -> false, 20);
        assertEquals(List.of(), leaks);
    }

    private static void leakOneBufferOnPurpose() {
        ByteBuf leaked = ByteBufAllocator.DEFAULT.directBuffer(64);
        leaked.writeLong(42);
    }

    /**
     * Leaks surface when a leaked buffer has been collected and a later allocation polls the
     * detector's queue: up to {@code rounds} of GC, a short pause for reference processing, and an
     * allocation.
     */
    private static void pollForLeaks(java.util.function.BooleanSupplier done, int rounds) throws InterruptedException {
        for (int i = 0; i < rounds && !done.getAsBoolean(); i++) {
            System.gc();
            Thread.sleep(20);
            ByteBufAllocator.DEFAULT.directBuffer(64).release();
        }
    }

    @SuppressWarnings("unchecked")
    private static ResourceLeakDetector<ByteBuf> byteBufLeakDetector() throws ReflectiveOperationException {
        Field f = AbstractByteBuf.class.getDeclaredField("leakDetector");
        f.setAccessible(true);
        return (ResourceLeakDetector<ByteBuf>) f.get(null);
    }
}
