package io.brubeck.it.roundtrip;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A named barrier that a test holds handlers at: a handler passes a gate only once the test opens it,
 * so a test knows for certain that a call is in flight. Both containers run in the test's JVM and
 * share these gates.
 */
public final class Gate {
    private static final Map<String, Gate> GATES = new ConcurrentHashMap<>();

    private final CountDownLatch open = new CountDownLatch(1);
    private final AtomicInteger waiting = new AtomicInteger();

    private Gate() {
    }

    public static Gate named(String name) {
        return GATES.computeIfAbsent(name, key -> new Gate());
    }

    /** Waits until the gate opens, at most 30 s. */
    public void pass() throws InterruptedException {
        waiting.incrementAndGet();
        if (!open.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The gate was never opened");
        }
    }

    /** How many handlers have reached the gate. */
    public int waiting() {
        return waiting.get();
    }

    public void open() {
        open.countDown();
    }
}
