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
        // Compiled code may differ from what ran before (the JDK's stubs replace its Java code):
        // the engine must still agree with the scalar one, byte for byte, before it carries traffic.
        return disagreement(engine, sizes) == null;
    }

    /**
     * Seals every size (with and without AD, on direct buffers, in place) with {@code engine} and
     * with the scalar engine, and opens each result with {@code engine}.
     *
     * @return {@code null} when everything agrees, else what differed
     */
    static String disagreement(ChaCha20Poly1305.Engine engine, int[] sizes) {
        int[] key = {0x8e4f2a31, 0x1d2c3b4a, 0x59687786, 0x95a4b3c2, 0xd1e0f00f, 0x1e2d3c4b, 0x5a697887, 0x96a5b4c3};
        byte[] ad = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
        for (int size : sizes) {
            for (byte[] a : new byte[][] {null, ad}) {
                ByteBuffer mine = ByteBuffer.allocateDirect(size + Aead.TAG_SIZE + 3);
                ByteBuffer theirs = ByteBuffer.allocateDirect(size + Aead.TAG_SIZE + 3);
                for (int i = 0; i < size; i++) {
                    mine.put(3 + i, (byte) (i * 31 + size));
                    theirs.put(3 + i, (byte) (i * 31 + size));
                }
                long counter = 0x0102030405060708L + size;
                engine.crypt(true, key, 7, counter, a, mine, 3, mine, 3, size);
                ScalarChaCha20Poly1305.INSTANCE.crypt(true, key, 7, counter, a, theirs, 3, theirs, 3, size);
                if (!mine.equals(theirs)) {
                    return engine.name() + " seals " + size + " bytes differently from the scalar engine";
                }
                if (!engine.crypt(false, key, 7, counter, a, mine, 3, mine, 3, size)) {
                    return engine.name() + " rejects its own " + size + "-byte packet";
                }
            }
        }
        return null;
    }
}
