package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.brubeck.it.support.KeptLog;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Rate-limited logging: how many lines pass, what the next one says of those held back, and its source. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RateLimitedLoggerTest {
    private final KeptLines kept = new KeptLines();

    @Test
    void logsTheFirstLinesOfAnIntervalAndHoldsBackTheRest() {
        RateLimitedLogger logger = new RateLimitedLogger(kept, 3, 60_000);

        for (int i = 0; i < 10; i++) {
            logger.log(Level.INFO, "line " + i);
        }

        assertEquals(List.of("line 0", "line 1", "line 2"), kept.lines);
    }

    @Test
    void theFirstLineOfTheNextIntervalSaysHowManyWereHeldBack() {
        AtomicLong now = new AtomicLong();
        RateLimitedLogger logger = new RateLimitedLogger(kept, 2, 1_000, now::get);
        logger.log(Level.INFO, "first");
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(400));
        logger.log(Level.INFO, "second");
        for (int i = 0; i < 5; i++) {
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
            logger.log(Level.INFO, "held back");
        }

        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(100)); // 1 s after the first line
        logger.log(Level.INFO, "later");
        logger.log(Level.INFO, "next");

        assertEquals(List.of("first", "second", "later (5 similar messages suppressed)", "next"), kept.lines,
                "the count is reported once");
    }

    @Test
    void theLineNamesTheClassThatLoggedItAsItsSource() {
        List<LogRecord> records;
        try (KeptLog log = KeptLog.of(RateLimitedLoggerTest.class)) {
            new RateLimitedLogger(System.getLogger(RateLimitedLoggerTest.class.getName()), 10_000).log(Level.WARNING, "dropped");
            records = log.records();
        }

        assertEquals(1, records.size());
        assertEquals(RateLimitedLoggerTest.class.getName(), records.get(0).getSourceClassName());
        assertEquals("theLineNamesTheClassThatLoggedItAsItsSource", records.get(0).getSourceMethodName());
    }

    /** Keeps the lines logged, at any level. */
    private static final class KeptLines implements System.Logger {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public String getName() {
            return "kept";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            lines.add(message);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(format);
        }
    }
}
