package io.brubeck.it.python;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Keeps the messages the library logs in this JVM between {@link #start()} and {@link #stop()}. */
final class LibraryLog {
    /** Kept here: java.util.logging holds its loggers weakly, and would drop the handler with it. */
    private static final Logger LIBRARY = Logger.getLogger("io.brubeck.service");

    private final Queue<String> messages = new ConcurrentLinkedQueue<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            messages.add(String.valueOf(record.getMessage()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    void start() {
        LIBRARY.addHandler(handler);
    }

    void stop() {
        LIBRARY.removeHandler(handler);
    }

    /** Whether a message logged so far contains {@code text}. */
    boolean contains(String text) {
        return messages.stream().anyMatch(message -> message.contains(text));
    }

    /** How many messages logged so far contain {@code text}. */
    long count(String text) {
        return messages.stream().filter(message -> message.contains(text)).count();
    }

    @Override
    public String toString() {
        return List.copyOf(messages).toString();
    }
}
