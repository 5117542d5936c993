package io.brubeck.service.engine;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets a client's response routes start until their owner ends them, and counts those running so that the
 * owner can wait for them: see {@link ServiceClientEndpoint#endResponseRoutes(String)}. Entering and leaving
 * cost an atomic update and a thread-local one each, as they happen on every answer that has a route.
 */
final class ResponseRouteGate {
    private final AtomicInteger running = new AtomicInteger();
    /** The routes this thread runs, nested when a route calls its own client: a waiter does not wait for itself. */
    private final ThreadLocal<int[]> ownRunning = ThreadLocal.withInitial(() -> new int[1]);
    private final Object idle = new Object();
    private volatile String endedBecause;

    /**
     * Admits a route about to start, which must then call {@link #exit()} once it returns; false, admitting
     * nothing, once the routes are ended.
     */
    boolean enter() {
        // Counted first, then the end read; the owner ends first, then counts as it waits: either this sees
        // the end, or the owner sees this route and waits for it.
        running.incrementAndGet();
        if (endedBecause != null) {
            exit(false);
            return false;
        }
        ownRunning.get()[0]++;
        return true;
    }

    /** A route admitted by {@link #enter()} returned. */
    void exit() {
        exit(true);
    }

    private void exit(boolean admitted) {
        if (admitted) {
            ownRunning.get()[0]--;
        }
        running.decrementAndGet();
        if (endedBecause != null) { // only while the owner may wait: routes still running then are few
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /** Stops admitting routes, for the given reason; the first reason stays. */
    void end(String reason) {
        synchronized (idle) {
            if (endedBecause == null) {
                endedBecause = reason;
            }
        }
    }

    /** Why the routes were ended; {@code null} while they start. */
    String endedBecause() {
        return endedBecause;
    }

    /**
     * Waits up to {@code limit} until no route runs but those of the calling thread itself; true then. An
     * interrupt ends the wait early, its flag kept.
     */
    boolean awaitIdle(Duration limit) {
        int own = ownRunning.get()[0];
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (idle) {
            while (running.get() > own) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(idle, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return running.get() <= own;
                }
            }
            return true;
        }
    }
}
