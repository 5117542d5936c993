package io.brubeck.it.roundtrip.worker;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.RequestScoped;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts what happens during one request; a new one for every request, destroyed after it. */
@RequestScoped
public class RequestTally {
    private static final AtomicInteger DESTROYED = new AtomicInteger();

    private final String id = UUID.randomUUID().toString();
    private int count;

    public void add() {
        count++;
    }

    public int count() {
        return count;
    }

    public String id() {
        return id;
    }

    @PreDestroy
    void destroyed() {
        DESTROYED.incrementAndGet();
    }

    /** How many tallies have been destroyed with their request context. */
    public static int destroyedCount() {
        return DESTROYED.get();
    }
}
