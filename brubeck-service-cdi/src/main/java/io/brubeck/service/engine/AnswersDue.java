package io.brubeck.service.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The answers (and status snapshots) a client has handed to its callback executor whose callbacks have not
 * started yet, counted and weighed: they count against {@code maxQueued}, and their bytes against a bound of their
 * own, so that callers who outrun their callbacks while workers send large answers get {@code QUEUE_FULL} rather
 * than the client holding answers until it runs out of memory. Added to by the socket thread, taken from by
 * callback threads.
 */
final class AnswersDue {
    /** How many times the largest message the bytes of the answers due may reach before calls are refused. */
    static final int MAX_MESSAGES_OF_BYTES = 4;

    private final AtomicInteger count = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();

    void add(long answerBytes) {
        count.incrementAndGet();
        bytes.addAndGet(answerBytes);
    }

    /** An answer's callback has started. */
    void remove(long answerBytes) {
        bytes.addAndGet(-answerBytes);
        count.decrementAndGet();
    }

    int count() {
        return count.get();
    }

    long bytes() {
        return bytes.get();
    }
}
