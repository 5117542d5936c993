package io.brubeck.service.engine;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A task handed to an executor the library does not control (a context executor, the user's callback
 * executor), which runs at most once and says whether it started: if the executor throws, or returns without
 * running it, the library can run it itself without running it twice.
 */
final class RunOnce implements Runnable {
    private final Runnable task;
    private final AtomicBoolean started = new AtomicBoolean();

    RunOnce(Runnable task) {
        this.task = task;
    }

    @Override
    public void run() {
        if (started.compareAndSet(false, true)) {
            task.run();
        }
    }

    /** Whether the task has started, on whatever thread. */
    boolean started() {
        return started.get();
    }
}
