package io.brubeck.service.engine;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Makes a client's or a worker's socket thread die or hang the next time it logs, as a broken logging backend
 * would: the one piece of code not the library's that a socket thread runs. A client's logs a nowait call's
 * failure, for example one that timed out with no worker connected; a worker's logs a message it drops, for
 * example one that is not a brubeck-service message. Installed on the logger until closed; closing also lets a
 * hanging thread go on.
 */
public final class SocketThreadTrap extends Handler implements AutoCloseable {
    private final Logger logger;
    private final String threadName;
    private final boolean kill;
    /** The logger's own level, when the trap lowered it to spring on any record at all. */
    private final Level levelBefore;
    private final boolean levelLowered;
    private final CountDownLatch sprung = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    private SocketThreadTrap(Class<?> logging, String threadName, boolean kill, boolean anyLevel) {
        this.logger = Logger.getLogger(logging.getName());
        this.threadName = threadName;
        this.kill = kill;
        // A trap set while another holds the thread (to catch where it goes on to) restores what the first found.
        this.levelBefore = otherTraps().findFirst().map(other -> other.levelBefore).orElse(logger.getLevel());
        this.levelLowered = anyLevel;
        if (anyLevel) {
            logger.setLevel(Level.ALL);
        }
        logger.addHandler(this);
    }

    /** The socket thread of the named service's client dies of an Error when it next logs. */
    public static SocketThreadTrap killingClient(String service) {
        return new SocketThreadTrap(ServiceClientEndpoint.class, "brubeck-client-" + service, true, false);
    }

    /** The socket thread of the named service's client hangs when it next logs, until this trap is closed. */
    public static SocketThreadTrap hangingClient(String service) {
        return new SocketThreadTrap(ServiceClientEndpoint.class, "brubeck-client-" + service, false, false);
    }

    /**
     * The socket thread of the named service's worker hangs when it next logs, at any level (it logs each time it
     * connects again to a client that does not answer, for example), until this trap is closed.
     */
    public static SocketThreadTrap hangingWorker(String service) {
        return new SocketThreadTrap(WorkerLoop.class, "brubeck-worker-" + service, false, true);
    }

    private Stream<SocketThreadTrap> otherTraps() {
        return Arrays.stream(logger.getHandlers()).filter(handler -> handler != this)
                .filter(SocketThreadTrap.class::isInstance).map(SocketThreadTrap.class::cast);
    }

    /** The socket thread, found by its name; it must be running. */
    public Thread socketThread() {
        return Fixtures.thread(threadName);
    }

    /** Waits until the socket thread has run into the trap. */
    public void awaitSprung(Duration limit) throws InterruptedException {
        if (!sprung.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(threadName + " did not log within " + limit);
        }
    }

    @Override
    public void publish(LogRecord record) {
        if (!Thread.currentThread().getName().equals(threadName)) {
            return;
        }
        sprung.countDown();
        if (kill) {
            throw new Error("the logging backend failed");
        }
        try {
            released.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        if (levelLowered && otherTraps().findAny().isEmpty()) {
            logger.setLevel(levelBefore);
        }
        released.countDown();
    }
}
