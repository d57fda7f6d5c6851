// SPDX-License-Identifier: MIT
package io.jwg.bench;

import io.jwg.noise.crypto.Aead;
import io.jwg.noise.crypto.Aeads;
import io.jwg.noise.crypto.ChaCha20Poly1305;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Seal and open of one WireGuard transport-data payload, in place on a direct buffer, as the data
 * path does it, for each {@link Aeads} implementation. Scores are packets per second; times the
 * size they give bytes per second (benchmarks/aead.sh prints GB/s and the ratios to OpenSSL and to
 * the JDK).
 *
 * <p>The forks open the JDK's crypto internals as jwg's launcher does, so that "jwg" runs on its
 * preferred engine (the JDK's ChaCha20 and Poly1305 stubs, "jwg-intrinsic"), and wait for that
 * engine's warm-up. "jwg-vector" (Vector API; the forks also add the incubator module) and
 * "jwg-scalar" (portable) are the same class on its other engines.
 * {@code open} first copies the pristine sealed packet back over the buffer (an in-place open
 * overwrites it); that copy is included in the open figures, about 1-3% of them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector",
        "--add-opens", "java.base/com.sun.crypto.provider=ALL-UNNAMED",
        "--add-opens", "java.base/sun.security.util.math.intpoly=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class AeadBenchmark {

    @Param({"jwg", "jwg-intrinsic", "jwg-vector", "jwg-scalar", "jdk", "bouncycastle"})
    public String impl;

    @Param({"64", "512", "1420", "8192"})
    public int size;

    private Aead aead;
    private ByteBuffer packet;
    private ByteBuffer sealed;
    private long counter;

    @Setup
    public void setUp() throws InterruptedException {
        // jwg serves packets with its scalar engine until the vector one is compiled: measure the latter
        if (!ChaCha20Poly1305.awaitWarmUp(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("jwg's vector engine did not warm up");
        }
        SplittableRandom random = new SplittableRandom(1420);
        byte[] key = new byte[Aead.KEY_SIZE];
        random.nextBytes(key);
        aead = Aeads.byName(impl).create(key);
        byte[] payload = new byte[size];
        random.nextBytes(payload);
        packet = ByteBuffer.allocateDirect(size + Aead.TAG_SIZE);
        packet.put(0, payload);
        sealed = ByteBuffer.allocateDirect(size + Aead.TAG_SIZE);
        sealed.put(0, payload);
        aead.seal(-1L, null, sealed, 0, size, sealed, 0);
    }

    @TearDown
    public void tearDown() {
        aead.close();
    }

    /** Encrypts and authenticates in place; a fresh counter each time, as on the wire. */
    @Benchmark
    public ByteBuffer seal() {
        aead.seal(counter++, null, packet, 0, size, packet, 0);
        return packet;
    }

    /** Authenticates and decrypts in place (after restoring the sealed packet). */
    @Benchmark
    public boolean open() {
        packet.put(0, sealed, 0, size + Aead.TAG_SIZE);
        boolean ok = aead.open(-1L, null, packet, 0, size + Aead.TAG_SIZE, packet, 0);
        if (!ok) {
            throw new IllegalStateException(impl + " rejected its own packet");
        }
        return ok;
    }
}
