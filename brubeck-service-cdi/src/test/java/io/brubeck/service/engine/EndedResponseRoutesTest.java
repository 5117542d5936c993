package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.KeptLog;
import io.brubeck.service.api.Method;
import io.brubeck.service.api.ResponseHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.api.ServiceUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Once a client's response routes are ended ({@link ServiceClientEndpoint#endResponseRoutes(String)}), none
 * starts: callers that wait get a {@link ServiceUnavailableException} giving the reason, nowait answers are
 * dropped with one line in the log, and routes already running can be waited for.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EndedResponseRoutesTest {
    private static final String REASON = "the application stopped";
    private final Fixtures fixtures = new Fixtures();
    private final AtomicInteger routeCalls = new AtomicInteger();

    @AfterEach
    void closeAll() {
        fixtures.close();
    }

    private ServiceClientEndpoint clientAndWorker(ResponseHandler route, Executor callbacks) {
        RouteTable<ResponseHandler> responseRoutes = RouteTable.<ResponseHandler>builder()
                .route("^/r", Method.RESPONSE, response -> {
                    routeCalls.incrementAndGet();
                    return route.handle(response);
                }).build();
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("ending")
                .responseRoutes(responseRoutes).callbackExecutor(callbacks).build());
        fixtures.worker(client, Fixtures.routes("^/", request -> ServiceReply.ok("done")));
        Fixtures.awaitWorkers(client, 1);
        return client;
    }

    @Test
    void answersWithARouteFailTheirCallersOrAreDroppedOnceTheRoutesAreEnded() throws Exception {
        AtomicBoolean counting = new AtomicBoolean();
        AtomicInteger callbacksRun = new AtomicInteger();
        Executor countingCallbacks = task -> { // runs each callback in place, on the client's own pool
            boolean counted = counting.get();
            task.run();
            if (counted) {
                callbacksRun.incrementAndGet();
            }
        };
        ServiceClientEndpoint client = clientAndWorker(response -> "routed", countingCallbacks);
        assertEquals(Optional.of("routed"), client.request("/r/before").send().handlerResponse(String.class));

        try (KeptLog log = KeptLog.of(ServiceClientEndpoint.class, Level.INFO)) {
            client.endResponseRoutes(REASON);
            counting.set(true);
            ServiceUnavailableException sync = assertThrows(ServiceUnavailableException.class,
                    () -> client.request("/r/sync").send());
            ExecutionException async = assertThrows(ExecutionException.class,
                    () -> client.request("/r/async").sendAsync().toCompletableFuture().get(10, TimeUnit.SECONDS));
            for (int i = 0; i < 3; i++) {
                client.request("/r/nowait").sendNoWait();
            }
            Fixtures.awaitCondition(Duration.ofSeconds(10), "the callbacks of the three nowait answers and the "
                    + "asynchronous one to run", () -> callbacksRun.get() == 4);

            assertEquals("Service 'ending' answered /r/sync (200), but its response route did not run: " + REASON,
                    sync.getMessage());
            ServiceUnavailableException asyncFailure = assertInstanceOf(ServiceUnavailableException.class, async.getCause());
            assertEquals("Service 'ending' answered /r/async (200), but its response route did not run: " + REASON,
                    asyncFailure.getMessage());
            assertEquals(1, routeCalls.get(), "only the route of the answer before the end ran");
            List<LogRecord> lines = log.records();
            assertEquals(1, lines.size(), "one line for the dropped answers: " + log.messages());
            assertEquals(Level.WARNING, lines.get(0).getLevel());
            assertTrue(lines.get(0).getMessage().startsWith("Service 'ending' answered /r/nowait (200), but its response "
                    + "route did not run: " + REASON), lines.get(0).getMessage());
            assertNull(lines.get(0).getThrown(), "no stack trace");
        }

        // Answers without a route, and calls that do not handle theirs, are delivered as before.
        ServiceResult unrouted = client.request("/other").send();
        assertEquals("done", unrouted.response().statusMessage());
        ServiceResult unhandled = client.request("/r/x").handleResponse(false).sendAsync().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertEquals("done", unhandled.response().statusMessage());
        assertEquals(1, routeCalls.get());
    }

    @Test
    void aRouteRunningWhenTheRoutesEndFinishesAndCanBeWaitedFor() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ServiceClientEndpoint client = clientAndWorker(response -> {
            entered.countDown();
            assertTrue(release.await(20, TimeUnit.SECONDS));
            return "finished";
        }, null);
        CompletableFuture<ServiceResult> running = client.request("/r/slow").sendAsync().toCompletableFuture();
        assertTrue(entered.await(10, TimeUnit.SECONDS));

        client.endResponseRoutes(REASON);
        assertFalse(client.awaitResponseRoutes(Duration.ofMillis(100)), "the route still runs");
        release.countDown();
        assertTrue(client.awaitResponseRoutes(Duration.ofSeconds(10)), "the route returned");
        assertEquals(Optional.of("finished"), running.get(10, TimeUnit.SECONDS).handlerResponse(String.class));
    }

    @Test
    void aRouteThatEndsTheRoutesDoesNotWaitForItself() throws Exception {
        AtomicReference<ServiceClientEndpoint> self = new AtomicReference<>();
        ServiceClientEndpoint client = clientAndWorker(response -> {
            self.get().endResponseRoutes(REASON); // as a route that stops its application does
            return self.get().awaitResponseRoutes(Duration.ofSeconds(20));
        }, null);
        self.set(client);
        long begin = System.nanoTime();
        ServiceResult result = client.request("/r/stop").send();
        assertEquals(Optional.of(true), result.handlerResponse(Boolean.class), "no other route runs");
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        assertTrue(tookMillis < 10_000, "took " + tookMillis + " ms");
    }
}
