package io.brubeck.service.engine;

import java.lang.System.Logger.Level;
import java.util.function.LongSupplier;

/**
 * Logs at most a given number of lines per interval and counts what it held back, so that a peer
 * flooding us with messages cannot flood the log too. The first line logged after lines were held
 * back says how many.
 */
final class RateLimitedLogger {
    private final System.Logger logger;
    private final int linesPerInterval;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private boolean started;
    private long intervalStartNanos;
    private int linesThisInterval;
    private long suppressed;

    /** Logs at most one line per interval. */
    RateLimitedLogger(System.Logger logger, long intervalMillis) {
        this(logger, 1, intervalMillis);
    }

    RateLimitedLogger(System.Logger logger, int linesPerInterval, long intervalMillis) {
        this(logger, linesPerInterval, intervalMillis, System::nanoTime);
    }

    /** With a clock of the caller's, in nanoseconds, as {@link System#nanoTime()} counts them. */
    RateLimitedLogger(System.Logger logger, int linesPerInterval, long intervalMillis, LongSupplier nanoClock) {
        this.logger = logger;
        this.linesPerInterval = linesPerInterval;
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.nanoClock = nanoClock;
    }

    void log(Level level, String message) {
        long held;
        synchronized (this) {
            long now = nanoClock.getAsLong();
            if (!started || now - intervalStartNanos >= intervalNanos) {
                started = true;
                intervalStartNanos = now;
                linesThisInterval = 0;
            }
            if (linesThisInterval == linesPerInterval) {
                suppressed++;
                return;
            }
            linesThisInterval++;
            held = suppressed;
            suppressed = 0;
        }
        logger.log(level, held == 0 ? message : message + " (" + held + " similar messages suppressed)");
    }
}
