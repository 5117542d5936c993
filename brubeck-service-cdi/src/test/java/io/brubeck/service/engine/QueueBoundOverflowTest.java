package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.brubeck.service.api.ServiceRejectedException;
import io.brubeck.service.api.ServiceReply;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The queue bound is compared without overflow: the largest maxQueued (Integer.MAX_VALUE, "practically
 * unbounded") admits calls while workers have free slots.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class QueueBoundOverflowTest {
    private final Fixtures fixtures = new Fixtures();

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    @Test
    void theLargestAcceptedMaxQueuedDoesNotRefuseCallsWhenWorkersHaveFreeSlots() {
        ClientConfig config = fixtures.clientConfig("unbounded").maxQueued(Integer.MAX_VALUE).build();
        ServiceClientEndpoint client = fixtures.client(config);
        fixtures.worker(client, Fixtures.routes("^/work$", request -> ServiceReply.ok("done")));
        Fixtures.awaitWorkers(client, 1);
        // The socket thread publishes the free slots at the end of every turn. It takes this status
        // request in a later turn than the one that registered the worker, so by its answer they show.
        client.status().toCompletableFuture().join();

        String outcome;
        try {
            outcome = client.request("/work").timeout(Duration.ofSeconds(5)).send().response().statusMessage();
        } catch (ServiceRejectedException e) {
            outcome = "rejected " + e.reason() + ": " + e.getMessage();
        }
        assertEquals("done", outcome);
    }
}
