// SPDX-License-Identifier: MIT
package io.jwg.core;

import io.jwg.noise.crypto.AeadProvider;
import io.jwg.noise.crypto.Aeads;
import java.util.random.RandomGenerator;

/**
 * What a device is built with besides its TUN and bind: clocks, timers, randomness and the AEAD.
 * Production defaults live here and nowhere else; tests inject a manual clock and scheduler.
 */
public final class DeviceOptions {
    final Clock clock;
    final Scheduler scheduler;
    final boolean ownsScheduler;
    final RandomGenerator random;
    final AeadProvider aead;
    final Timings timings;
    final int handshakeQueueCapacity;
    final int underLoadThreshold;
    final String name;

    private DeviceOptions(Builder b) {
        this.clock = b.clock;
        this.ownsScheduler = b.scheduler == null;
        this.scheduler = b.scheduler;
        this.random = b.random;
        this.aead = b.aead;
        this.timings = b.timings;
        this.handshakeQueueCapacity = b.handshakeQueueCapacity;
        this.underLoadThreshold = b.underLoadThreshold;
        this.name = b.name;
    }

    public static DeviceOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private Clock clock = Clock.system();
        private Scheduler scheduler;
        private RandomGenerator random = new SystemRandom();
        private AeadProvider aead = Aeads.fastest();
        private Timings timings = Timings.DEFAULT;
        private int handshakeQueueCapacity = HandshakeQueue.MAX_QUEUED_INCOMING_HANDSHAKES;
        private int underLoadThreshold = HandshakeQueue.MAX_QUEUED_INCOMING_HANDSHAKES / 8;
        private String name = "jwg";

        /** A name for the device's threads and logs (the interface name, for the daemon). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** A scheduler on the same clock; by default the device makes and owns a timer thread. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /** Randomness for keys, indices, cookies and jitter; the system's ({@link SystemRandom}) by default. Used under a lock. */
        public Builder random(RandomGenerator random) {
            this.random = random;
            return this;
        }

        public Builder aead(AeadProvider aead) {
            this.aead = aead;
            return this;
        }

        /** Protocol times; only tests should change them (see {@link Timings#withRekeyAfterTime}). */
        public Builder timings(Timings timings) {
            this.timings = timings;
            return this;
        }

        /**
         * Queued handshake messages at which the device considers itself under load and answers
         * with cookie replies (default: the kernel's 4096 / 8). Tests lower it to 0 to force load.
         */
        public Builder underLoadThreshold(int messages) {
            this.underLoadThreshold = messages;
            return this;
        }

        public Builder handshakeQueueCapacity(int messages) {
            this.handshakeQueueCapacity = messages;
            return this;
        }

        public DeviceOptions build() {
            return new DeviceOptions(this);
        }
    }
}
