package io.brubeck.service.engine;

import java.lang.System.Logger.Level;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a client runs response handlers and completes the stages it returns: the user's executor, if
 * one was configured, or a small pool of its own that it shuts down on close. Callbacks reach the user's
 * executor through that pool, never from the socket thread: an executor whose execute() blocks (a
 * caller-blocks policy when saturated) holds up a thread of the pool, not the socket thread that must
 * keep exchanging heartbeats. A callback the user's executor does not take (it is saturated, shutting
 * down or broken) or runs in place (an executor that runs tasks on the calling thread, or a caller-runs
 * policy when saturated) runs on the client's own pool, never on the socket thread. Only when that
 * pool cannot take it either (the client is closed, or no thread can be made) does a callback run on
 * the thread that hands it over, so that no caller's stage is left incomplete. Callbacks already due
 * when the client closes still run on the pool's threads after {@code close()} returns.
 */
final class CallbackExecutor implements Executor {
    private static final System.Logger LOG = System.getLogger(CallbackExecutor.class.getName());

    /**
     * How long callbacks may wait while no callback finishes before the pool adds threads: long enough that
     * ordinary callbacks never trigger it.
     */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Threads the pool may add, beyond its usual number, while its callbacks block. */
    private static final int SPARE_THREADS = 256;
    /** Threads added at one check at most: the socket thread starts them, and must not pause long. */
    private static final int MOST_ADDED_AT_ONCE = 32;

    private final Executor userExecutor;
    private final ThreadPoolExecutor own;
    private final int usualThreads;
    /** Marks the threads of {@link #own}. */
    private final Object owner;
    private final String serviceName;
    private final RateLimitedLogger refusals = new RateLimitedLogger(LOG, 10_000);
    private final RateLimitedLogger stalls = new RateLimitedLogger(LOG, 10_000);
    // Read and written by checkProgress only, on the socket thread.
    private long completedAtLastCheck = -1;
    private long unchangedSinceNanos;

    private CallbackExecutor(Executor userExecutor, ThreadPoolExecutor own, Object owner, String serviceName) {
        this.userExecutor = userExecutor;
        this.own = own;
        this.usualThreads = own.getMaximumPoolSize();
        this.owner = owner;
        this.serviceName = serviceName;
    }

    /** @param userExecutor the configured executor, or {@code null} to use only the client's own pool */
    static CallbackExecutor of(Executor userExecutor, String serviceName) {
        String threadPrefix = "brubeck-callback-" + serviceName;
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        AtomicInteger counter = new AtomicInteger();
        Object owner = new Object();
        // Threads start when first needed and end when idle, so a pool that only backs a user's executor costs nothing.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 10, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new PoolThread(task, threadPrefix + "-" + counter.incrementAndGet(), owner);
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return new CallbackExecutor(userExecutor, pool, owner, serviceName);
    }

    /** A thread of the client's own pool, which knows its pool so that the pool is never awaited from it. */
    private static final class PoolThread extends Thread {
        final Object owner;

        PoolThread(Runnable task, String name, Object owner) {
            super(task, name);
            this.owner = owner;
        }
    }

    /** Runs a callback; it must not throw (the client's callbacks catch what user code throws). */
    @Override
    public void execute(Runnable task) {
        try {
            own.execute(userExecutor == null ? task : () -> handToUser(task));
        } catch (RuntimeException | Error closedOrNoThread) {
            // Closed, or no thread can be made: run the callback itself here rather than lose a caller's
            // answer, but not the user's executor, whose execute() may block.
            task.run();
        }
    }

    /**
     * Hands a callback to the user's executor, on a thread of the client's own pool: an executor that
     * blocks in execute() or runs the callback in place holds up that thread, not the socket thread.
     */
    private void handToUser(Runnable task) {
        RunOnce once = new RunOnce(task);
        try {
            userExecutor.execute(once);
        } catch (RuntimeException | Error refused) { // saturated, shutting down, or broken: the caller still hears
            if (once.started()) { // it ran the callback, then failed: running it again would answer twice
                refusals.log(Level.WARNING, "The callback executor failed after running a callback (" + refused + ")");
                return;
            }
            refusals.log(Level.WARNING, "The callback executor refused a callback (" + refused
                    + "); it runs on the client's own pool");
            once.run();
        }
    }

