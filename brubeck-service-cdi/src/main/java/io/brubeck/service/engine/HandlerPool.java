package io.brubeck.service.engine;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A worker's handler threads. Requests wait in one queue that up to {@code concurrency} threads
 * drain. A thread is started or woken only when every draining thread is inside a handler, so a
 * stream of short requests is served by the threads already awake instead of costing one wake-up
 * each, while slow requests still spread over all the threads at once.
 */
final class HandlerPool implements Executor {
    private static final System.Logger LOG = System.getLogger(HandlerPool.class.getName());
    /** The pool whose drain loop the current thread runs, if any. */
    private static final ThreadLocal<HandlerPool> RUNNING = new ThreadLocal<>();

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    /** Threads in the drain loop, busy or about to poll. */
    private final AtomicInteger draining = new AtomicInteger();
    /** Draining threads inside a handler. */
    private final AtomicInteger busy = new AtomicInteger();
    private final int concurrency;
    private final ThreadPoolExecutor threads;
    private final RateLimitedLogger noThreads = new RateLimitedLogger(LOG, 10_000);
    /** Runs each task in place, inside the context its handlers need; {@code null} when they need none. */
    private final Executor context;
    private final RateLimitedLogger contextFailures = new RateLimitedLogger(LOG, 10_000);

    HandlerPool(int concurrency, String threadPrefix) {
        this(concurrency, threadPrefix, null);
    }

    HandlerPool(int concurrency, String threadPrefix, Executor context) {
        this(concurrency, daemonThreads(threadPrefix), context);
    }

    HandlerPool(int concurrency, ThreadFactory threadFactory) {
        this(concurrency, threadFactory, null);
    }

    private HandlerPool(int concurrency, ThreadFactory threadFactory, Executor context) {
        this.concurrency = concurrency;
        this.context = context;
        // No more drain loops than threads: a new one waits in this executor's queue at most while a
        // thread finishes leaving its previous loop.
        this.threads = new ThreadPoolExecutor(concurrency, concurrency, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), threadFactory);
    }

    private static ThreadFactory daemonThreads(String threadPrefix) {
        AtomicInteger counter = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, threadPrefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Queues a request; runs it on a handler thread as soon as one is free. Any thread. */
    @Override
    public void execute(Runnable task) {
        if (threads.isShutdown()) {
            throw new RejectedExecutionException("The handler pool is stopped");
        }
        queue.add(task);
        if (busy.get() >= draining.get()) {
            startDrainLoop();
        }
    }

    private void startDrainLoop() {
        if (!claimDrainSlot()) {
            return; // every thread drains already; one takes the request when its handler returns
        }
        boolean started = false;
        try {
            threads.execute(this::drain);
            started = true;
        } catch (RejectedExecutionException stopped) {
            // stopping: the request is dropped with the rest of the queue
        } catch (OutOfMemoryError noThread) {
            // The process is out of threads: the request waits in the queue for a thread already running,
            // or for the next request to try again, rather than the error stopping the socket thread.
            noThreads.log(Level.WARNING, "A handler thread could not be started (" + noThread + "); requests wait "
                    + "for a running handler thread");
        } finally {
            if (!started) {
                draining.decrementAndGet();
            }
        }
    }

    private boolean claimDrainSlot() {
        int now;
        while ((now = draining.get()) < concurrency) {
            if (draining.compareAndSet(now, now + 1)) {
                return true;
            }
        }
        return false;
    }

    private void drain() {
        boolean counted = true;
        RUNNING.set(this);
        try {
            while (!threads.isShutdown()) {
                Runnable task = queue.poll();
                if (task == null) {
                    draining.decrementAndGet();
                    counted = false;
                    // A request queued after the poll but before the decrement saw this loop as
                    // draining and started none: look once more before leaving.
                    if (queue.isEmpty() || !claimDrainSlot()) {
                        return;
                    }
                    counted = true;
                    continue;
                }
                runOne(task);
            }
        } finally {
            RUNNING.remove();
            if (counted) {
                draining.decrementAndGet();
                // Ended by a task's Error: the requests queued behind it must not wait for the next one.
                if (!queue.isEmpty() && !threads.isShutdown()) {
                    startDrainLoop();
                }
            }
        }
    }

    /** Whether the calling thread is one of this pool's, running its tasks (with the default, inline context). */
    boolean isRunningTaskHere() {
        return RUNNING.get() == this;
    }

    private void runOne(Runnable task) {
        busy.incrementAndGet();
        try {
            if (!queue.isEmpty() && busy.get() >= draining.get()) {
                startDrainLoop(); // more requests waiting than free threads: wake one more
            }
            runInContext(task);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "A handler task failed", e);
        } finally {
            busy.decrementAndGet();
            if (!threads.isShutdown()) {
                Thread.interrupted(); // an interrupt meant for one handler does not reach the next
            }
        }
    }

    /**
     * Runs a task through the context executor, if there is one. A task the executor does not run, because it
     * throws first or returns without running it, runs here without the context, since every request must be
     * answered; a task runs once at most.
     */
    private void runInContext(Runnable task) {
        if (context == null) {
            task.run();
            return;
        }
        RunOnce once = new RunOnce(task);
        try {
            context.execute(once);
        } catch (RuntimeException | Error e) {
            if (once.started()) { // the request ran and was answered: the context failed after it
                contextFailures.log(Level.WARNING, "The handlers' context failed after a request ran (" + e + ")");
                if (e instanceof Error error) {
                    throw error;
                }
                return;
            }
            contextFailures.log(Level.WARNING, "The handlers' context could not be applied (" + e
                    + "); the request is handled without it");
            once.run();
            return;
        }
        if (!once.started()) {
            contextFailures.log(Level.WARNING, "The handlers' context returned without running a request; "
                    + "it is handled without the context");
            once.run();
        }
    }

    /**
     * Drops the requests not started yet that {@code pick} selects (the ones of a connection that was replaced,
     * whose replies would be dropped anyway, or all of them when the worker stops); returns them, each of which
     * will never deliver a reply. Any thread; one pass over the queue.
     */
    List<HandlerTask> discardQueued(Predicate<HandlerTask> pick) {
        List<HandlerTask> discarded = new ArrayList<>();
        for (Iterator<Runnable> it = queue.iterator(); it.hasNext(); ) {
            if (it.next() instanceof HandlerTask task && pick.test(task) && task.discard()) {
                it.remove(); // a handler thread that polled it meanwhile finds it claimed and skips it
                discarded.add(task);
            }
        }
        return discarded;
    }

    /** How many requests wait for a handler thread. */
    int queued() {
        return queue.size();
    }

    /** Stops: interrupts running handlers and drops requests not started. */
    void shutdownNow() {
        threads.shutdownNow();
        queue.clear();
    }

    /** Whether {@link #shutdownNow()} was called: a handler interrupted since was interrupted by it. */
    boolean isStopped() {
        return threads.isShutdown();
    }

    boolean isTerminated() {
        return threads.isTerminated();
    }

    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return threads.awaitTermination(timeout, unit);
    }
}
