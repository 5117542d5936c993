package io.brubeck.it.support;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/** Keeps what some of the library's classes log at a level or above, through java.util.logging, while it is open. */
public final class KeptLog extends Handler implements AutoCloseable {
    private final List<Logger> loggers;
    private final Level lowest;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private KeptLog(Level lowest, Class<?>... sources) {
        this.lowest = lowest;
        this.loggers = Arrays.stream(sources).map(source -> Logger.getLogger(source.getName())).toList();
        loggers.forEach(logger -> logger.addHandler(this));
    }

    /** Keeps what {@code source} logs at INFO or above. */
    public static KeptLog of(Class<?> source) {
        return of(source, Level.INFO);
    }

    /** Keeps what {@code source} logs at {@code lowest} or above. */
    public static KeptLog of(Class<?> source, Level lowest) {
        return new KeptLog(lowest, source);
    }

    /** Keeps what any of {@code sources} logs at {@code lowest} or above. */
    public static KeptLog of(Level lowest, Class<?>... sources) {
        return new KeptLog(lowest, sources);
    }

    /** Whether a message kept so far contains {@code text}. */
    public boolean has(String text) {
        return messages().stream().anyMatch(message -> message.contains(text));
    }

    /** Whether a message kept so far contains a match of the regular expression {@code pattern}. */
    public boolean matches(String pattern) {
        Pattern compiled = Pattern.compile(pattern);
        return messages().stream().anyMatch(message -> compiled.matcher(message).find());
    }

    /** The messages kept so far, in the order they were logged. */
    public List<String> messages() {
        return records.stream().map(LogRecord::getMessage).toList();
    }

    /** The records kept so far, for what a message does not say, such as its source. */
    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= lowest.intValue()) {
            records.add(record);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        loggers.forEach(logger -> logger.removeHandler(this));
    }
}
