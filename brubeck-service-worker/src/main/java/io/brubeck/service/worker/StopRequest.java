package io.brubeck.service.worker;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The one-way switch that tells the program to stop, and why. Signal handlers, the parent-process
 * watch and the shutdown hook flip it from their own threads; the main thread waits on it.
 */
final class StopRequest {
    private final CountDownLatch requested = new CountDownLatch(1);
    private final AtomicReference<String> reason = new AtomicReference<>();

    /** Asks the program to stop; the first reason given is the one reported. */
    void request(String why) {
        reason.compareAndSet(null, why);
        requested.countDown();
    }

    /** Waits until a stop is requested and returns the reason. */
    String await() throws InterruptedException {
        requested.await();
        return reason.get();
    }

    /**
     * Waits until a stop is requested, looking every {@code periodMillis} whether {@code running} still
     * holds; when it no longer does, requests a stop because {@code whyNot}. Returns the reason.
     */
    String awaitWhile(BooleanSupplier running, String whyNot, long periodMillis) throws InterruptedException {
        Optional<String> reason;
        while ((reason = await(periodMillis, TimeUnit.MILLISECONDS)).isEmpty()) {
            if (!running.getAsBoolean()) {
                request(whyNot);
            }
        }
        return reason.get();
    }

    /** The reason, if a stop has been requested; does not wait. */
    Optional<String> requested() {
        return requested.getCount() == 0 ? Optional.of(reason.get()) : Optional.empty();
    }

    /** Waits at most the given time; the reason, or empty if no stop was requested in time. */
    Optional<String> await(long timeout, TimeUnit unit) throws InterruptedException {
        return requested.await(timeout, unit) ? Optional.of(reason.get()) : Optional.empty();
    }
}
