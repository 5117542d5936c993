package io.brubeck.service.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The answers a client has handed to its callback executor whose callbacks have not started yet, counted and
 * weighed: they count against {@code maxQueued}, and their bytes against a bound of their own, so that callers
 * who outrun their callbacks while workers send large answers get {@code QUEUE_FULL} rather than the client
 * holding answers until it runs out of memory. Status snapshots handed over are counted apart: they count only
 * as callbacks due. Added to by the socket thread, taken from by callback threads.
 */
final class AnswersDue {
    /** How many times the largest message the bytes of the answers due may reach before calls are refused. */
    static final int MAX_MESSAGES_OF_BYTES = 4;

    private final AtomicInteger count = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicInteger snapshots = new AtomicInteger();

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

    void addSnapshot() {
        snapshots.incrementAndGet();
    }

    /** A status snapshot's callback has started. */
    void removeSnapshot() {
        snapshots.decrementAndGet();
    }

    /** The callbacks due: answers and status snapshots. */
    int callbacksDue() {
        return count.get() + snapshots.get();
    }

    long bytes() {
        return bytes.get();
    }
}
