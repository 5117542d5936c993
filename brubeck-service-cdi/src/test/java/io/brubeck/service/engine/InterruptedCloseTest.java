package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * close() of either end on a thread whose interrupt flag is set (a container shutting down, a task
 * cancelled with shutdownNow) still stops every thread the end started, ZeroMQ's included, and leaves
 * the caller's interrupt set.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InterruptedCloseTest {

    @Test
    void clientCloseOnAnInterruptedThreadStillStopsEveryThreadItStarted() {
        List<String> problems = new ArrayList<>();
        for (int attempt = 1; attempt <= 5; attempt++) {
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            ServiceClientEndpoint client = ServiceClientEndpoint.start(ClientConfig.builder("interrupted")
                    .endpoint("tcp://127.0.0.1:*").passphrase(Fixtures.SECRET).maxQueued(50_000).build());
            // Calls waiting for a worker, which the socket thread fails when it stops: it is busy for a moment.
            for (int i = 0; i < 50_000; i++) {
                client.request("/work").sendAsync();
            }
            Thread.currentThread().interrupt();
            try {
                client.close();
            } catch (RuntimeException e) {
                problems.add("attempt " + attempt + ": close() threw " + e);
            }
            if (!Thread.interrupted()) {
                problems.add("attempt " + attempt + ": close() cleared the caller's interrupt");
            }
            Set<String> left = awaitLeftovers(before, "ForkJoinPool");
            if (!left.isEmpty()) {
                problems.add("attempt " + attempt + ": threads still running 3 s after close(): " + left);
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void workerCloseOnAnInterruptedThreadStillStopsEveryThreadItStarted() throws Exception {
        try (Fixtures fixtures = new Fixtures()) {
            ServiceClientEndpoint client = fixtures.client("interrupted-worker");
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            ServiceWorker worker = ServiceWorker.start(fixtures.workerConfig(client,
                    Fixtures.routes("^/work$", request -> ServiceReply.ok())).build());
            Fixtures.awaitWorkers(client, 1);
            Thread.currentThread().interrupt();
            try {
                worker.close();
            } finally {
                assertTrue(Thread.interrupted(), "close() keeps the caller's interrupt");
            }
            Set<String> left = awaitLeftovers(before, "brubeck-callback-interrupted-worker"); // the client's, still open
            assertEquals(Set.of(), left, "threads still running 3 s after close()");
        }
    }

    /**
     * An interrupt that comes while close() waits for the worker to drain does not cut the drain
     * short: a request still queued behind a running one is answered, and every thread ends.
     */
    @Test
    void workerCloseInterruptedWhileItDrainsStillDrainsAndStops() throws Exception {
        try (Fixtures fixtures = new Fixtures()) {
            ServiceClientEndpoint client = fixtures.client("interrupted-drain");
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            ServiceWorker worker = ServiceWorker.start(fixtures.workerConfig(client, Fixtures.routes("^/work$", request -> {
                running.countDown();
                release.await(30, TimeUnit.SECONDS);
                return ServiceReply.ok("done");
            })).concurrency(1).prefetch(1).shutdownGrace(Duration.ofSeconds(60)).build());
            Fixtures.awaitWorkers(client, 1);
            List<CompletableFuture<ServiceResult>> calls = List.of(
                    client.request("/work").sendAsync().toCompletableFuture(),
                    client.request("/work").sendAsync().toCompletableFuture());
            // One runs and the other waits in the worker's queue: both admitted before the drain begins.
            assertTrue(running.await(10, TimeUnit.SECONDS), "the first call runs");
            HandlerPool pool = Fixtures.handlerPool(worker);
            Fixtures.awaitCondition(Duration.ofSeconds(10), "the second call to wait in the worker", () -> pool.queued() == 1);

            AtomicBoolean keptInterrupt = new AtomicBoolean();
            Thread closer = new Thread(() -> {
                worker.close();
                keptInterrupt.set(Thread.interrupted());
            }, "closer");
            closer.start();
            Fixtures.awaitCondition(Duration.ofSeconds(10), "close() to wait for the drain",
                    () -> closer.getState() == Thread.State.TIMED_WAITING);
            closer.interrupt();
            Fixtures.awaitCondition(Duration.ofSeconds(10), "close() to take the interrupt and go on waiting or return",
                    () -> !closer.isInterrupted() && closer.getState() != Thread.State.RUNNABLE);
            release.countDown();

            closer.join(10_000);
            assertTrue(!closer.isAlive(), "close() returned");
            assertTrue(keptInterrupt.get(), "close() keeps the caller's interrupt");
            for (CompletableFuture<ServiceResult> call : calls) {
                assertEquals("done", call.get(5, TimeUnit.SECONDS).response().statusMessage(), "both calls were answered");
            }
            Set<String> left = awaitLeftovers(before, "brubeck-callback-interrupted-drain");
            assertEquals(Set.of(), left, "threads still running 3 s after close()");
        }
    }

    /** The threads started since {@code before}, but those named {@code alsoIgnored…}, still running 3 s from now (joined, not polled). */
    private static Set<String> awaitLeftovers(Set<Thread> before, String alsoIgnored) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        Set<String> left = new TreeSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName();
            if (before.contains(thread) || name.startsWith(alsoIgnored) || name.startsWith("ForkJoinPool")
                    || name.startsWith("process reaper")) {
                continue;
            }
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            if (thread.isAlive()) {
                left.add(name);
            }
        }
        return left;
    }
}
