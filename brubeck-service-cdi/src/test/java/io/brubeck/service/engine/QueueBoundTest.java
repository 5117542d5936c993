package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.ServiceReply;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** maxQueued bounds what a client holds for calls it cannot serve yet, also under concurrent callers. */
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
}
