// SPDX-License-Identifier: MIT
package io.jwg.bench;

import io.jwg.noise.CookieChecker;
import io.jwg.noise.CookieGenerator;
import io.jwg.noise.Handshake;
import io.jwg.noise.Messages;
import io.jwg.noise.OpenedInitiation;
import io.jwg.noise.PrivateKey;
import io.jwg.noise.PublicKey;
import io.jwg.noise.Reason;
import io.jwg.noise.SessionKeys;
import io.jwg.noise.StaticIdentity;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The CPU cost of WireGuard's handshake messages (whitepaper sections 5.4.2 - 5.4.4 and 5.4.7) as
 * a device pays it, one thread = one core: creating an initiation, everything a responder does for
 * one initiation (the "responder handshakes per second per core"), an initiator consuming
 * the response, and the cookie reply a responder under load sends instead of doing any DH.
 *
 * <p>A responder accepts an initiation from a peer only once (its TAI64N timestamp must grow) and
 * at most every HANDSHAKE_INITIATION_RATE, and an initiator's response can be consumed only once.
 * So the two benchmarks that consume messages run in {@link Mode#SingleShotTime} batches over
 * messages made in setup (each consumed once per batch; the responder's per-peer state is renewed
 * between batches), and every measured call throws if the message was not ACCEPTED: no figure can
 * come from a cheaper rejection path. In that mode JMH times a whole batch
 * and divides by {@code @OperationsPerInvocation}, which therefore equals the batch size: keep the
 * two together (do not override the batch size with {@code -bs}). Randomness is a SecureRandom, as
 * in a device.
 */
@Fork(1)
public class HandshakeBenchmark {
    /** Initiations per responder batch (one JMH iteration). */
    static final int RESPONDER_BATCH = 1024;
    /** Responses per initiator batch (one JMH iteration). */
    static final int INITIATOR_BATCH = 256;

    private static final byte[] SOURCE_ADDRESS = {(byte) 192, 0, 2, 1};
    private static final int SOURCE_PORT = 51820;
    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
    private static final long SECOND = 1_000_000_000L;

    /**
     * Our side of the device: identity, MAC checker and the responder's peer table. A plain object
     * that each state builds for itself (JMH gives every injection point of a thread-scoped state
     * its own instance, so states must not share one through setup parameters).
     */
    static final class Device {
        /** Configured peers that never send during the run, so the peer lookup is not a one-entry map. */
        static final int IDLE_PEERS = 1_000;
        /** Peers whose initiations the responder consumes, round robin. */
        static final int ACTIVE_PEERS = 16;

        final SecureRandom random = new SecureRandom();
        final StaticIdentity identity = new StaticIdentity(PrivateKey.generate(random));
        final CookieChecker checker = new CookieChecker(identity, random);
        final Map<PublicKey, Peer> peers = new HashMap<>();
        final StaticIdentity[] active = new StaticIdentity[ACTIVE_PEERS];
        /** The device's monotonic clock: a second passes per message, far beyond the flood limit. */
        long nanos = SECOND;

        /** @param idlePeers configured peers besides the active ones (only the responder looks peers up) */
        Device(int idlePeers) {
            for (int i = 0; i < idlePeers; i++) {
                PublicKey key = PrivateKey.generate(random).publicKey();
                peers.put(key, new Peer(identity, key));
            }
            for (int i = 0; i < ACTIVE_PEERS; i++) {
                active[i] = new StaticIdentity(PrivateKey.generate(random));
                peers.put(active[i].publicKey(), new Peer(identity, active[i].publicKey()));
            }
        }
    }

    /** What the responder keeps per configured peer. */
    static final class Peer {
        Handshake handshake;
        final CookieGenerator macs;

        Peer(StaticIdentity local, PublicKey remote) {
            handshake = new Handshake(local, remote);
            macs = new CookieGenerator(remote);
        }
    }

    /** An initiator that sends to the device. */
    static final class Initiator {
        final Handshake handshake;
        final CookieGenerator macs;

        Initiator(StaticIdentity self, PublicKey responder) {
            handshake = new Handshake(self, responder);
            macs = new CookieGenerator(responder);
        }

        byte[] initiate(int index, Instant now, long nanos, SecureRandom random) {
            byte[] msg = new byte[Messages.INITIATION_SIZE];
            if (!handshake.createInitiation(msg, index, now, random)) {
                throw new IllegalStateException("createInitiation refused");
            }
            macs.addMacs(msg, msg.length, nanos);
            return msg;
        }
    }

    /** Initiations made beforehand for the responder batches: the same pool every batch. */
    @State(Scope.Thread)
    public static class Initiations {
        Device device;
        byte[][] pool;
        int next;

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) {
            device = new Device(Device.IDLE_PEERS);
            int size = Math.max(params.getWarmup().getBatchSize(), params.getMeasurement().getBatchSize());
            pool = new byte[size][];
            Initiator[] from = new Initiator[Device.ACTIVE_PEERS];
            for (int i = 0; i < from.length; i++) {
                from[i] = new Initiator(device.active[i], device.identity.publicKey());
            }
            for (int i = 0; i < size; i++) {
                // Peer i % n sends its (i / n)-th initiation: timestamps grow a second at a time.
                Instant sent = EPOCH.plusSeconds(i / from.length);
                pool[i] = from[i % from.length].initiate(i, sent, i * SECOND, device.random);
            }
        }

        /**
         * A fresh responder handshake for each sender forgets the timestamps of the last batch, so
         * the same initiations are new again. Costs ACTIVE_PEERS X25519 operations per batch,
         * outside the measurement.
         */
        @Setup(Level.Iteration)
        public void forgetTimestamps() {
            for (StaticIdentity a : device.active) {
                device.peers.get(a.publicKey()).handshake = new Handshake(device.identity, a.publicKey());
            }
            next = 0;
        }
    }

    /** Initiators waiting for their responses, made beforehand: one per measured call of the run. */
    @State(Scope.Thread)
    public static class Responses {
        Device device;
        /** The initiator's own MAC checker: mac1 of a response is keyed with the initiator's key. */
        CookieChecker initiatorChecker;
        Handshake[] initiators;
        byte[][] responses;
        int next;

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) {
            device = new Device(0);
            int total = params.getWarmup().getCount() * params.getWarmup().getBatchSize()
                    + params.getMeasurement().getCount() * params.getMeasurement().getBatchSize();
            initiators = new Handshake[total];
            responses = new byte[total][];
            StaticIdentity self = device.active[0];
            initiatorChecker = new CookieChecker(self, device.random);
            Peer atResponder = device.peers.get(self.publicKey());
            for (int i = 0; i < total; i++) {
                Initiator initiator = new Initiator(self, device.identity.publicKey());
                byte[] init = initiator.initiate(i, EPOCH.plusSeconds(i), device.nanos, device.random);
                device.nanos += SECOND;
                OpenedInitiation opened = Handshake.openInitiation(device.identity, init, 0, init.length);
                expect(atResponder.handshake.consumeInitiation(opened, device.nanos));
                byte[] response = new byte[Messages.RESPONSE_SIZE];
                if (!atResponder.handshake.createResponse(response, ~i, device.random)) {
                    throw new IllegalStateException("createResponse refused");
                }
                atResponder.macs.addMacs(response, response.length, device.nanos);
                atResponder.handshake.beginSession();
                initiators[i] = initiator.handshake;
                responses[i] = response;
            }
        }
    }

    /** A responder under load, and an initiation whose mac1 is right but which carries no mac2. */
    @State(Scope.Thread)
    public static class UnderLoad {
        Device device;
        byte[] initiation;

        @Setup(Level.Trial)
        public void setUp() {
            device = new Device(0);
            initiation = new Initiator(device.active[0], device.identity.publicKey())
                    .initiate(1, EPOCH, device.nanos, device.random);
            if (device.checker.check(initiation, initiation.length, SOURCE_ADDRESS, SOURCE_PORT, true, device.nanos)
                    != CookieChecker.MacCheck.VALID_MAC_BUT_NO_COOKIE) {
                throw new IllegalStateException("the cookie benchmark's initiation must have mac1 but no mac2");
            }
        }
    }

    /** An initiator sending again and again (each initiation replaces the last). */
    @State(Scope.Thread)
    public static class Sender {
        Device device;
        Initiator initiator;
        final byte[] msg = new byte[Messages.INITIATION_SIZE];

        @Setup(Level.Trial)
        public void setUp() {
            device = new Device(0);
            initiator = new Initiator(device.active[0], device.identity.publicKey());
        }
    }

    /** createInitiation + addMacs: what sending one initiation costs. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public byte[] initiation(Sender s) {
        if (!s.initiator.handshake.createInitiation(s.msg, 7, EPOCH, s.device.random)) {
            throw new IllegalStateException("createInitiation refused");
        }
        s.initiator.macs.addMacs(s.msg, s.msg.length, s.device.nanos);
        return s.msg;
    }

    /**
     * One initiation in, one response out, session keys derived: mac1 check, open (e, es, s), peer
     * lookup, consume (ss, timestamp, replay and flood checks), create the response (e, ee, se,
     * psk), its MACs and the key split. The target is 4,000 of these per second per core.
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 6, batchSize = RESPONDER_BATCH)
    @Measurement(iterations = 15, batchSize = RESPONDER_BATCH)
    @OperationsPerInvocation(RESPONDER_BATCH)
    public SessionKeys responder(Initiations in) {
        if (in.next == in.pool.length) {
            throw new IllegalStateException("responder runs in SingleShotTime batches of at most " + in.pool.length);
        }
        Device d = in.device;
        byte[] msg = in.pool[in.next++];
        long now = d.nanos += SECOND;
        if (d.checker.check(msg, msg.length, SOURCE_ADDRESS, SOURCE_PORT, false, now)
                != CookieChecker.MacCheck.VALID_MAC_BUT_NO_COOKIE) {
            throw new IllegalStateException("mac1 rejected");
        }
        OpenedInitiation opened = Handshake.openInitiation(d.identity, msg, 0, msg.length);
        Peer peer = d.peers.get(opened.remoteStatic());
        if (peer == null) {
            throw new IllegalStateException("unknown peer: " + opened.reason());
        }
        expect(peer.handshake.consumeInitiation(opened, now));
        byte[] response = new byte[Messages.RESPONSE_SIZE];
        if (!peer.handshake.createResponse(response, in.next, d.random)) {
            throw new IllegalStateException("createResponse refused");
        }
        peer.macs.addMacs(response, response.length, now);
        return peer.handshake.beginSession();
    }

    /** The initiator's side of the response: mac1 check, consumeResponse (e, ee, se, psk) and beginSession. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 5, batchSize = INITIATOR_BATCH)
    @Measurement(iterations = 10, batchSize = INITIATOR_BATCH)
    @OperationsPerInvocation(INITIATOR_BATCH)
    public SessionKeys initiatorConsumesResponse(Responses r) {
        if (r.next == r.responses.length) {
            throw new IllegalStateException("initiatorConsumesResponse ran more calls than prepared");
        }
        int i = r.next++;
        byte[] msg = r.responses[i];
        if (r.initiatorChecker.check(msg, msg.length, SOURCE_ADDRESS, SOURCE_PORT, false, r.device.nanos)
                != CookieChecker.MacCheck.VALID_MAC_BUT_NO_COOKIE) {
            throw new IllegalStateException("mac1 rejected");
        }
        expect(r.initiators[i].consumeResponse(msg, 0, msg.length));
        SessionKeys keys = r.initiators[i].beginSession();
        r.initiators[i] = null; // its work is done; let it go
        return keys;
    }

    /** Under load without a valid mac2: check mac1 and mac2, then seal a cookie reply. No DH at all. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 8, time = 1)
    public byte[] cookieReply(UnderLoad u) {
        Device d = u.device;
        byte[] msg = u.initiation;
        if (d.checker.check(msg, msg.length, SOURCE_ADDRESS, SOURCE_PORT, true, d.nanos)
                != CookieChecker.MacCheck.VALID_MAC_BUT_NO_COOKIE) {
            throw new IllegalStateException("expected a valid mac1 without a cookie");
        }
        return d.checker.createReply(msg, msg.length, SOURCE_ADDRESS, SOURCE_PORT, d.nanos);
    }

    private static void expect(Reason r) {
        if (r != Reason.ACCEPTED) {
            throw new IllegalStateException("handshake message rejected: " + r);
        }
    }
}
