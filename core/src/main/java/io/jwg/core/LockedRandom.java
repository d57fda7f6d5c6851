// SPDX-License-Identifier: MIT
package io.jwg.core;

import java.util.random.RandomGenerator;

/** Serializes access to an injected generator, so tests may pass a non-thread-safe seeded one. */
final class LockedRandom implements RandomGenerator {
    private final RandomGenerator delegate;

    LockedRandom(RandomGenerator delegate) {
        this.delegate = delegate;
    }

    @Override
    public synchronized long nextLong() {
        return delegate.nextLong();
    }

    @Override
    public synchronized int nextInt() {
        return delegate.nextInt();
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
        delegate.nextBytes(bytes);
    }
}
