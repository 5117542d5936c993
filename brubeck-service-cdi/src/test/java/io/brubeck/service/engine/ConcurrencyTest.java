package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConcurrencyTest {
    private final Fixtures fixtures = new Fixtures();

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    @Test
    void everyCallerGetsExactlyItsOwnReplyAcrossTwoWorkers() throws Exception {
        ServiceClientEndpoint client = fixtures.client("echo");
        Set<String> servedBy = ConcurrentHashMap.newKeySet();
        AtomicInteger handled = new AtomicInteger();
        for (String label : List.of("worker-a", "worker-b")) {
            fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/echo$", request -> {
                handled.incrementAndGet();
                servedBy.add(label);
                return ServiceReply.ok().with("id", request.argument("id", "?")).withBody(request.body());
            })).label(label).concurrency(4).build());
        }
        Fixtures.awaitWorkers(client, 2);

        int callers = 200;
        int callsEach = 200;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int caller = c;
                results.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < callsEach; i++) {
                        String id = caller + ":" + i;
                        byte[] body = ("body-" + id).getBytes(StandardCharsets.UTF_8);
                        ServiceResult result = client.request("/echo").argument("id", id).body(body).send();
                        assertEquals(200, result.response().statusCode());
                        assertEquals(id, result.response().payload().getString("id"));
                        assertArrayEquals(body, result.response().body());
                    }
                    return callsEach;
                }));
            }
            start.countDown();
            int completed = 0;
            for (Future<Integer> result : results) {
                completed += result.get(100, TimeUnit.SECONDS);
            }
            assertEquals(callers * callsEach, completed);
            assertEquals(callers * callsEach, handled.get(), "every call ran its handler exactly once");
            assertEquals(Set.of("worker-a", "worker-b"), servedBy, "both workers took work");
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A call goes to the worker with the smaller share of its slots in use: with two workers of four slots whose
     * calls all keep running, four calls sent one after the other end up two on each.
     */
    @Test
    void eachCallGoesToTheLeastLoadedWorker() throws Exception {
        ServiceClientEndpoint client = fixtures.client("spread");
        Map<String, AtomicInteger> running = Map.of("worker-a", new AtomicInteger(), "worker-b", new AtomicInteger());
        CountDownLatch release = new CountDownLatch(1);
        for (String label : running.keySet()) {
            fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/work$", request -> {
                running.get(label).incrementAndGet();
                release.await(20, TimeUnit.SECONDS); // keeps its slot taken until the test has seen where each call went
                return ServiceReply.ok(label);
            })).label(label).concurrency(4).build());
        }
        Fixtures.awaitWorkers(client, 2);

        List<CompletableFuture<ServiceResult>> calls = new ArrayList<>();
        try {
            for (int i = 1; i <= 4; i++) {
                calls.add(client.request("/work").sendAsync().toCompletableFuture());
                int sent = i;
                // One at a time, so that each call is dispatched knowing where the ones before it run.
                Fixtures.awaitCondition(Duration.ofSeconds(10), "call " + i + " to run",
                        () -> running.values().stream().mapToInt(AtomicInteger::get).sum() == sent);
            }
            assertEquals(2, running.get("worker-a").get(), "calls running on each worker: " + running);
            assertEquals(2, running.get("worker-b").get(), "calls running on each worker: " + running);
        } finally {
            release.countDown();
        }
        for (CompletableFuture<ServiceResult> call : calls) {
            assertEquals(200, call.get(10, TimeUnit.SECONDS).response().statusCode());
        }
    }

    @Test
    void slowCallOnOneWorkerDoesNotDelayAFastCallAnIdleWorkerCanTake() throws Exception {
        ServiceClientEndpoint client = fixtures.client("mixed");
        CountDownLatch slowStarted = new CountDownLatch(1);
        CountDownLatch releaseSlow = new CountDownLatch(1);
        RequestHandler handler = request -> {
            if (request.path().equals("/slow")) {
                slowStarted.countDown();
                releaseSlow.await(10, TimeUnit.SECONDS); // ends when the test has seen the fast call answered
            }
            return ServiceReply.ok(request.path());
        };
        var routes = Fixtures.routes("^/(slow|fast)$", handler);
        fixtures.worker(fixtures.workerConfig(client, routes).concurrency(1).label("one").build());
        fixtures.worker(fixtures.workerConfig(client, routes).concurrency(1).label("two").build());
        Fixtures.awaitWorkers(client, 2);

        var slow = client.request("/slow").sendAsync().toCompletableFuture();
        assertTrue(slowStarted.await(5, TimeUnit.SECONDS), "the slow call started");
        long begin = System.nanoTime();
        ServiceResult fast = client.request("/fast").send();
        Duration fastTook = Duration.ofNanos(System.nanoTime() - begin);

        assertFalse(slow.isDone(), "the slow call is still running on the other worker");
        assertEquals("/fast", fast.response().statusMessage());
        // The promise: a fast call is served by the idle worker in well under a second.
        assertTrue(fastTook.compareTo(Duration.ofSeconds(1)) < 0, "fast call took " + fastTook);
        releaseSlow.countDown();
        assertEquals("/slow", slow.get(5, TimeUnit.SECONDS).response().statusMessage());
    }

    @Test
    void prefetchLetsAWorkerHoldRequestsBeyondItsHandlersAndRunsThemInTurn() throws Exception {
        ServiceClientEndpoint client = fixtures.client("prefetch");
        AtomicInteger started = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/work$", request -> {
            started.incrementAndGet();
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                release.await(10, TimeUnit.SECONDS);
            } finally {
                running.decrementAndGet();
            }
            return ServiceReply.ok();
        })).concurrency(1).prefetch(2).build());
        Fixtures.awaitWorkers(client, 1);
        assertEquals(3, client.status().toCompletableFuture().join().workers().get(0).capacity(),
                "the worker announces concurrency + prefetch");

        List<CompletableFuture<ServiceResult>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(client.request("/work").sendAsync().toCompletableFuture());
        }
        // Three go to the worker (one runs, two wait for the handler); the fourth waits at the client.
        Fixtures.awaitCondition(Duration.ofSeconds(5), "three calls on the worker, one queued, one running", () -> {
            ClientStatus status = client.status().toCompletableFuture().join();
            return status.inFlight() == 3 && status.queued() == 1 && started.get() == 1;
        });

        release.countDown();
        for (var call : calls) {
            assertEquals(200, call.get(10, TimeUnit.SECONDS).response().statusCode());
        }
        assertEquals(4, started.get());
        assertEquals(1, mostAtOnce.get(), "never more handlers at once than the concurrency");
    }
}
