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

    /** How long a check must have found the same turn overdue before it is taken for a stall. */
    static final Duration CONFIRM = Duration.ofSeconds(1);

    private final long stallNanos;
    private volatile long lastTurnNanos = System.nanoTime();
    /** The turn a check last found overdue, and when it first did; checks may race, which only delays the answer. */
    private volatile long overdueTurnNanos;
    private volatile long overdueSinceNanos;

    LoopProgress(Duration heartbeatInterval) {
        this.stallNanos = Math.max(MIN_STALL.toNanos(), heartbeatInterval.toNanos() * STALL_INTERVALS);
    }

    /** The loop has come round; the socket thread calls this once per turn. */
    void turned() {
        lastTurnNanos = System.nanoTime();
    }

    /**
     * Whether the loop has not come round for longer than the stall limit, as of {@code nowNanos}, as found by two
     * checks at least {@link #CONFIRM} apart with no turn between them: after the whole JVM was frozen for longer
     * than the limit (a debugger, {@code SIGSTOP}, a paused container), the first check may come before the
     * loop's first turn, and is not taken for a stall.
     */
    boolean stalledAt(long nowNanos) {
        long turn = lastTurnNanos;
        if (nowNanos - turn <= stallNanos) {
            return false;
        }
        if (overdueTurnNanos != turn) {
            overdueSinceNanos = nowNanos;
            overdueTurnNanos = turn;
            return false;
        }
        return nowNanos - overdueSinceNanos >= CONFIRM.toNanos();
    }

    /** The stall limit. */
    long stallMillis() {
        return TimeUnit.NANOSECONDS.toMillis(stallNanos);
    }
}
