package io.brubeck.service.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.zeromq.ZContext;
import zmq.poll.Poller;

/**
 * A ZeroMQ context made by {@link ZeroMqContexts#create()}, which knows when one of its threads died.
 * JeroMQ's I/O thread catches what its connections throw, but not an {@link Error}: the thread ends,
 * and with it every connection of the context, while the sockets still look usable. The client and worker
 * loops on such a context {@linkplain #onDeath watch} for that and stop, failing their calls, instead of
 * waiting for messages that can no longer come.
 *
 * <p>Closing a context waits until its I/O threads have torn down its sockets' connections, which a dead
 * thread never does: closing one whose thread died stops its remaining threads instead and returns. What
 * the dead thread held (its connections, its listening sockets) stays open until the process ends.
 */
final class WatchedContext extends ZContext {
    private final List<Poller> pollers = new CopyOnWriteArrayList<>();
    private final List<Runnable> deathListeners = new CopyOnWriteArrayList<>();
    private volatile String death;
    private volatile boolean abandoned;

    WatchedContext() {
        super(1);
    }

    /** Notes a thread of this context; those that run a poller can be stopped when the context is abandoned. */
    void started(Runnable task) {
        if (task instanceof Poller poller) {
            pollers.add(poller);
        }
    }

    /** A thread of this context died of {@code failure}: its connections are gone. */
    void died(Thread thread, Throwable failure) {
        death = "ZeroMQ thread " + thread.getName() + " died of " + failure;
        for (Runnable listener : deathListeners) {
            listener.run();
        }
    }

    /** Why the context is unusable, or null while its threads live. */
    String death() {
        return death;
    }

    /**
     * Runs {@code listener} (on the dying thread, so it must be quick) if a thread of the context dies;
     * at once if one has died already. Returns what removes it.
     */
    Runnable onDeath(Runnable listener) {
        deathListeners.add(listener);
        if (death != null) {
            listener.run();
        }
        return () -> deathListeners.remove(listener);
    }

    /** Why the given context is unusable, or null while it is usable or not one of these. */
    static String deathOf(ZContext context) {
        return context instanceof WatchedContext watched ? watched.death() : null;
    }

    @Override
    public void close() {
        if (death == null) {
            super.close();
            return;
        }
        // Terminating would wait for the dead thread forever: stop the others instead (the reaper).
        abandoned = true;
        for (Poller poller : pollers) {
            poller.stop();
        }
    }

    @Override
    public boolean isClosed() {
        return abandoned || super.isClosed();
    }
}
