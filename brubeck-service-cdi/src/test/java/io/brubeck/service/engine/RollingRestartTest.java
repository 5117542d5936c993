package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Workers replaced one by one while callers keep calling, as in a rolling deployment: a worker that
 * stops drains, so no call fails, none is answered twice and none gets another caller's answer, even
 * though the route is not idempotent (nothing is ever sent twice after it started).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RollingRestartTest {
    private static final int CALLERS = 8;
    private static final int RESTARTS = 6;

    private final Fixtures fixtures = new Fixtures(Duration.ofMillis(100), 10);

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    @Test
    void callersNeverNoticeWorkersBeingReplacedOneByOne() throws Exception {
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("rolling").timeout(Duration.ofSeconds(20)).build());
        AtomicInteger runs = new AtomicInteger();
        List<ServiceWorker> workers = new ArrayList<>();
        workers.add(startWorker(client, "first", runs));
        workers.add(startWorker(client, "second", runs));
        Fixtures.awaitWorkers(client, 2);

        AtomicBoolean calling = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CALLERS; c++) {
            int caller = c;
            running.add(callers.submit(() -> {
                for (int i = 0; calling.get(); i++) {
                    byte[] body = ("caller " + caller + " call " + i).getBytes(StandardCharsets.UTF_8);
                    try {
                        ServiceResult result = client.request("/echo").body(body).send();
                        assertArrayEquals(body, result.response().body(), "an answer for another call");
                        answered.incrementAndGet();
                    } catch (RuntimeException e) {
                        failures.add(new String(body, StandardCharsets.UTF_8) + ": " + e);
                    }
                }
            }));
        }

        for (int restart = 0; restart < RESTARTS; restart++) {
            int before = answered.get();
            Fixtures.awaitCondition(Duration.ofSeconds(10), "calls to flow", () -> answered.get() > before + 50);
            workers.add(startWorker(client, "replacement-" + restart, runs));
            Fixtures.awaitWorkers(client, 3);
            workers.remove(0).close(); // drains: finishes what it started, refuses what it did not
            Fixtures.awaitWorkers(client, 2);
        }
        int beforeStop = answered.get();
        Fixtures.awaitCondition(Duration.ofSeconds(10), "calls to flow", () -> answered.get() > beforeStop + 50);
        calling.set(false);
        callers.shutdown();
        for (Future<?> caller : running) {
            caller.get(30, TimeUnit.SECONDS);
        }

        assertEquals(List.of(), List.copyOf(failures), "no call failed while workers were replaced");
        assertEquals(answered.get(), runs.get(), "each answered call ran exactly once");
        assertTrue(answered.get() > RESTARTS * 50, "calls flowed: " + answered.get());
    }

    private ServiceWorker startWorker(ServiceClientEndpoint client, String label, AtomicInteger runs) {
        return fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/echo$", request -> {
            runs.incrementAndGet();
            return ServiceReply.ok().withBody(request.body());
        })).label(label).shutdownGrace(Duration.ofSeconds(10)).build());
    }
}
