package io.brubeck.service.engine;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs at most one line per interval and counts what it held back, so that a peer flooding us with
 * bad messages cannot flood the log too.
 */
final class RateLimitedLogger {
    private final System.Logger logger;
    private final long intervalNanos;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLogger(System.Logger logger, long intervalMillis) {
        this.logger = logger;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    void log(Level level, String message) {
        long now = System.nanoTime();
        long allowed = nextAllowed.get();
        if ((allowed == Long.MIN_VALUE || now - allowed >= 0) && nextAllowed.compareAndSet(allowed, now + intervalNanos)) {
            long held = suppressed.getAndSet(0);
            logger.log(level, held == 0 ? message : message + " (" + held + " similar messages suppressed)");
        } else {
            suppressed.incrementAndGet();
        }
    }
}
