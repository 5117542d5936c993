package io.brubeck.service.engine;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * When a socket thread last came round its loop, so that a health check can tell a thread that is alive but
 * stuck from one that serves. An idle loop still turns at least once per heartbeat interval, so one that has
 * not turned for several intervals (and at least {@link #MIN_STALL}) is stuck. Written by the socket thread,
 * read by any.
 */
final class LoopProgress {
    /** The shortest time without a turn taken for a stall: a long garbage collection pause is not one. */
    static final Duration MIN_STALL = Duration.ofSeconds(10);
    /** Heartbeat intervals without a turn taken for a stall. */
    static final int STALL_INTERVALS = 3;

    private final long stallNanos;
    private volatile long lastTurnNanos = System.nanoTime();

    LoopProgress(Duration heartbeatInterval) {
        this.stallNanos = Math.max(MIN_STALL.toNanos(), heartbeatInterval.toNanos() * STALL_INTERVALS);
    }

    /** The loop has come round; the socket thread calls this once per turn. */
    void turned() {
        lastTurnNanos = System.nanoTime();
    }

    /** Whether the loop has not come round for longer than the stall limit, as of {@code nowNanos}. */
    boolean stalledAt(long nowNanos) {
        return nowNanos - lastTurnNanos > stallNanos;
    }

    /** The stall limit, for messages. */
    long stallMillis() {
        return TimeUnit.NANOSECONDS.toMillis(stallNanos);
    }
}
