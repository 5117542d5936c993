package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResult;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A call answered while a longer one is still waiting for its answer holds nothing at the client once its caller
 * has let go of it: not its request body, not its answer. (Answered calls used to stay in the client's table of
 * deadlines until the longer call's deadline came first.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SettledCallMemoryTest {
    private static final int CALLS = 40;
    private static final int BODY_BYTES = 64 * 1024;

    private final Fixtures fixtures = new Fixtures();
    private final CountDownLatch slowMayEnd = new CountDownLatch(1);

    @AfterEach
    void closeAll() {
        slowMayEnd.countDown();
        fixtures.close();
    }

    @Test
    void answeredCallsBehindALongOneAreNotKeptByTheClient() throws Exception {
        ServiceClientEndpoint client = clientWithWorker(2);
        CompletableFuture<ServiceResult> slow = client.request("/slow").sendAsync().toCompletableFuture();

        List<WeakReference<Object>> answered = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            byte[] body = new byte[BODY_BYTES];
            ServiceResult result = client.request("/echo").body(body).send();
            assertEquals(BODY_BYTES, result.response().body().length);
            answered.add(new WeakReference<>(result.response()));
            answered.add(new WeakReference<>(body));
        }

        awaitCollected(answered, "the answered calls");
        slowMayEnd.countDown();
        assertEquals(200, slow.get(10, TimeUnit.SECONDS).response().statusCode());
    }

    /**
     * Calls whose deadline passed while they waited for a worker's slot, behind a call that still waits, are not
     * kept in the client's queue.
     */
    @Test
    void callsThatTimedOutInTheQueueAreNotKeptByTheClient() throws Exception {
        ServiceClientEndpoint client = clientWithWorker(1);
        CompletableFuture<ServiceResult> slow = client.request("/slow").sendAsync().toCompletableFuture();
        Fixtures.awaitCondition(Duration.ofSeconds(10), "the slow call to take the only slot",
                () -> client.status().toCompletableFuture().join().inFlight() == 1);

        // waits at the head of the queue, with a long deadline, while the calls behind it time out
        CompletableFuture<ServiceResult> head = client.request("/echo").sendAsync().toCompletableFuture();
        List<WeakReference<Object>> expired = new ArrayList<>();
        List<CompletableFuture<ServiceResult>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            byte[] body = new byte[BODY_BYTES];
            calls.add(client.request("/echo").body(body).timeout(Duration.ofMillis(200)).sendAsync().toCompletableFuture());
            expired.add(new WeakReference<>(body));
        }
        for (CompletableFuture<ServiceResult> call : calls) {
            assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
        }
        calls.clear();

        awaitCollected(expired, "the bodies of the calls that timed out");
        slowMayEnd.countDown();
        assertEquals(200, slow.get(10, TimeUnit.SECONDS).response().statusCode());
        assertEquals(200, head.get(10, TimeUnit.SECONDS).response().statusCode());
    }

    /** A client with a worker serving /slow, which waits for the test, and /echo. */
    private ServiceClientEndpoint clientWithWorker(int concurrency) {
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("memory").timeout(Duration.ofSeconds(50))
                .build());
        RouteTable<RequestHandler> routes = RouteTable.<RequestHandler>builder()
                .route("^/slow$", Method.REQUEST, request -> {
                    slowMayEnd.await();
                    return ServiceReply.ok();
                })
                .route("^/echo$", Method.REQUEST, request -> ServiceReply.ok().withBody(request.body()))
                .build();
        fixtures.worker(fixtures.workerConfig(client, routes).concurrency(concurrency).build());
        Fixtures.awaitWorkers(client, 1);
        return client;
    }

    private static void awaitCollected(List<WeakReference<Object>> references, String what) {
        Fixtures.awaitCondition(Duration.ofSeconds(20), what + " to be collected", () -> {
            System.gc();
            return references.stream().allMatch(reference -> reference.get() == null);
        });
    }
}
