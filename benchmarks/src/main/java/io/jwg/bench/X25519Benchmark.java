// SPDX-License-Identifier: MIT
package io.jwg.bench;

import io.jwg.noise.crypto.X25519;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two Curve25519 operations (RFC 7748) a handshake is made of, as a yardstick for
 * {@link HandshakeBenchmark}: a responder does three Diffie-Hellman operations (es, ee, se; ss is
 * precomputed per peer) and one public-key derivation for its ephemeral key, an initiator two
 * and one. Whatever the handshake costs beyond these is BLAKE2s, HKDF and the AEAD. The
 * {@code bouncyCastle*} pair runs the same operations through BouncyCastle's implementation, which
 * jwg used before its own, as a yardstick measured in the same run.
 */
@Fork(1)
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 8, time = 1)
public class X25519Benchmark {
    private byte[] privateKey;
    private byte[] publicKey;
    private final byte[] shared = new byte[X25519.KEY_SIZE];

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(25519);
        privateKey = X25519.generatePrivateKey(random);
        publicKey = X25519.publicFromPrivate(X25519.generatePrivateKey(random));
    }

    /** DH(private, public): one scalar multiplication of a variable point. */
    @Benchmark
    public byte[] sharedSecret() {
        if (!X25519.sharedSecret(privateKey, publicKey, shared)) {
            throw new IllegalStateException("zero shared secret");
        }
        return shared;
    }

    /** The public key of a private key: one scalar multiplication of the base point. */
    @Benchmark
    public byte[] publicFromPrivate() {
        return X25519.publicFromPrivate(privateKey);
    }

    /** {@link #sharedSecret} with BouncyCastle's {@code rfc7748.X25519}. */
    @Benchmark
    public byte[] bouncyCastleSharedSecret() {
        org.bouncycastle.math.ec.rfc7748.X25519.scalarMult(privateKey, 0, publicKey, 0, shared, 0);
        return shared;
    }

    /** {@link #publicFromPrivate} with BouncyCastle's {@code rfc7748.X25519}. */
    @Benchmark
    public byte[] bouncyCastlePublicFromPrivate() {
        byte[] pub = new byte[X25519.KEY_SIZE];
        org.bouncycastle.math.ec.rfc7748.X25519.scalarMultBase(privateKey, 0, pub, 0);
        return pub;
    }
}
