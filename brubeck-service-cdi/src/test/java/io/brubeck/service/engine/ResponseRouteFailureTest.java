package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.KeptLog;
import io.brubeck.service.api.Method;
import io.brubeck.service.api.ResponseHandler;
import io.brubeck.service.api.ResponseRouteException;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A response route that throws fails the call with a {@link ResponseRouteException} that carries the answer;
 * one that fails with an Error still completes the asynchronous caller's stage; one of nowait calls that fails
 * every time does not flood the log.
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class ResponseRouteFailureTest {
    private static final int CALLS = 200;
    private final Fixtures fixtures = new Fixtures();

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    @Test
    void anExceptionInTheResponseRouteFailsTheCallWithTheAnswerAndTheCause() throws Exception {
        IllegalStateException broken = new IllegalStateException("the response route broke");
        RouteTable<ResponseHandler> responseRoutes = RouteTable.<ResponseHandler>builder()
                .route("^/work$", Method.RESPONSE, response -> {
                    throw broken;
                }).build();
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("throwing").responseRoutes(responseRoutes).build());
        fixtures.worker(client, Fixtures.routes("^/work$", request -> ServiceReply.ok("done")));
        Fixtures.awaitWorkers(client, 1);

        ResponseRouteException sync = assertThrows(ResponseRouteException.class, () -> client.request("/work").send());
        ExecutionException async = assertThrows(ExecutionException.class,
                () -> client.request("/work").sendAsync().toCompletableFuture().get(20, TimeUnit.SECONDS));

        for (Throwable failure : new Throwable[] {sync, async.getCause()}) {
            ResponseRouteException routeFailure = assertInstanceOf(ResponseRouteException.class, failure);
            assertSame(broken, routeFailure.getCause());
            assertEquals("done", routeFailure.response().statusMessage());
            assertEquals("/work", routeFailure.response().path());
        }
    }

    @Test
    void anErrorInTheResponseRouteFailsTheAsyncCallInsteadOfLeavingItPending() throws Exception {
        AssertionError broken = new AssertionError("the response route broke");
        RouteTable<ResponseHandler> responseRoutes = RouteTable.<ResponseHandler>builder()
                .route("^/work$", Method.RESPONSE, response -> {
                    throw broken;
                }).build();
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("broken").responseRoutes(responseRoutes).build());
        fixtures.worker(client, Fixtures.routes("^/work$", request -> ServiceReply.ok()));
        Fixtures.awaitWorkers(client, 1);

        CompletableFuture<ServiceResult> call = client.request("/work").sendAsync().toCompletableFuture();

        // The call's own timeout is 10 s; its answer came at once, so 20 s is ample for the stage to settle.
        ExecutionException failure = assertThrows(ExecutionException.class, () -> call.get(20, TimeUnit.SECONDS));
        assertSame(broken, failure.getCause());
    }

    @Test
    void aNowaitResponseRouteThatFailsEveryTimeIsLoggedOncePerInterval() {
        AtomicInteger ran = new AtomicInteger();
        RouteTable<ResponseHandler> responseRoutes = RouteTable.<ResponseHandler>builder()
                .route("^/work$", Method.RESPONSE, response -> {
                    ran.incrementAndGet();
                    throw new IllegalStateException("the response route broke");
                }).build();
        try (KeptLog clientLog = KeptLog.of(ServiceClientEndpoint.class)) {
            ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("noisy").responseRoutes(responseRoutes).build());
            fixtures.worker(client, Fixtures.routes("^/work$", request -> ServiceReply.ok()));
            Fixtures.awaitWorkers(client, 1);

            long start = System.nanoTime();
            for (int i = 0; i < CALLS; i++) {
                client.request("/work").sendNoWait();
            }
            Fixtures.awaitCondition(Duration.ofSeconds(20), "every response route to run", () -> ran.get() == CALLS);

            long intervals = 1 + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) / 10; // one line in each 10 s
            long lines = clientLog.messages().stream().filter(line -> line.contains("the response route broke")).count();
            assertTrue(lines >= 1 && lines <= intervals, lines + " lines for " + CALLS + " failures");
        }
    }
}
