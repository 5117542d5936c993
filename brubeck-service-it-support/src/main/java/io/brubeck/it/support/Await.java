package io.brubeck.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for conditions, polling, never for fixed times. */
public final class Await {
    private static final long POLL_MILLIS = 50;

    private Await() {
    }

    /**
     * Returns once the condition holds; fails the test after the limit.
     *
     * @param details what to add to the failure message, computed only when it fails
     */
    public static void until(Duration limit, String what, BooleanSupplier condition, Supplier<String> details) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("Timed out after " + limit + " waiting for " + what + details.get());
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("Interrupted while waiting for " + what);
            }
        }
    }

    /** Returns once the condition holds; fails the test after the limit. */
    public static void until(Duration limit, String what, BooleanSupplier condition) {
        until(limit, what, condition, () -> "");
    }
}
