package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.ServiceRejectedException;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * maxQueued bounds what a client holds for calls it cannot serve or finish yet: calls waiting for a
 * worker and answers waiting for their callbacks, also under concurrent callers.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueueBoundTest {
    private final Fixtures fixtures = new Fixtures();

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    /**
     * Callers admitted while the socket thread dispatches calls never see a queue already shortened by a
     * dispatch together with free slots from before it: with maxQueued(0), calls from several threads
     * fill the workers' slots and no call waits in the queue.
     */
    @Test
    void concurrentCallersNeverQueueMoreThanMaxQueued() throws Exception {
        int slots = 50;
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("bound").maxQueued(0)
                .timeout(Duration.ofSeconds(30)).build());
        CountDownLatch release = new CountDownLatch(1);
        fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/work$", request -> {
            release.await(30, TimeUnit.SECONDS);
            return ServiceReply.ok();
        })).concurrency(slots).build());
        try {
            Fixtures.awaitWorkers(client, 1);
            // The socket thread publishes the free slots at the end of every turn. It takes this status
            // request in a later turn than the one that registered the worker, so by its answer they show.
            client.status().toCompletableFuture().join();
            AtomicInteger accepted = new AtomicInteger();
            AtomicInteger rejected = new AtomicInteger();
            Thread[] callers = new Thread[4];
            for (int t = 0; t < callers.length; t++) {
                callers[t] = new Thread(() -> {
                    while (rejected.get() < 200) {
                        CompletableFuture<?> call = client.request("/work").sendAsync().toCompletableFuture();
                        (call.isCompletedExceptionally() ? rejected : accepted).incrementAndGet();
                    }
                }, "caller-" + t);
                callers[t].start();
            }
            for (Thread caller : callers) {
                caller.join(30_000);
            }
            Fixtures.awaitCondition(Duration.ofSeconds(10), "every slot to be taken",
                    () -> client.status().toCompletableFuture().join().inFlight() == slots);

            assertEquals(0, client.status().toCompletableFuture().join().queued(), "calls waiting with maxQueued(0)");
            assertTrue(accepted.get() <= slots, accepted + " calls accepted for " + slots + " slots and maxQueued(0)");
        } finally {
            release.countDown();
        }
    }

    /**
     * Answers waiting for their callbacks count against maxQueued: a caller that outruns its callbacks
     * gets QUEUE_FULL at once, as when calls wait for a worker, instead of making the client hold every
     * answer (here 64 KiB each) until a callback thread is free. Here the caller lets no call queue
     * (each is answered before the next), yet only about maxQueued answers may wait. A blocking send()
     * hands its answer straight to its caller and is still admitted; once the callbacks have run, so is
     * an asynchronous call.
     */
    @Test
    void answersWaitingForTheirCallbacksCountAgainstMaxQueued() throws Exception {
        int maxQueued = 10;
        int slots = 2;
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("answers-due").maxQueued(maxQueued).build());
        fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/work$",
                request -> ServiceReply.ok("done").withBody(new byte[64 * 1024]))).concurrency(slots).build());
        Fixtures.awaitWorkers(client, 1);
        client.status().toCompletableFuture().join(); // the free slots show by its answer (see above)
        CountDownLatch callbacksMayEnd = new CountDownLatch(1);
        List<CompletableFuture<ServiceResult>> accepted = new ArrayList<>();
        List<ServiceRejectedException.Reason> rejections = new ArrayList<>();
        // A call answered before its callback is added runs that callback here, at once: its answer is not held.
        Thread caller = Thread.currentThread();
        AtomicInteger ranHere = new AtomicInteger();
        try {
            for (int i = 0; i < 300; i++) {
                CompletableFuture<ServiceResult> call = client.request("/work").sendAsync().toCompletableFuture();
                if (call.isCompletedExceptionally()) {
                    ExecutionException failure = assertThrows(ExecutionException.class, call::get);
                    rejections.add(assertInstanceOf(ServiceRejectedException.class, failure.getCause()).reason());
                    continue;
                }
                accepted.add(call.whenComplete((result, error) -> {
                    if (Thread.currentThread() == caller) {
                        ranHere.incrementAndGet();
                        return;
                    }
                    try {
                        callbacksMayEnd.await(20, TimeUnit.SECONDS); // callbacks that fall behind
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
                int answers = accepted.size();
                Fixtures.awaitCondition(Duration.ofSeconds(10), "the call to be answered",
                        () -> client.statistics().answered() == answers);
            }
            int callbackThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
            int held = accepted.size() - ranHere.get();
            assertTrue(held <= maxQueued + slots + callbackThreads + 1, held
                    + " answers held while at most " + callbackThreads + " callbacks could run");
            assertFalse(rejections.isEmpty(), "no call was rejected");
            assertEquals(Set.of(ServiceRejectedException.Reason.QUEUE_FULL), Set.copyOf(rejections));

            assertEquals("done", client.request("/work").timeout(Duration.ofSeconds(10)).send().response().statusMessage(),
                    "a blocking call is admitted");
        } finally {
            callbacksMayEnd.countDown();
        }
        for (CompletableFuture<ServiceResult> call : accepted) {
            assertEquals("done", call.get(10, TimeUnit.SECONDS).response().statusMessage());
        }
        assertEquals("done", client.request("/work").sendAsync().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .response().statusMessage(), "an asynchronous call is admitted once the callbacks have run");
    }

    /**
     * Answers waiting for their callbacks are weighed as well as counted: once their bytes pass four times the
     * client's maxMessageSize, a call that runs a callback gets QUEUE_FULL saying so, long before maxQueued
     * answers of that size would wait. (Counted only, 40 answers of 512 KiB would wait here; 10 000 by default.)
     */
    @Test
    void answersWaitingForTheirCallbacksAreBoundedByTheirBytes() throws Exception {
        int maxMessageSize = 1 << 20;
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("answer-bytes").maxQueued(40)
                .maxMessageSize(maxMessageSize).build());
        fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/work$",
                request -> ServiceReply.ok("done").withBody(new byte[512 * 1024]))).maxMessageSize(maxMessageSize)
                .concurrency(2).build());
        Fixtures.awaitWorkers(client, 1);
        CountDownLatch callbacksMayEnd = new CountDownLatch(1);
        List<CompletableFuture<ServiceResult>> accepted = new ArrayList<>();
        ServiceRejectedException rejected = null;
        Thread caller = Thread.currentThread();
        try {
            for (int i = 0; i < 100 && rejected == null; i++) {
                CompletableFuture<ServiceResult> call = client.request("/work").sendAsync().toCompletableFuture();
                if (call.isCompletedExceptionally()) {
                    ExecutionException failure = assertThrows(ExecutionException.class, call::get);
                    rejected = assertInstanceOf(ServiceRejectedException.class, failure.getCause());
                    continue;
                }
                accepted.add(call.whenComplete((result, error) -> {
                    if (Thread.currentThread() == caller) {
                        return; // answered before the callback was added: it runs here, and no answer is held
                    }
                    try {
                        callbacksMayEnd.await(20, TimeUnit.SECONDS); // callbacks that fall behind
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
                int answers = accepted.size();
                Fixtures.awaitCondition(Duration.ofSeconds(10), "the call to be answered",
                        () -> client.statistics().answered() == answers);
            }
        } finally {
            callbacksMayEnd.countDown();
        }
        assertTrue(rejected != null, "no call was rejected among " + accepted.size());
        assertEquals(ServiceRejectedException.Reason.QUEUE_FULL, rejected.reason());
        assertTrue(rejected.getMessage().contains("bytes of answers waiting for their callbacks; the limit is "
                + 4L * maxMessageSize), rejected.getMessage());
        for (CompletableFuture<ServiceResult> call : accepted) {
            assertEquals("done", call.get(10, TimeUnit.SECONDS).response().statusMessage());
        }
        assertEquals("done", client.request("/work").sendAsync().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .response().statusMessage(), "an asynchronous call is admitted once the callbacks have run");
    }
}