    /**
     * Called by the socket thread, about twice per {@link #STALL_NANOS} while answers wait for their callbacks.
     * When callbacks have waited that long and no callback finished meanwhile, every thread of the pool is held
     * by a callback that blocks, most likely waiting for another call of this client whose answer waits behind
     * it: left so, those callbacks would wait for good. The pool then adds a thread for each waiting callback
     * (at most {@link #MOST_ADDED_AT_ONCE} a time, up to {@link #SPARE_THREADS} beyond its usual number), and goes
     * back to that number once none wait and fewer than that number run.
     */
    void checkProgress(long nowNanos) {
        int waiting = own.getQueue().size();
        long completed = own.getCompletedTaskCount();
        if (waiting == 0 || completed != completedAtLastCheck) {
            completedAtLastCheck = completed;
            unchangedSinceNanos = nowNanos;
            // Only once the blocked callbacks have returned: until then they hold threads the usual number counts.
            if (waiting == 0 && own.getCorePoolSize() > usualThreads && own.getActiveCount() < usualThreads) {
                own.setCorePoolSize(usualThreads); // the added threads end as they become idle
                own.setMaximumPoolSize(usualThreads);
            }
            return;
        }
        if (nowNanos - unchangedSinceNanos < STALL_NANOS) {
            return;
        }
        unchangedSinceNanos = nowNanos;
        int size = own.getMaximumPoolSize();
        int grown = Math.min(usualThreads + SPARE_THREADS, size + Math.min(waiting, MOST_ADDED_AT_ONCE));
        if (grown > size) {
            own.setMaximumPoolSize(grown);
            own.setCorePoolSize(grown); // starts threads for the waiting callbacks
        }
        stalls.log(Level.WARNING, "Service '" + serviceName + "': no callback finished for "
                + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS) + " s while " + waiting + " waited, so every callback"
                + " thread blocks; " + (grown > size ? "added " + (grown - size) + " threads" : "no more threads are added")
                + ". A callback that waits for another call of the same client (sendAsync().join()) holds a thread"
                + " that call's answer may need: chain it (thenCompose) instead");
    }

    /** How many threads the client's own pool may run now. */
    int threadLimit() {
        return own.getMaximumPoolSize();
    }

    /**
     * Stops the client's own pool from taking callbacks, and waits up to {@code waitMillis} for those it
     * has taken to finish. It never runs them on the calling thread nor drops them, and never interrupts
     * them: callers' stages must complete. Those still queued then run on the pool's threads (daemons),
     * which end once the queue is empty. Called on one of those threads (a callback closing its client),
     * it does not wait, as the pool cannot end before that callback returns. Callbacks still running when the
     * wait ends are logged at INFO: one that never returns keeps its thread for good.
     *
     * @return whether the calling thread was interrupted meanwhile (its flag is then clear)
     */
    boolean shutdown(long waitMillis) {
        own.shutdown();
        if (Thread.currentThread() instanceof PoolThread thread && thread.owner == owner) {
            return false;
        }
        boolean interrupted = CloseWaits.await(waitMillis,
                millis -> own.awaitTermination(millis, TimeUnit.MILLISECONDS));
        int running = own.getActiveCount();
        int waiting = own.getQueue().size();
        if (running + waiting > 0) { // slow ones finish by themselves; it is said in case one never does
            LOG.log(Level.INFO, "The client of service '" + serviceName + "' closed with callbacks still on its "
                    + "callback threads (" + running + " running, " + waiting + " waiting); they go on until they "
                    + "return, and one that never returns keeps its thread for good");
        }
        return interrupted;
    }
}
