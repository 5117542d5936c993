package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.ServiceException;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.api.ServiceUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShutdownTest {

    @Test
    void closingUnderLoadFailsCallsInFlightPromptlyAndLeavesNoThreadBehind() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        List<CompletableFuture<ServiceResult>> calls = new ArrayList<>();
        ServiceClientEndpoint client;
        long closeMillis;
        try (Fixtures fixtures = new Fixtures()) {
            client = fixtures.client("busy");
            CountDownLatch never = new CountDownLatch(1);
            fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/work$", request -> {
                never.await(30, TimeUnit.SECONDS); // work that does not end on its own: close() must cut it short
                return ServiceReply.ok();
            })).concurrency(4).build());
            Fixtures.awaitWorkers(client, 1);
            for (int i = 0; i < 100; i++) {
                calls.add(client.request("/work").sendAsync().toCompletableFuture());
            }
            Fixtures.awaitCondition(Duration.ofSeconds(5), "four calls to run",
                    () -> client.status().toCompletableFuture().join().inFlight() == 4);

            long begin = System.nanoTime();
            client.close();
            closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        }
        assertTrue(closeMillis < 2000, "client close took " + closeMillis + " ms");
        for (CompletableFuture<ServiceResult> call : calls) {
            ExecutionException failure = assertThrows(ExecutionException.class, () -> call.get(1, TimeUnit.SECONDS));
            assertInstanceOf(ServiceUnavailableException.class, failure.getCause());
        }
        ServiceException afterClose = assertThrows(ServiceException.class, () -> client.request("/work").send());
        assertTrue(afterClose.getMessage().contains("closed"), afterClose.getMessage());

        Fixtures.awaitCondition(Duration.ofSeconds(5), "all threads started by the test to end", () ->
                leftovers(before).isEmpty());
    }

    /**
     * Callers of {@code send()} that close() fails each get an exception of their own, whose stack trace shows
     * where they called, not the client's socket thread.
     */
    @Test
    void eachCallerThatCloseFailsGetsAnExceptionOfItsOwnShowingWhereItCalled() throws Exception {
        int callers = 4;
        List<CompletableFuture<Throwable>> failures = new ArrayList<>();
        try (Fixtures fixtures = new Fixtures()) {
            ServiceClientEndpoint client = fixtures.client("callers");
            CountDownLatch never = new CountDownLatch(1);
            fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/work$", request -> {
                never.await(30, TimeUnit.SECONDS);
                return ServiceReply.ok();
            })).concurrency(2).build());
            Fixtures.awaitWorkers(client, 1);
            for (int i = 0; i < callers; i++) {
                CompletableFuture<Throwable> failure = new CompletableFuture<>();
                failures.add(failure);
                Thread caller = new Thread(() -> {
                    try {
                        client.request("/work").send();
                        failure.complete(null);
                    } catch (Throwable e) {
                        failure.complete(e);
                    }
                }, "caller-" + i);
                caller.setDaemon(true);
                caller.start();
            }
            Fixtures.awaitCondition(Duration.ofSeconds(5), "two calls running and two waiting", () -> {
                ClientStatistics statistics = client.statistics();
                return statistics.inFlight() == 2 && statistics.queued() == 2;
            });
            client.close();
        }

        Set<Throwable> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        for (CompletableFuture<Throwable> failure : failures) {
            Throwable error = failure.get(10, TimeUnit.SECONDS);
            assertInstanceOf(ServiceUnavailableException.class, error);
            distinct.add(error);
            assertTrue(Arrays.stream(error.getStackTrace()).anyMatch(frame -> frame.getClassName().startsWith(
                    ShutdownTest.class.getName())), "the stack trace shows the caller: " + Arrays.toString(error.getStackTrace()));
        }
        assertEquals(callers, distinct.size(), "exceptions of their own");
    }

    /**
     * close() does not run callbacks on the closing thread: with answers whose dependent stages each
     * block for a while, it still returns within two seconds, and every stage then completes on the
     * client's callback threads, which end once they have run them.
     */
    @Test
    void closeReturnsWithinTwoSecondsWhileSlowCallbacksAreDueAndTheyStillRunAfterwards() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        int calls = 12;
        CountDownLatch callbacksMayEnd = new CountDownLatch(1);
        Set<Thread> callbackThreads = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<ServiceResult>> stages = new ArrayList<>();
        long closeMillis;
        try (Fixtures fixtures = new Fixtures()) {
            ServiceClientEndpoint client = fixtures.client("slow-callbacks");
            CountDownLatch answer = new CountDownLatch(1);
            fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/work$", request -> {
                answer.await(30, TimeUnit.SECONDS);
                return ServiceReply.ok();
            })).concurrency(calls).build());
            Fixtures.awaitWorkers(client, 1);
            for (int i = 0; i < calls; i++) {
                stages.add(client.request("/work").sendAsync().toCompletableFuture().whenComplete((result, error) -> {
                    callbackThreads.add(Thread.currentThread());
                    try {
                        callbacksMayEnd.await(500, TimeUnit.MILLISECONDS); // work that takes a while
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            Fixtures.awaitCondition(Duration.ofSeconds(10), "all calls to run",
                    () -> client.status().toCompletableFuture().join().inFlight() == calls);
            answer.countDown();
            Fixtures.awaitCondition(Duration.ofSeconds(10), "all answers to arrive",
                    () -> client.statistics().answered() == calls);

            long begin = System.nanoTime();
            client.close();
            closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
            callbacksMayEnd.countDown();
        }
        assertTrue(closeMillis < 2000, "client close took " + closeMillis + " ms");
        for (CompletableFuture<ServiceResult> stage : stages) {
            assertEquals(200, stage.get(10, TimeUnit.SECONDS).response().statusCode(), "each call was answered");
        }
        assertFalse(callbackThreads.contains(Thread.currentThread()), "a callback ran on the thread that closed the client");
        Fixtures.awaitCondition(Duration.ofSeconds(5), "all threads started by the test to end", () ->
                leftovers(before).isEmpty());
    }

    @Test
    void workerCloseStopsWithinTwoSecondsEvenWithHandlersStillRunning() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (Fixtures fixtures = new Fixtures()) {
            ServiceClientEndpoint client = fixtures.client("stuck");
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch never = new CountDownLatch(1);
            ServiceWorker worker = fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/work$", request -> {
                started.countDown();
                never.await(30, TimeUnit.SECONDS); // work that does not end on its own: close() must cut it short
                return ServiceReply.ok();
            })).shutdownGrace(Duration.ofSeconds(1)).build()); // the default, which close() waits out here
            Fixtures.awaitWorkers(client, 1);
            CompletableFuture<ServiceResult> call = client.request("/work").sendAsync().toCompletableFuture();
            // Wait for the handler itself, not only for the client to have sent the call: a request
            // that reaches a draining worker before its handler starts is refused, and goes back to
            // the client's queue to wait for another worker until its deadline.
            assertTrue(started.await(5, TimeUnit.SECONDS), "the call is running");

            long begin = System.nanoTime();
            worker.close();
            long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
            assertTrue(closeMillis < 2000, "worker close took " + closeMillis + " ms");
            ExecutionException failure = assertThrows(ExecutionException.class, () -> call.get(5, TimeUnit.SECONDS));
            assertInstanceOf(ServiceUnavailableException.class, failure.getCause());
        }
        Fixtures.awaitCondition(Duration.ofSeconds(5), "all threads started by the test to end", () ->
                leftovers(before).isEmpty());
    }

    /**
     * Requests a stopping worker admitted but never started within its grace are refused when the grace ends,
     * so that the client sends them to another worker; only the one that started fails with the worker.
     */
    @Test
    void requestsNotStartedWhenTheGraceEndsAreRefusedAndServedByAnotherWorker() throws Exception {
        try (Fixtures fixtures = new Fixtures()) {
            ServiceClientEndpoint client = fixtures.client("handed-on");
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch never = new CountDownLatch(1);
            ServiceWorker stopping = fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/work$", request -> {
                started.countDown();
                never.await(30, TimeUnit.SECONDS); // holds the worker's only handler thread past its grace
                return ServiceReply.ok("stopping");
            })).concurrency(1).prefetch(3).shutdownGrace(Duration.ofMillis(300)).build());
            Fixtures.awaitWorkers(client, 1);
            List<CompletableFuture<ServiceResult>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(client.request("/work").sendAsync().toCompletableFuture());
            }
            assertTrue(started.await(5, TimeUnit.SECONDS), "the first call is running");
            Fixtures.awaitCondition(Duration.ofSeconds(5), "the other three to wait at the stopping worker",
                    () -> client.statistics().inFlight() == 4);
            fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/work$", request -> ServiceReply.ok("other")))
                    .build());
            Fixtures.awaitWorkers(client, 2);

            stopping.close();

            int failed = 0;
            for (CompletableFuture<ServiceResult> call : calls) {
                try {
                    assertEquals("other", call.get(10, TimeUnit.SECONDS).response().statusMessage());
                } catch (ExecutionException e) {
                    assertInstanceOf(ServiceUnavailableException.class, e.getCause());
                    failed++;
                }
            }
            assertEquals(1, failed, "only the call that started failed with its worker");
        }
    }

    /**
     * A reply that a draining worker's handler finishes within the grace reaches its caller even when it
     * takes longer than a moment to cross the link: the worker's sockets, closed as soon as the last reply
     * is handed to ZeroMQ, keep sending for the rest of the grace instead of dropping it.
     */
    @Test
    void aReplyFinishedWhileDrainingReachesItsCallerOverASlowLink() throws Exception {
        int bodySize = 4 * 1024 * 1024;
        try (Fixtures fixtures = new Fixtures()) {
            ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("slow-link")
                    .maxMessageSize(2 * bodySize).timeout(Duration.ofSeconds(30)).build());
            // About 4 MiB/s: the reply takes about a second to cross, far more than a short linger.
            RecordingRelay link = new RecordingRelay(client.endpoint(), 4L * 1024 * 1024);
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            ServiceWorker worker = fixtures.worker(WorkerConfig.builder("slow-link").endpoints(link.endpoint())
                    .passphrase(Fixtures.SECRET).maxMessageSize(2 * bodySize).concurrency(1)
                    .shutdownGrace(Duration.ofSeconds(20)).routes(Fixtures.routes("^/big$", request -> {
                        started.countDown();
                        finish.await(20, TimeUnit.SECONDS);
                        return ServiceReply.ok("big").withBody(new byte[bodySize]);
                    })).build());
            try (link) {
                Fixtures.awaitWorkers(client, 1);
                CompletableFuture<ServiceResult> call = client.request("/big").sendAsync().toCompletableFuture();
                assertTrue(started.await(5, TimeUnit.SECONDS), "the call is running");
                CompletableFuture<Void> closed = CompletableFuture.runAsync(worker::close);
                Fixtures.awaitCondition(Duration.ofSeconds(5), "the worker to say goodbye and stay listed as leaving", () -> {
                    List<ClientStatus.WorkerStatus> workers = client.status().toCompletableFuture().join().workers();
                    return !workers.isEmpty() && workers.stream().allMatch(ClientStatus.WorkerStatus::leaving);
                });
                finish.countDown();

                assertEquals(bodySize, call.get(25, TimeUnit.SECONDS).response().body().length);
                closed.get(25, TimeUnit.SECONDS);
            }
        }
    }

    /** A client answers a draining worker's goodbye even when it refused the worker, so an idle worker stops at once. */
    @Test
    void anIdleWorkerThatAClientRefusedStopsAtOnceWhateverItsGrace() {
        try (Fixtures fixtures = new Fixtures()) {
            ServiceClientEndpoint other = fixtures.client("other-service");
            ServiceWorker worker = fixtures.worker(WorkerConfig.builder("refused").endpoints(other.endpoint())
                    .passphrase(Fixtures.SECRET).shutdownGrace(Duration.ofSeconds(30))
                    .routes(Fixtures.routes("^/x$", request -> ServiceReply.ok())).build());

            long start = System.nanoTime();
            worker.close();
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMillis < 2000, "close took " + tookMillis + " ms");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void closingWithManyQueuedCallsCompletesEveryStage() throws Exception {
        List<CompletableFuture<ServiceResult>> calls = new ArrayList<>();
        try (Fixtures fixtures = new Fixtures()) {
            ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("queued").maxQueued(50_000).build());
            for (int i = 0; i < 50_000; i++) {
                calls.add(client.request("/work").timeout(Duration.ofMinutes(5)).sendAsync().toCompletableFuture());
            }
        }
        CompletableFuture.allOf(calls.stream().map(call -> call.exceptionally(error -> null))
                .toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertTrue(calls.stream().allMatch(CompletableFuture::isCompletedExceptionally));
    }

    private static Set<String> leftovers(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread) && thread.isAlive())
                .map(Thread::getName)
                .filter(name -> !name.startsWith("ForkJoinPool") && !name.startsWith("process reaper"))
                .collect(Collectors.toSet());
    }

    @Test
    void aClientAndAWorkerRunUntilTheyAreClosed() throws Exception {
        try (Fixtures fixtures = new Fixtures()) {
            ServiceClientEndpoint client = fixtures.client("running");
            ServiceWorker worker = fixtures.worker(client, Fixtures.routes("^/work$", request -> ServiceReply.ok("done")));
            assertTrue(client.isRunning(), "the client runs");
            assertTrue(worker.isRunning(), "the worker runs");

            worker.close();
            client.close();

            assertFalse(worker.isRunning(), "a closed worker does not run");
            assertFalse(client.isRunning(), "a closed client does not run");
        }
    }

    @Test
    void closeIsIdempotent() {
        try (Fixtures fixtures = new Fixtures()) {
            ServiceClientEndpoint client = fixtures.client("twice");
            client.close();
            client.close();
            assertEquals("twice", client.serviceName());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aWorkerClosedByOneOfItsOwnHandlersSendsThatHandlersReplyAndStops() throws Exception {
        try (Fixtures fixtures = new Fixtures()) {
            ServiceClientEndpoint client = fixtures.client("self-stopping");
            AtomicReference<ServiceWorker> self = new AtomicReference<>();
            self.set(fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/stop$", request -> {
                self.get().close();
                return ServiceReply.ok("stopping");
            })).build()));
            Fixtures.awaitWorkers(client, 1);

            ServiceResult result = client.request("/stop").timeout(Duration.ofSeconds(20)).send();

            assertEquals("stopping", result.response().statusMessage());
            Fixtures.awaitCondition(Duration.ofSeconds(10), "the worker to stop", () -> !self.get().isRunning()
                    && Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("brubeck-worker-close")));
            Fixtures.awaitCondition(Duration.ofSeconds(10), "the client to see the worker go",
                    () -> client.status().toCompletableFuture().join().workers().isEmpty());
        }
    }
}
