package io.brubeck.service.engine;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a client runs response handlers and completes the stages it returns: the user's executor, or
 * a small pool of its own that it shuts down on close. A task refused because the executor is
 * shutting down runs on the submitting thread, so that no caller's stage is left incomplete.
 */
final class CallbackExecutor implements Executor {
    private final Executor delegate;
    private final ThreadPoolExecutor owned;

    private CallbackExecutor(Executor delegate, ThreadPoolExecutor owned) {
        this.delegate = delegate;
        this.owned = owned;
    }

    static CallbackExecutor of(Executor userExecutor, String threadPrefix) {
        if (userExecutor != null) {
            return new CallbackExecutor(userExecutor, null);
        }
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        AtomicInteger counter = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 10, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, threadPrefix + "-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return new CallbackExecutor(pool, pool);
    }

    @Override
    public void execute(Runnable task) {
        try {
            delegate.execute(task);
        } catch (RejectedExecutionException shuttingDown) {
            task.run();
        }
    }

    /** Stops the owned pool, letting queued callbacks finish for up to {@code waitMillis}. */
    void shutdown(long waitMillis) {
        if (owned == null) {
            return;
        }
        owned.shutdown();
        try {
            if (!owned.awaitTermination(waitMillis, TimeUnit.MILLISECONDS)) {
                // Callbacks still queued complete callers' stages: run them here rather than drop them.
                owned.shutdownNow().forEach(Runnable::run);
            }
        } catch (InterruptedException e) {
            owned.shutdownNow().forEach(Runnable::run);
            Thread.currentThread().interrupt();
        }
    }
}
