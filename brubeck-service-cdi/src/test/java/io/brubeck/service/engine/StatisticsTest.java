package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.Await;
import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceException;
import io.brubeck.service.api.ServiceRejectedException;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.api.ServiceTimeoutException;
import io.brubeck.service.api.ServiceUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The statistics of clients and workers count what happened to real calls over real sockets, and their
 * levels follow the workers and calls of the moment.
 */
@Timeout(60)
class StatisticsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration HEARTBEAT = Duration.ofMillis(100);

    private final Fixtures fixtures = new Fixtures(HEARTBEAT, 3);

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    /** Waits until the statistics are the expected ones: their levels are published a loop turn later. */
    static <T> void awaitStatistics(Supplier<T> statistics, T expected) {
        Await.until(WAIT, "the statistics " + expected, () -> expected.equals(statistics.get()),
                () -> ", last " + statistics.get());
    }

    @Test
    void answersAreCountedByStatusClassOnBothSides() {
        ServiceClientEndpoint client = fixtures.client("stats");
        assertEquals(new ClientStatistics("stats", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), client.statistics());
        ServiceWorker worker = fixtures.worker(client, RouteTable.<RequestHandler>builder()
                .route("^/ok$", Method.REQUEST, request -> ServiceReply.ok("fine"))
                .route("^/moved$", Method.REQUEST, request -> ServiceReply.status(302, "moved"))
                .route("^/broken$", Method.REQUEST, request -> {
                    throw new IllegalStateException("broken on purpose");
                }).build());
        Fixtures.awaitWorkers(client, 1);

        for (int i = 0; i < 3; i++) {
            assertEquals(200, client.request("/ok").send().response().statusCode());
        }
        assertEquals(404, client.request("/nowhere").send().response().statusCode());
        assertEquals(302, client.request("/moved").send().response().statusCode());
        assertEquals(500, client.request("/broken").send().response().statusCode());

        awaitStatistics(client::statistics, new ClientStatistics("stats", 1, 0, 0, 6, 6, 0, 3, 1, 1, 1, 0, 0, 0));
        assertEquals(6, client.statistics().answered());
        awaitStatistics(worker::statistics, new WorkerStatistics("stats", 1, 0, 6, 0, 6, 1));
    }

    @Test
    void failuresAreCountedByKindAndLevelsFollowTheCallsWaiting() throws Exception {
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("failing").maxMessageSize(64 * 1024)
                .maxQueued(2).build());

        assertThrows(ServiceRejectedException.class, () -> client.request("/big").body(new byte[64 * 1024]).send());
        assertThrows(ServiceTimeoutException.class, () -> client.request("/any").timeout(Duration.ofMillis(50)).send());
        awaitStatistics(client::statistics, new ClientStatistics("failing", 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 1, 0, 1));
        CompletableFuture<ServiceResult> first = client.request("/any").sendAsync().toCompletableFuture();
        CompletableFuture<ServiceResult> second = client.request("/any").sendAsync().toCompletableFuture();
        ExecutionException full = assertThrows(ExecutionException.class,
                () -> client.request("/any").sendAsync().toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertTrue(full.getCause() instanceof ServiceRejectedException, full.toString());
        // Two calls wait for a worker (counted once the socket thread took them); a timeout and two rejections.
        awaitStatistics(client::statistics, new ClientStatistics("failing", 0, 2, 0, 5, 0, 0, 0, 0, 0, 0, 1, 0, 2));

        client.close();
        for (CompletableFuture<ServiceResult> waiting : List.of(first, second)) {
            ExecutionException closed = assertThrows(ExecutionException.class, () -> waiting.get(5, TimeUnit.SECONDS));
            assertTrue(closed.getCause() instanceof ServiceUnavailableException, closed.toString());
        }
        ClientStatistics after = client.statistics();
        assertEquals(new ClientStatistics("failing", 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 1, 2, 2), after,
                "the calls failed by the close are unavailable, and the statistics are still readable");
        assertEquals(after.calls(), after.answered() + after.failed());
    }

    @Test
    void callsOfALostWorkerAreRetriedWhenIdempotentAndUnavailableOtherwise() throws Exception {
        ServiceClientEndpoint client = fixtures.client("lost");
        FakeWorker fake = new FakeWorker(client.endpoint(), "lost", Fixtures.SECRET, 4);
        try {
            Fixtures.awaitWorkers(client, 1);
            CompletableFuture<ServiceResult> plain = client.request("/work").sendAsync().toCompletableFuture();
            CompletableFuture<ServiceResult> idempotent = client.request("/work").idempotent().sendAsync()
                    .toCompletableFuture();
            assertTrue(fake.nextRequest(WAIT.toMillis()) != null && fake.nextRequest(WAIT.toMillis()) != null);
            awaitStatistics(client::statistics, new ClientStatistics("lost", 1, 0, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0));

            CountDownLatch joined = new CountDownLatch(1);
            fixtures.worker(client, Fixtures.routes("^/work$", request -> {
                joined.countDown();
                return ServiceReply.ok("done");
            }));
            Fixtures.awaitWorkers(client, 2);
            fake.close(); // vanishes without a goodbye: dropped once silent beyond the liveness window

            ExecutionException lost = assertThrows(ExecutionException.class, () -> plain.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertTrue(lost.getCause() instanceof ServiceUnavailableException, lost.toString());
            assertEquals(200, idempotent.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).response().statusCode());
            awaitStatistics(client::statistics, new ClientStatistics("lost", 1, 0, 0, 2, 3, 1, 1, 0, 0, 0, 0, 1, 0));
        } finally {
            fake.close();
        }
    }

    @Test
    void theLevelsShowWhatAWorkerRunsNow() throws Exception {
        ServiceClientEndpoint client = fixtures.client("busy");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ServiceWorker worker = fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/slow$", request -> {
            started.countDown();
            release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return ServiceReply.ok("slow");
        })).concurrency(1).build());
        Fixtures.awaitWorkers(client, 1);

        CompletableFuture<ServiceResult> running = client.request("/slow").sendAsync().toCompletableFuture();
        CompletableFuture<ServiceResult> waiting = client.request("/slow").sendAsync().toCompletableFuture();
        assertTrue(started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        awaitStatistics(client::statistics, new ClientStatistics("busy", 1, 1, 1, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0));
        awaitStatistics(worker::statistics, new WorkerStatistics("busy", 1, 1, 1, 0, 0, 0));

        release.countDown();
        for (CompletableFuture<ServiceResult> call : List.of(running, waiting)) {
            assertEquals(200, call.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).response().statusCode());
        }
        awaitStatistics(client::statistics, new ClientStatistics("busy", 1, 0, 0, 2, 2, 0, 2, 0, 0, 0, 0, 0, 0));
        awaitStatistics(worker::statistics, new WorkerStatistics("busy", 1, 0, 2, 0, 2, 0));
        worker.close();
        assertEquals(0, worker.statistics().clients(), "a closed worker has no client");
        awaitStatistics(client::statistics, new ClientStatistics("busy", 0, 0, 0, 2, 2, 0, 2, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void aCallToAClosedClientIsNoCall() {
        ServiceClientEndpoint client = fixtures.client("closed");
        client.close();
        assertThrows(ServiceException.class, () -> client.request("/any").send());
        assertEquals(0, client.statistics().calls());
    }
}
