package io.brubeck.it.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The threads brubeck-service starts, all named {@code brubeck-...}, and waiting for them to end. */
public final class LibraryThreads {
    private static final String PREFIX = "brubeck-";

    private LibraryThreads() {
    }

    /** The names of the library's threads alive now, sorted. */
    public static List<String> alive() {
        return names(threads());
    }

    /**
     * Joins the library's threads until none is alive or the limit passes.
     *
     * @return the names of those still alive: empty when every one ended
     */
    public static List<String> awaitEnded(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        List<Thread> alive = threads();
        while (!alive.isEmpty()) {
            long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (leftMillis <= 0) {
                break;
            }
            try {
                alive.get(0).join(leftMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            alive = threads();
        }
        return names(alive);
    }

    private static List<Thread> threads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith(PREFIX)).toList();
    }

    private static List<String> names(List<Thread> threads) {
        return threads.stream().map(Thread::getName).sorted().toList();
    }
}
