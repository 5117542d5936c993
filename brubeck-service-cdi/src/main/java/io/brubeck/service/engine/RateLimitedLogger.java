package io.brubeck.service.engine;

import java.util.ResourceBundle;
import java.util.function.LongSupplier;

/**
 * Logs at most a given number of lines per interval and counts what it held back, so that a peer
 * flooding us with messages cannot flood the log too. The first line logged after lines were held
 * back says how many.
 *
 * <p>It is a {@link System.Logger} itself so that the JDK's logging backend, which skips the frames of
 * loggers when it looks for the line's source, names the class that logged, not this one.
 */
final class RateLimitedLogger implements System.Logger {
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

    @Override
    public String getName() {
        return logger.getName();
    }

    @Override
    public boolean isLoggable(Level level) {
        return logger.isLoggable(level);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
        String admitted = admit(message);
        if (admitted != null) {
            logger.log(level, bundle, admitted, thrown);
        }
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        String admitted = admit(format);
        if (admitted != null) {
            logger.log(level, bundle, admitted, params);
        }
    }

    /** The line to log, with the count of those held back before it; null when this one is held back. */
    private synchronized String admit(String message) {
        long now = nanoClock.getAsLong();
        if (!started || now - intervalStartNanos >= intervalNanos) {
            started = true;
            intervalStartNanos = now;
            linesThisInterval = 0;
        }
        if (linesThisInterval == linesPerInterval) {
            suppressed++;
            return null;
        }
        linesThisInterval++;
        long held = suppressed;
        suppressed = 0;
        return held == 0 ? message : message + " (" + held + " similar messages suppressed)";
    }
}
