package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceRejectedException;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.api.ServiceTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeadlineTest {
    private final Fixtures fixtures = new Fixtures();

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    @Test
    void shortDeadlineOnSlowHandlerFailsNearTheDeadlineAndTheLateReplyIsDropped() throws Exception {
        ServiceClientEndpoint client = fixtures.client("slow");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch slowFinished = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/work$", request -> {
            int call = calls.incrementAndGet();
            if (call == 1) {
                release.await(10, TimeUnit.SECONDS); // slow work: it ends when the test has seen the timeout
                slowFinished.countDown();
            }
            return ServiceReply.ok("call " + call); // tells which call an answer belongs to
        })).concurrency(1).build());
        Fixtures.awaitWorkers(client, 1);

        long begin = System.nanoTime();
        ServiceTimeoutException timeout = assertThrows(ServiceTimeoutException.class,
                () -> client.request("/work").timeout(Duration.ofMillis(200)).send());
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        assertTrue(tookMillis >= 190 && tookMillis < 200 + 3000, "timed out after " + tookMillis + " ms");
        assertTrue(timeout.getMessage().contains("deadline"), timeout.getMessage());
        // The only slot is still taken: the next call waits in the queue, with a worker connected.
        ServiceTimeoutException queued = assertThrows(ServiceTimeoutException.class,
                () -> client.request("/work").timeout(Duration.ofMillis(200)).send());
        assertTrue(queued.getMessage().endsWith("passed its deadline while waiting for a free worker"), queued.getMessage());

        // The late reply returns the worker's only slot and is not mistaken for the next call's answer.
        release.countDown();
        assertTrue(slowFinished.await(5, TimeUnit.SECONDS));
        assertEquals("call 2", client.request("/work").send().response().statusMessage(),
                "the next call gets its own answer, not the late one");
        assertEquals(2, calls.get());
    }

    /**
     * The caller's deadline goes with the request: one that passes while the request waits in the worker's pool for
     * a handler thread is not run once a thread is free, and the worker answers it 504 instead.
     */
    @Test
    void aRequestWhoseDeadlinePassesWhileItWaitsInTheWorkersPoolIsNotRun() throws Exception {
        ServiceClientEndpoint client = fixtures.client("expiring");
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger lateRuns = new AtomicInteger();
        RouteTable<RequestHandler> routes = RouteTable.<RequestHandler>builder()
                .route("^/hold$", Method.REQUEST, request -> {
                    holding.countDown();
                    release.await(20, TimeUnit.SECONDS); // holds the worker's only handler thread
                    return ServiceReply.ok();
                })
                .route("^/late$", Method.REQUEST, request -> {
                    lateRuns.incrementAndGet();
                    return ServiceReply.ok();
                }).build();
        ServiceWorker worker = fixtures.worker(fixtures.workerConfig(client, routes).concurrency(1).prefetch(1).build());
        Fixtures.awaitWorkers(client, 1);
        CompletableFuture<ServiceResult> hold = client.request("/hold").sendAsync().toCompletableFuture();
        assertTrue(holding.await(10, TimeUnit.SECONDS), "the first call holds the only handler thread");

        Duration timeout = Duration.ofMillis(500);
        CompletableFuture<ServiceResult> late = client.request("/late").timeout(timeout).sendAsync().toCompletableFuture();
        Fixtures.awaitCondition(Duration.ofSeconds(10), "the second call to wait in the worker's pool",
                () -> worker.statistics().requests() == 2);
        // It reached the worker by now with at most its timeout left: its deadline there passes within that from now.
        long reachedBy = System.nanoTime();
        ExecutionException timedOut = assertThrows(ExecutionException.class, () -> late.get(10, TimeUnit.SECONDS));
        assertInstanceOf(ServiceTimeoutException.class, timedOut.getCause());
        Fixtures.awaitCondition(Duration.ofSeconds(10), "the second call's deadline to pass at the worker too",
                () -> System.nanoTime() - reachedBy > timeout.toNanos());

        release.countDown();
        assertEquals(200, hold.get(10, TimeUnit.SECONDS).response().statusCode());
        Fixtures.awaitCondition(Duration.ofSeconds(10), "the worker to answer both requests",
                () -> worker.statistics().handled() == 2);
        assertEquals(0, lateRuns.get(), "the handler of the request whose deadline passed did not run");
        // Counted just after it was counted as handled: waited for, not read at once.
        Fixtures.awaitCondition(Duration.ofSeconds(10), "the worker to count the request it answered 504 as failed",
                () -> worker.statistics().failed() == 1);
    }

    @Test
    void withoutAnyWorkerACallFailsClearlyAtItsDeadline() {
        ServiceClientEndpoint client = fixtures.client("nobody");
        long begin = System.nanoTime();
        ServiceTimeoutException timeout = assertThrows(ServiceTimeoutException.class,
                () -> client.request("/x").timeout(Duration.ofMillis(300)).send());
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        assertTrue(tookMillis >= 290 && tookMillis < 2000, "timed out after " + tookMillis + " ms");
        assertEquals("Call to /x on service 'nobody' passed its deadline while no worker was connected to "
                + client.endpoint() + " (is a worker of service 'nobody' running, with the same passphrase?)",
                timeout.getMessage());
    }

    @Test
    void aFullQueueRejectsAtOnce() throws Exception {
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("busy").maxQueued(5).build());
        List<CompletableFuture<?>> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            queued.add(client.request("/x").timeout(Duration.ofSeconds(30)).sendAsync().toCompletableFuture());
        }
        long begin = System.nanoTime();
        ExecutionException rejected = assertThrows(ExecutionException.class,
                () -> client.request("/x").sendAsync().toCompletableFuture().get(5, TimeUnit.SECONDS));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        ServiceRejectedException cause = assertInstanceOf(ServiceRejectedException.class, rejected.getCause());
        assertEquals(ServiceRejectedException.Reason.QUEUE_FULL, cause.reason());
        // At once: not at the call's deadline, ten seconds away.
        assertTrue(tookMillis < 3000, "rejection took " + tookMillis + " ms");
        assertThrows(ServiceRejectedException.class, () -> client.request("/x").sendNoWait());
        assertTrue(queued.stream().noneMatch(CompletableFuture::isDone), "queued calls are still waiting");
    }

    @Test
    void anOversizedRequestIsRejectedBeforeSending() {
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("small").maxMessageSize(4096).build());
        ServiceRejectedException rejected = assertThrows(ServiceRejectedException.class,
                () -> client.request("/x").body(new byte[8192]).send());
        assertEquals(ServiceRejectedException.Reason.TOO_LARGE, rejected.reason());
        assertTrue(rejected.getMessage().contains("maxMessageSize"), rejected.getMessage());
    }
}
