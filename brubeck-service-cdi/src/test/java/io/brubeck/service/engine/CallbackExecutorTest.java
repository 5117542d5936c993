package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How the client's callback executor hands tasks over and how it stops. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CallbackExecutorTest {

    /**
     * Stopping does not run queued callbacks on the stopping thread, nor drop them: it waits only as long
     * as it is told, and the pool's threads run what is left.
     */
    @Test
    void shutdownLeavesQueuedCallbacksToThePoolsOwnThreads() throws Exception {
        CallbackExecutor callbacks = CallbackExecutor.of(null, "test-queued");
        CountDownLatch release = new CountDownLatch(1);
        int tasks = 8;
        CountDownLatch ran = new CountDownLatch(tasks);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < tasks; i++) {
            callbacks.execute(() -> {
                threads.add(Thread.currentThread());
                try {
                    release.await(2, TimeUnit.SECONDS); // work that takes a while
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ran.countDown();
            });
        }

        long begin = System.nanoTime();
        boolean interrupted = callbacks.shutdown(100);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        release.countDown();

        assertFalse(interrupted);
        assertTrue(tookMillis < 1000, "shutdown(100) took " + tookMillis + " ms");
        assertTrue(ran.await(10, TimeUnit.SECONDS), "every queued callback ran");
        assertFalse(threads.contains(Thread.currentThread()), "a callback ran on the thread that stopped the pool");
    }

    /**
     * Stopping from one of the pool's own threads (a callback that closes its client) does not wait for
     * the pool to end, which it cannot while that callback runs, and leaves that thread uninterrupted.
     */
    @Test
    void shutdownFromOneOfThePoolsOwnThreadsNeitherWaitsForItselfNorInterruptsIt() throws Exception {
        CallbackExecutor callbacks = CallbackExecutor.of(null, "test-self");
        CompletableFuture<String> outcome = new CompletableFuture<>();
        callbacks.execute(() -> {
            long begin = System.nanoTime();
            boolean interrupted = callbacks.shutdown(5_000);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
            outcome.complete((tookMillis < 2_500 ? "prompt" : "took " + tookMillis + " ms")
                    + (interrupted || Thread.currentThread().isInterrupted() ? ", interrupted" : ""));
        });

        assertEquals("prompt", outcome.get(20, TimeUnit.SECONDS));
    }

    /**
     * A user's executor that fails after running a callback has still run it: the callback is not run a second
     * time on the pool. One that fails before running it leaves it to the pool, once.
     */
    @Test
    void aCallbackRunsOnceWhetherTheUsersExecutorFailsBeforeOrAfterRunningIt() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CallbackExecutor after = CallbackExecutor.of(task -> {
            task.run();
            throw new IllegalStateException("failed after running the task");
        }, "test-after");
        CallbackExecutor before = CallbackExecutor.of(task -> {
            throw new IllegalStateException("failed before running the task");
        }, "test-before");
        try {
            CountDownLatch ran = new CountDownLatch(2);
            after.execute(() -> {
                runs.incrementAndGet();
                ran.countDown();
            });
            before.execute(() -> {
                runs.incrementAndGet();
                ran.countDown();
            });

            assertTrue(ran.await(10, TimeUnit.SECONDS), "both callbacks ran");
            // Once both have run, a second run of either would follow on the same pool thread at once: shut the
            // pools down and let them finish before counting.
            after.shutdown(5_000);
            before.shutdown(5_000);
            assertEquals(2, runs.get(), "each callback ran once");
        } finally {
            after.shutdown(0);
            before.shutdown(0);
        }
    }

    /**
     * Callbacks that wait behind callbacks blocking every thread of the pool get threads of their own once no
     * callback has finished for the stall time, and not before; the pool keeps them while those callbacks block.
     */
    @Test
    void callbacksWaitingBehindBlockedThreadsGetThreadsOfTheirOwnAfterTheStallTime() throws Exception {
        CallbackExecutor callbacks = CallbackExecutor.of(null, "test-stalled");
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        CountDownLatch blocking = new CountDownLatch(threads);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch waitingRan = new CountDownLatch(1);
        try {
            for (int i = 0; i < threads; i++) {
                callbacks.execute(() -> {
                    blocking.countDown();
                    awaitQuietly(release);
                });
            }
            callbacks.execute(waitingRan::countDown);
            assertTrue(blocking.await(10, TimeUnit.SECONDS), "every thread of the pool is in a blocking callback");

            long start = System.nanoTime();
            callbacks.checkProgress(start);
            callbacks.checkProgress(start + CallbackExecutor.STALL_NANOS - 1);
            assertEquals(1, waitingRan.getCount(), "no thread is added before the stall time");
            callbacks.checkProgress(start + CallbackExecutor.STALL_NANOS);

            assertTrue(waitingRan.await(10, TimeUnit.SECONDS), "the waiting callback ran while the others still block");
            assertEquals(threads + 1, callbacks.threadLimit());

            // Nothing waits now, but the blocked callbacks still hold the usual number of threads: the pool keeps
            // the thread it added, so that the next callback runs at once rather than after another stall.
            callbacks.checkProgress(start + 2 * CallbackExecutor.STALL_NANOS);
            assertEquals(threads + 1, callbacks.threadLimit(), "the pool kept its added thread");
            CountDownLatch nextRan = new CountDownLatch(1);
            callbacks.execute(nextRan::countDown);
            assertTrue(nextRan.await(10, TimeUnit.SECONDS), "the next callback ran while the others still block");

            release.countDown();
            Fixtures.awaitCondition(Duration.ofSeconds(10), "the pool to go back to its usual size", () -> {
                callbacks.checkProgress(System.nanoTime());
                return callbacks.threadLimit() == threads;
            });
        } finally {
            release.countDown();
            callbacks.shutdown(5_000);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
