package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.KeptLog;
import io.brubeck.service.api.ServiceReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Callers that ask for the client's status as fast as they can, without waiting for the answers, while the
 * queue is full: the socket thread still heartbeats its workers and stops at once when closed, since callers
 * that ask before it has answered share one request.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StatusFloodTest {
    private static final int QUEUED = 10_000;
    private static final int REQUESTS_PER_ASKER = 200_000;

    /** A liveness window of 5 s, which a socket thread kept busy for longer would miss. */
    private final Fixtures fixtures = new Fixtures(Duration.ofSeconds(1), 5);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void closeAll() throws Exception {
        release.countDown();
        fixtures.close();
    }

    @Test
    void askingForStatusWithoutPauseNeitherStallsTheClientNorDelaysItsClose() throws Exception {
        try (KeptLog clientLog = KeptLog.of(ClientLoop.class)) {
            ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("flood").maxQueued(QUEUED).build());
            fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/", request -> {
                release.await(60, TimeUnit.SECONDS);
                return ServiceReply.ok();
            })).concurrency(1).build());
            Fixtures.awaitWorkers(client, 1);
            for (int i = 0; i < QUEUED; i++) {
                client.request("/fill").timeout(Duration.ofSeconds(60)).sendNoWait(); // each status counts these
            }

            // Two threads ask as fast as they can, without waiting for the answers.
            List<Thread> askers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                boolean onSocketThread = i == 0;
                Thread asker = new Thread(() -> {
                    for (int asked = 0; asked < REQUESTS_PER_ASKER; asked++) {
                        if (onSocketThread) {
                            client.statusFromSocketThread();
                        } else {
                            client.status();
                        }
                    }
                }, "status-asker-" + i);
                asker.start();
                askers.add(asker);
            }
            for (Thread asker : askers) {
                asker.join(30_000);
            }

            long asking = System.nanoTime();
            assertEquals(QUEUED - 1, client.statusFromSocketThread().get(5, TimeUnit.SECONDS).queued());
            long answerMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asking);
            long closing = System.nanoTime();
            client.close();
            long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);

            assertTrue(answerMillis < 3_000, "answered in " + answerMillis + " ms"); // the old mailbox took minutes
            assertFalse(clientLog.has("dropped worker"), "the worker was heartbeaten throughout: " + clientLog.messages());
            assertTrue(closeMillis < 3_000, "closed in " + closeMillis + " ms"); // 2 s promised, and slack for a busy machine
            assertFalse(clientLog.has("did not stop in time"), clientLog.messages().toString());
        }
    }
}
