package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.KeptLog;
import io.brubeck.service.api.ServiceReply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A handler still running at the end of a worker's shutdown grace is interrupted by the worker itself: that is
 * logged once, at INFO, as such, not as the handler's failure. An interruption the handler meets otherwise is
 * still its failure.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GraceEndInterruptTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Fixtures fixtures = new Fixtures();
    private final KeptLog log = fixtures.track(KeptLog.of(Level.INFO, HandlerTask.class, WorkerLoop.class));

    @AfterEach
    void closeAll() {
        fixtures.close();
    }

    @Test
    void aHandlerInterruptedAtTheEndOfTheGraceIsNotLoggedAsAFailure() throws Exception {
        ServiceClientEndpoint client = fixtures.client("grace-end");
        CountDownLatch started = new CountDownLatch(2);
        ServiceWorker worker = fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/service/slow", request -> {
            started.countDown();
            Thread.sleep(TimeUnit.MINUTES.toMillis(1)); // ends when interrupted
            return ServiceReply.ok();
        })).shutdownGrace(Duration.ofMillis(300)).build());
        Fixtures.awaitWorkers(client, 1);
        client.request("/service/slow/1").sendAsync();
        client.request("/service/slow/2").sendAsync();
        assertTrue(started.await(WAIT.toSeconds(), TimeUnit.SECONDS), "both handlers started");

        worker.close();

        Fixtures.awaitCondition(WAIT, "both interruptions to be logged", () -> log.messages().stream()
                .filter(message -> message.contains("interrupted as the worker stopped")).count() == 2);
        List<LogRecord> interrupted = log.records().stream().filter(r -> r.getMessage().contains("interrupted")).toList();
        assertEquals(2, interrupted.size(), () -> "interruptions logged: " + log.messages());
        for (LogRecord record : interrupted) {
            assertEquals(Level.INFO, record.getLevel());
            assertNull(record.getThrown());
            assertTrue(record.getMessage().matches(
                    "Handler for /service/slow/[12] was interrupted as the worker stopped"), record.getMessage());
        }
        assertFalse(log.has("failed"), () -> "a failure logged: " + log.messages());
    }

    @Test
    void anInterruptionOfTheHandlersOwnIsStillAFailure() {
        ServiceClientEndpoint client = fixtures.client("own-interrupt");
        fixtures.worker(client, Fixtures.routes("^/service/own", request -> {
            Thread.currentThread().interrupt();
            Thread.sleep(TimeUnit.MINUTES.toMillis(1)); // throws at once
            return ServiceReply.ok();
        }));

        assertEquals(500, client.request("/service/own").send().response().statusCode());

        Fixtures.awaitCondition(WAIT, "the failure to be logged", () -> log.has("failed"));
        String line = log.messages().stream().filter(message -> message.contains("failed")).findFirst().orElseThrow();
        assertEquals("Handler for /service/own failed: java.lang.InterruptedException: sleep interrupted", line);
        assertFalse(log.has("as the worker stopped"), () -> "logged as the worker's stop: " + log.messages());
    }
}
