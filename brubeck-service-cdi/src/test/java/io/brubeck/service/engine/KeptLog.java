package io.brubeck.service.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/** Keeps the messages one of the library's classes logs at a level or above, while it is open. */
final class KeptLog extends Handler implements AutoCloseable {
    private final Logger logger;
    private final Level lowest;
    private final List<String> messages = new CopyOnWriteArrayList<>();

    private KeptLog(Class<?> source, Level lowest) {
        this.logger = Logger.getLogger(source.getName());
        this.lowest = lowest;
        logger.addHandler(this);
    }

    /** Keeps what {@code source} logs at INFO or above. */
    static KeptLog of(Class<?> source) {
        return of(source, Level.INFO);
    }

    static KeptLog of(Class<?> source, Level lowest) {
        return new KeptLog(source, lowest);
    }

    /** Whether a message kept so far contains {@code text}. */
    boolean has(String text) {
        return messages.stream().anyMatch(message -> message.contains(text));
    }

    /** Whether a message kept so far contains a match of the regular expression {@code pattern}. */
    boolean matches(String pattern) {
        Pattern compiled = Pattern.compile(pattern);
        return messages.stream().anyMatch(message -> compiled.matcher(message).find());
    }

    List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= lowest.intValue()) {
            messages.add(record.getMessage());
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
