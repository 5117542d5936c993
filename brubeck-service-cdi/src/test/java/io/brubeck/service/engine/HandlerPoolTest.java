package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HandlerPoolTest {
    private HandlerPool pool;

    @AfterEach
    void stop() throws InterruptedException {
        if (pool != null) {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS), "handler threads stop");
        }
    }

    @Test
    void slowTasksSpreadOverEveryThreadAtOnce() throws Exception {
        pool = new HandlerPool(4, "test-handler");
        CountDownLatch allRunning = new CountDownLatch(4);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 4; i++) {
            pool.execute(() -> {
                allRunning.countDown();
                await(release);
            });
        }
        assertTrue(allRunning.await(5, TimeUnit.SECONDS), "four slow tasks run at once on four threads");
        release.countDown();
    }

    /**
     * When the process cannot make a thread just now, the request waits in the queue instead of the error
     * reaching the worker's socket thread, which hands requests over, and runs once a thread can be made.
     */
    @Test
    void aRequestThatFindsNoThreadWaitsForTheNextOneInsteadOfFailingItsCaller() throws Exception {
        AtomicInteger threadsRefused = new AtomicInteger();
        pool = new HandlerPool(2, task -> {
            if (threadsRefused.getAndIncrement() == 0) {
                throw new OutOfMemoryError("unable to create native thread: possibly out of memory or process/resource limits reached");
            }
            Thread thread = new Thread(task, "test-handler");
            thread.setDaemon(true);
            return thread;
        });
        CountDownLatch bothRan = new CountDownLatch(2);
        pool.execute(bothRan::countDown); // no thread: it waits
        assertEquals(1, threadsRefused.get());
        assertEquals(2, bothRan.getCount(), "nothing ran the first request");
        pool.execute(bothRan::countDown); // a thread can be made now, and drains both
        assertTrue(bothRan.await(5, TimeUnit.SECONDS), "both requests ran");
    }

    @Test
    void aTaskQueuedWhileOthersRunStartsAsSoonAsAThreadIsFree() throws Exception {
        pool = new HandlerPool(2, "test-handler");
        CountDownLatch slowStarted = new CountDownLatch(1);
        CountDownLatch releaseSlow = new CountDownLatch(1);
        pool.execute(() -> {
            slowStarted.countDown();
            await(releaseSlow);
        });
        assertTrue(slowStarted.await(5, TimeUnit.SECONDS));
        CountDownLatch fastDone = new CountDownLatch(1);
        pool.execute(fastDone::countDown);
        assertTrue(fastDone.await(5, TimeUnit.SECONDS), "the second thread took the task while the first is busy");
        releaseSlow.countDown();
    }

    @Test
    void manyTasksFromManyThreadsEachRunOnceAndNeverMoreThanTheConcurrencyAtOnce() throws Exception {
        int concurrency = 3;
        pool = new HandlerPool(concurrency, "test-handler");
        int tasks = 20_000;
        Set<Integer> ran = ConcurrentHashMap.newKeySet();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(tasks);
        Thread[] submitters = new Thread[4];
        for (int s = 0; s < submitters.length; s++) {
            int first = s * (tasks / submitters.length);
            submitters[s] = new Thread(() -> {
                for (int i = first; i < first + tasks / submitters.length; i++) {
                    int id = i;
                    pool.execute(() -> {
                        mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                        ran.add(id);
                        running.decrementAndGet();
                        done.countDown();
                    });
                }
            });
            submitters[s].start();
        }
        assertTrue(done.await(30, TimeUnit.SECONDS), "every task ran; " + done.getCount() + " left");
        assertEquals(tasks, ran.size());
        assertTrue(mostAtOnce.get() <= concurrency, "at most " + concurrency + " at once, saw " + mostAtOnce.get());
        for (Thread submitter : submitters) {
            submitter.join();
        }
    }

    @Test
    void aFailingTaskOrALeftoverInterruptDoesNotHarmTheNextTask() throws Exception {
        pool = new HandlerPool(1, "test-handler");
        pool.execute(() -> {
            throw new IllegalStateException("handler bug");
        });
        pool.execute(() -> Thread.currentThread().interrupt());
        AtomicBoolean interruptedAtStart = new AtomicBoolean(true);
        CountDownLatch ran = new CountDownLatch(1);
        pool.execute(() -> {
            interruptedAtStart.set(Thread.currentThread().isInterrupted());
            ran.countDown();
        });
        assertTrue(ran.await(5, TimeUnit.SECONDS), "the pool kept serving after a failing task");
        assertFalse(interruptedAtStart.get(), "the next task does not inherit an interrupt");
    }

    @Test
    void anErrorEscapingATaskDoesNotStrandTheTasksQueuedBehindIt() throws Exception {
        pool = new HandlerPool(1, "test-handler");
        CountDownLatch failNow = new CountDownLatch(1);
        pool.execute(() -> {
            await(failNow);
            throw new StackOverflowError("a handler that recursed too deep");
        });
        CountDownLatch queuedRan = new CountDownLatch(1);
        pool.execute(queuedRan::countDown);

        failNow.countDown();

        assertTrue(queuedRan.await(5, TimeUnit.SECONDS), "the task queued behind the failing one still ran");
    }

    @Test
    void shutdownInterruptsRunningTasksDropsQueuedOnesAndRefusesNewOnes() throws Exception {
        pool = new HandlerPool(1, "test-handler");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        pool.execute(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(30, TimeUnit.SECONDS); // a handler that would run long
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        AtomicBoolean queuedRan = new AtomicBoolean();
        pool.execute(() -> queuedRan.set(true));
        assertTrue(started.await(5, TimeUnit.SECONDS));

        pool.shutdownNow();

        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the running task was interrupted");
        assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
        assertFalse(queuedRan.get(), "a task not started before the stop never runs");
        assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> { }));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
