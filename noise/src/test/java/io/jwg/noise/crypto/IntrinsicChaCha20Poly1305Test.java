// SPDX-License-Identifier: MIT
package io.jwg.noise.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine on the JDK's ChaCha20 and Poly1305 stubs agrees with the scalar engine (which the RFC
 * 8439 vectors pin down) both while the JDK's Java fallbacks run and after C2 has compiled the
 * stubs in, keeps per-thread state apart, and leaves a forged packet untouched.
 */
class IntrinsicChaCha20Poly1305Test {

    private static final ChaCha20Poly1305.Engine ENGINE = IntrinsicChaCha20Poly1305.INSTANCE;
    private static final ChaCha20Poly1305.Engine SCALAR = ScalarChaCha20Poly1305.INSTANCE;

    @BeforeAll
    static void supported() {
        assumeTrue(IntrinsicChaCha20Poly1305.isSupported(),
                "needs the launcher's add-opens: " + IntrinsicChaCha20Poly1305.unsupportedReason());
    }

    @Test
    void agreesWithTheScalarEngineBeforeAndAfterTheStubsAreCompiledIn() {
        // Tens of thousands of calls: the first run the JDK's Java code, later ones the stubs.
        SplittableRandom random = new SplittableRandom(2026_12_04);
        for (int trial = 0; trial < 40_000; trial++) {
            int len = trial % 97 == 0 ? random.nextInt(5000) : random.nextInt(1500);
            byte[] ad = switch (trial % 5) {
                case 0 -> null;
                case 1 -> new byte[0];
                case 2 -> bytes(random, 32);
                default -> bytes(random, random.nextInt(40));
            };
            int[] key = random.ints(8).toArray();
            long counter = random.nextLong();
            byte[] plain = trial % 11 == 0 ? AeadImplementation.filled(len, (byte) 0xFF) : bytes(random, len);
            ByteBuffer mine = ByteBuffer.allocateDirect(len + Aead.TAG_SIZE).put(0, plain);
            ByteBuffer theirs = ByteBuffer.allocateDirect(len + Aead.TAG_SIZE).put(0, plain);
            assertTrue(ENGINE.crypt(true, key, 0, counter, ad, mine, 0, mine, 0, len));
            SCALAR.crypt(true, key, 0, counter, ad, theirs, 0, theirs, 0, len);
            if (!mine.equals(theirs)) {
                throw new AssertionError("seal differs at trial " + trial + ", length " + len);
            }
            ByteBuffer opened = ByteBuffer.allocateDirect(len);
            assertTrue(ENGINE.crypt(false, key, 0, counter, ad, mine, 0, opened, 0, len), "open, trial " + trial);
            if (!opened.equals(ByteBuffer.wrap(plain))) {
                throw new AssertionError("open differs at trial " + trial + ", length " + len);
            }
        }
    }

    @Test
    void forgedPacketsAreRejectedAndLeftUntouched() {
        int[] key = {1, 2, 3, 4, 5, 6, 7, 8};
        for (int len : new int[] {0, 1, 63, 1420}) {
            ByteBuffer packet = ByteBuffer.allocateDirect(len + Aead.TAG_SIZE);
            ENGINE.crypt(true, key, 0, 9, null, packet, 0, packet, 0, len);
            for (int at : len == 0 ? new int[] {0, 15} : new int[] {0, len - 1, len, len + 15}) {
                ByteBuffer forged = ByteBuffer.allocateDirect(len + Aead.TAG_SIZE).put(0, copy(packet));
                forged.put(at, (byte) (forged.get(at) ^ 0x40));
                ByteBuffer before = ByteBuffer.allocate(len + Aead.TAG_SIZE).put(0, copy(forged));
                assertFalse(ENGINE.crypt(false, key, 0, 9, null, forged, 0, forged, 0, len), "bit flipped at " + at);
                assertEquals(before, forged.rewind(), "a rejected packet was modified");
            }
            assertFalse(ENGINE.crypt(false, key, 0, 10, null, packet, 0, packet, 0, len), "wrong counter");
        }
    }

    @Test
    void threadsSealingAtOnceDoNotShareWorkingState() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    for (int i = 0; i < 3000; i++) {
                        int len = random.nextInt(2000);
                        int[] key = random.ints(8).toArray();
                        byte[] plain = bytes(random, len);
                        ByteBuffer mine = ByteBuffer.allocateDirect(len + Aead.TAG_SIZE).put(0, plain);
                        ByteBuffer theirs = ByteBuffer.allocateDirect(len + Aead.TAG_SIZE).put(0, plain);
                        ENGINE.crypt(true, key, 0, i, null, mine, 0, mine, 0, len);
                        SCALAR.crypt(true, key, 0, i, null, theirs, 0, theirs, 0, len);
                        if (!mine.equals(theirs)) {
                            throw new AssertionError("thread " + seed + " sealed packet " + i + " wrongly");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] copy(ByteBuffer buffer) {
        byte[] b = new byte[buffer.capacity()];
        buffer.get(0, b);
        return b;
    }
}
