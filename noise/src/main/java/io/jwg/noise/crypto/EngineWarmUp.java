// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Brings a {@link ChaCha20Poly1305.Engine} to compiled speed on throwaway data before it carries
 * traffic. The Vector API engine runs about a thousand times slower until C2 has compiled it
 * (interpreted or C1 code boxes every vector): measured 130-370 seals of 8 KB per second for the
 * first three seconds of a JVM. {@link ChaCha20Poly1305} therefore serves packets with the scalar
 * engine while this daemon thread drives the vector engine through every path the data path
 * takes (seal and open, all tail lengths, short and long packets, AD, forged
 * tags), so that C2 compiles them all and later traffic does not hit uncommon traps; then it hands
 * the engine over.
 */
final class EngineWarmUp {

    /** Rounds over the whole case list; C2 compiles after some thousand calls. */
    private static final int ROUNDS = 800;
    /** Give up (and keep the scalar engine) if the JIT is this slow. */
    private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final CountDownLatch done = new CountDownLatch(1);

    /** Starts warming {@code engine} up; {@code ready} receives it once it is fast. */
    static EngineWarmUp start(ChaCha20Poly1305.Engine engine, Consumer<ChaCha20Poly1305.Engine> ready) {
        EngineWarmUp warmUp = new EngineWarmUp();
        Thread thread = new Thread(() -> {
            try {
                if (warmUp.run(engine)) {
                    ready.accept(engine);
                }
            } finally {
                warmUp.done.countDown();
            }
        }, "jwg-aead-warmup");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
        return warmUp;
    }

    /** Waits until the warm-up has ended; {@code false} on timeout. */
    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit);
    }

    private boolean run(ChaCha20Poly1305.Engine engine) {
        int[] key = {0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c, 0x13121110, 0x17161514, 0x1b1a1918, 0x1f1e1d1c};
        int[] sizes = {0, 1, 15, 16, 31, 33, 64, 100, 191, 200, 383, 385, 600, 1280, 1420, 1439, 2000};
        // direct buffers only: ChaCha20Poly1305 gives the vector engine nothing else
        ByteBuffer[] buffers = {ByteBuffer.allocateDirect(2100)};
        byte[] ad = new byte[13];
        long start = System.nanoTime();
        long counter = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (int size : sizes) {
                for (ByteBuffer buf : buffers) {
                    byte[] a = (round & 3) == 0 ? ad : null;
                    engine.crypt(true, key, 0, counter, a, buf, 1, buf, 1, size);
                    if (!engine.crypt(false, key, 0, counter, a, buf, 1, buf, 1, size)) {
                        return false; // cannot happen unless the engine is broken: keep the scalar one
                    }
                    // a forged packet: the rejection path must be compiled as well
                    buf.put(1 + size, (byte) (buf.get(1 + size) ^ 1));
                    engine.crypt(false, key, 0, counter, a, buf, 1, buf, 1, size);
                    counter++;
                }
            }
            if (System.nanoTime() - start > LIMIT_NANOS) {
                return false;
            }
        }
        return true;
    }
}
