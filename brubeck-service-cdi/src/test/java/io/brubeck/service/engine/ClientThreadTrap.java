package io.brubeck.service.engine;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Makes a client's socket thread die or hang the next time it logs, as a broken logging backend would: the
 * one piece of code not the library's that the socket thread runs (it logs a nowait call's failure, for
 * example one that timed out with no worker connected). Installed on {@link ServiceClientEndpoint}'s logger
 * until closed; closing also lets a hanging thread go on.
 */
public final class ClientThreadTrap extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger(ServiceClientEndpoint.class.getName());
    private final String threadName;
    private final boolean kill;
    private final CountDownLatch sprung = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    private ClientThreadTrap(String service, boolean kill) {
        this.threadName = "brubeck-client-" + service;
        this.kill = kill;
        logger.addHandler(this);
    }

    /** The socket thread of the named service's client dies of an Error when it next logs. */
    public static ClientThreadTrap killing(String service) {
        return new ClientThreadTrap(service, true);
    }

    /** The socket thread of the named service's client hangs when it next logs, until this trap is closed. */
    public static ClientThreadTrap hanging(String service) {
        return new ClientThreadTrap(service, false);
    }

    /** The socket thread, found by its name; it must be running. */
    public Thread socketThread() {
        return Thread.getAllStackTraces().keySet().stream().filter(thread -> thread.getName().equals(threadName))
                .findFirst().orElseThrow(() -> new AssertionError("no thread named " + threadName));
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
        released.countDown();
    }
}
