package io.brubeck.it.roundtrip;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** Waits for conditions, never for fixed times. */
public final class Await {

    private Await() {
    }

    public static void until(Duration limit, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("Timed out after " + limit + " waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("Interrupted while waiting for " + what);
            }
        }
    }

    /** The threads the library started that are still alive: their names start with "brubeck-". */
    public static List<String> brubeckThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("brubeck-")).sorted().collect(Collectors.toList());
    }

    /** Waits until every thread the library started has ended. */
    public static void noBrubeckThreadLeft(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        List<String> left = brubeckThreads();
        while (!left.isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                fail("Threads left behind after " + limit + ": " + left);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("Interrupted while waiting for threads to end: " + left);
            }
            left = brubeckThreads();
        }
    }
}
