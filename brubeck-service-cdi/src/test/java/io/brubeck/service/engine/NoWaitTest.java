package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.ResponseHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResult;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NoWaitTest {
    private final Fixtures fixtures = new Fixtures();
    private final AtomicInteger handled = new AtomicInteger();
    private final CountDownLatch handlerRan = new CountDownLatch(1);
    private final CountDownLatch releaseWorker = new CountDownLatch(1);
    private final AtomicInteger workerCalls = new AtomicInteger();

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    private ServiceClientEndpoint clientAndWorker() {
        RouteTable<ResponseHandler> responseRoutes = RouteTable.<ResponseHandler>builder()
                .route("^/service/slow", Method.RESPONSE, response -> {
                    handled.incrementAndGet();
                    handlerRan.countDown();
                    return "handled " + response.payload().getString("RETURN_DATA");
                }).build();
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("slow").responseRoutes(responseRoutes).build());
        fixtures.worker(client, Fixtures.routes("^/service/slow$", request -> {
            workerCalls.incrementAndGet();
            releaseWorker.await(10, TimeUnit.SECONDS); // longer than a test waits for the call to reach it
            return ServiceReply.ok("Took a while, but I am back.").with("RETURN_DATA", request.argument("RETURN_DATA", "NO DATA"));
        }));
        Fixtures.awaitWorkers(client, 1);
        return client;
    }

    @Test
    void noWaitReturnsAtOnceAndTheResponseHandlerRunsExactlyOnce() throws Exception {
        ServiceClientEndpoint client = clientAndWorker();
        client.request("/service/slow").argument("RETURN_DATA", "async").sendNoWait();
        // The worker answers only once released below: had sendNoWait waited for the answer, it would be here.
        assertEquals(0, handled.get(), "the worker has not answered yet");
        Fixtures.awaitCondition(Duration.ofSeconds(5), "the call to reach the worker and wait for its answer",
                () -> workerCalls.get() == 1 && client.statistics().inFlight() == 1);

        releaseWorker.countDown();
        assertTrue(handlerRan.await(5, TimeUnit.SECONDS), "the response handler ran");
        // A later call's completion proves any duplicate of the first answer would have been processed by now.
        client.request("/service/slow").handleResponse(false).send();
        assertEquals(1, handled.get());
    }

    @Test
    void withHandlingTurnedOffTheResponseHandlerNeverRuns() throws Exception {
        ServiceClientEndpoint client = clientAndWorker();
        releaseWorker.countDown();
        client.request("/service/slow").handleResponse(false).sendNoWait();
        Fixtures.awaitCondition(Duration.ofSeconds(5), "the nowait answer to arrive", () -> {
            ClientStatus status = client.status().toCompletableFuture().join();
            return workerCalls.get() == 1 && status.inFlight() == 0 && status.queued() == 0;
        });
        ServiceResult later = client.request("/service/slow").handleResponse(false).send();
        assertEquals(200, later.response().statusCode());
        assertEquals(2, workerCalls.get());
        assertEquals(0, handled.get());
    }

    @Test
    void aWaitingCallGetsTheResponseAndTheHandlersResult() {
        ServiceClientEndpoint client = clientAndWorker();
        releaseWorker.countDown();
        ServiceResult result = client.request("/service/slow").argument("RETURN_DATA", "sync").send();
        assertEquals("sync", result.response().payload().getString("RETURN_DATA"));
        assertEquals(Optional.of("handled sync"), result.handlerResponse(String.class));
        assertEquals(1, handled.get());
    }
}
