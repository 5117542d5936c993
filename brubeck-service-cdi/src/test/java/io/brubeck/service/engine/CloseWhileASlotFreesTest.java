package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.api.ServiceUnavailableException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A call still waiting for a free worker when {@code close()} is called fails as closed, and is not sent, even
 * when the answer that frees a slot for it reaches the client's socket thread in the same turn as the close.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CloseWhileASlotFreesTest {
    private static final String SERVICE = "closing";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Fixtures fixtures = new Fixtures();
    private final CountDownLatch firstStarted = new CountDownLatch(1);
    private final CountDownLatch releaseFirst = new CountDownLatch(1);

    @AfterEach
    void closeAll() {
        releaseFirst.countDown();
        fixtures.close();
    }

    @Test
    void aQueuedCallIsNotSentInTheTurnThatTakesTheClose() throws Exception {
        ServiceClientEndpoint client = fixtures.client(SERVICE);
        RouteTable<RequestHandler> routes = RouteTable.<RequestHandler>builder()
                .route("^/first$", Method.REQUEST, request -> {
                    firstStarted.countDown();
                    assertTrue(releaseFirst.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "released");
                    return ServiceReply.ok("first");
                })
                .route("^/queued$", Method.REQUEST, request -> ServiceReply.ok("queued"))
                .build();
        ServiceWorker worker = fixtures.worker(fixtures.workerConfig(client, routes).concurrency(1).build());
        Fixtures.awaitWorkers(client, 1);
        client.request("/first").sendAsync();
        assertTrue(firstStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the first call took the only slot");
        CompletableFuture<ServiceResult> queued = client.request("/queued").sendAsync().toCompletableFuture();

        Thread closer = new Thread(client::close, "closer");
        try (SocketThreadTrap trap = SocketThreadTrap.hangingClient(SERVICE)) {
            client.request("/held").timeout(Duration.ofMillis(50)).sendNoWait(); // its failure is logged: held there
            trap.awaitSprung(WAIT);
            releaseFirst.countDown();
            Fixtures.awaitCondition(WAIT, "the worker to answer the first call", () -> worker.statistics().handled() == 1);
            closer.start();
            Fixtures.awaitCondition(WAIT, "close() to wait for the socket thread",
                    () -> closer.getState() == Thread.State.TIMED_WAITING);
        }
        Fixtures.join(closer, WAIT.toMillis());

        ExecutionException failure = assertThrows(ExecutionException.class, () -> queued.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertInstanceOf(ServiceUnavailableException.class, failure.getCause());
        assertTrue(failure.getCause().getMessage().endsWith("is closed"), failure.getCause().getMessage());
        // The client's goodbye follows anything it sent on the connection.
        Fixtures.awaitCondition(WAIT, "the worker to see the client leave", () -> worker.statistics().clients() == 0);
        assertEquals(1, worker.statistics().requests(), "the worker got a call whose caller was told the client was closed");
    }
}
