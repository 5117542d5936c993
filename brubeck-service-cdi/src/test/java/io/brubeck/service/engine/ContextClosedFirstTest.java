package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.brubeck.it.support.KeptLog;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.ZContext;

/**
 * A shared ZeroMQ context closed before the client and worker that use it (which their javadoc rules out) stops
 * them with one line each that says so, without a stack trace: the mistake is the owner's, not a failure to debug.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ContextClosedFirstTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Fixtures fixtures = new Fixtures();

    @AfterEach
    void closeAll() {
        fixtures.close();
    }

    @Test
    void closingASharedContextFirstIsLoggedAsSuchWithoutAStackTrace() {
        KeptLog log = fixtures.track(KeptLog.of(Level.WARNING, ClientLoop.class, WorkerLoop.class));
        ZContext shared = new ZContext(1);
        ServiceClientEndpoint client = fixtures.track(ServiceClientEndpoint.start(fixtures.clientConfig("closed-first")
                .build(), shared));
        ServiceWorker worker = fixtures.track(ServiceWorker.start(fixtures.workerConfig(client,
                Fixtures.routes("^/echo$", request -> ServiceReply.ok("echo"))).build(), shared));
        assertEquals("echo", client.request("/echo").send().response().statusMessage());

        Thread closer = new Thread(shared::close, "context-closer");
        closer.start();
        Fixtures.join(closer, WAIT.toMillis());
        Fixtures.awaitCondition(WAIT, "the client and the worker to stop", () -> !client.isRunning() && !worker.isRunning());

        List<LogRecord> lines = log.records();
        assertEquals(2, lines.size(), () -> "lines: " + log.messages());
        for (LogRecord line : lines) {
            assertEquals(Level.SEVERE, line.getLevel(), line.getMessage());
            assertNull(line.getThrown(), () -> "a stack trace with " + line.getMessage());
        }
        assertEquals(List.of("Client of service 'closed-first' stopped: its shared ZeroMQ context was closed before it "
                        + "was; close the clients and workers of a context before the context",
                "Worker of service 'closed-first' stopped: its shared ZeroMQ context was closed before it was; close "
                        + "the clients and workers of a context before the context"),
                log.messages().stream().sorted().toList());
        ServiceUnavailableException after = assertThrows(ServiceUnavailableException.class,
                () -> client.request("/echo").send());
        assertEquals("The client of service 'closed-first' stopped: its shared ZeroMQ context was closed before it "
                + "was; close the clients and workers of a context before the context", after.getMessage());
        assertFalse(closer.isAlive(), "the context closed");
    }
}
