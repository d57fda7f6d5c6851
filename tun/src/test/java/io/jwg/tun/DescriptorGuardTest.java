// SPDX-License-Identifier: MIT
package io.jwg.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DescriptorGuardTest {

    private final AtomicInteger closes = new AtomicInteger();
    private final DescriptorGuard guard = new DescriptorGuard(closes::incrementAndGet);
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void closingAnIdleGuardClosesOnceAndRefusesNewOperations() {
        AtomicInteger wakeUps = new AtomicInteger();

        guard.close(wakeUps::incrementAndGet);
        guard.close(wakeUps::incrementAndGet);

        assertEquals(1, closes.get());
        assertEquals(1, wakeUps.get());
        assertFalse(guard.enter());
    }

    @Test
    void descriptorsStayOpenUntilTheOperationInFlightLeaves() throws Exception {
        assertTrue(guard.enter());
        CountDownLatch woken = new CountDownLatch(1);

        Future<?> closer = threads.submit(() -> guard.close(woken::countDown));

        assertTrue(woken.await(5, TimeUnit.SECONDS), "wake-up runs while the operation is in");
        assertThrows(TimeoutException.class, () -> closer.get(100, TimeUnit.MILLISECONDS));
        assertEquals(0, closes.get());
        assertFalse(guard.enter());

        guard.exit();

        closer.get(5, TimeUnit.SECONDS);
        assertEquals(1, closes.get());
    }

    @Test
    void operationsThatEnterAndLeaveBeforeCloseDoNotClose() {
        for (int i = 0; i < 3; i++) {
            assertTrue(guard.enter());
            guard.exit();
        }
        assertEquals(0, closes.get());
    }
}
