package io.brubeck.service.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.api.ServiceUnavailableException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client whose REQUEST reaches the worker corrupted, here by a relay that flips one byte of its body
 * on the way, as a client that changed a body after signing it, or a client of another language with a
 * bug, would send it. The worker drops the REQUEST; since the client had registered it, it also replaces
 * the connection (docs/PROTOCOL.md, section 6), so that the client settles the call at once rather than
 * at its deadline, and the worker's one slot at the client is free again for the next call.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultyClientTest {
    private static final String SERVICE = "faulty";
    private static final String MARKER = "<corrupt-me>";
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private final Fixtures fixtures = new Fixtures();

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    @Test
    void aRequestThatReachesTheWorkerCorruptedFailsAsUnavailableAtOnceAndFreesTheWorkersSlot() throws Exception {
        ServiceClientEndpoint client = fixtures.client(SERVICE);
        RecordingRelay relay = fixtures.track(new RecordingRelay(client.endpoint()));
        relay.flipByteAfter(MARKER);
        AtomicInteger runs = new AtomicInteger();
        fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/echo$", request -> {
            runs.incrementAndGet();
            return ServiceReply.ok();
        })).endpoints(relay.endpoint()).concurrency(1).prefetch(0).label("single").build());
        Fixtures.awaitWorkers(client, 1);

        long sent = System.nanoTime();
        ServiceUnavailableException failure = assertThrows(ServiceUnavailableException.class,
                () -> client.request("/echo").body((MARKER + "payload").getBytes(UTF_8)).timeout(DEADLINE).send());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
        assertTrue(relay.hasFlipped(), "the request was corrupted on its way");
        assertTrue(millis < DEADLINE.toMillis() / 4, "failed " + millis + " ms after it was sent, well before its deadline");
        assertTrue(failure.getMessage().contains("became unavailable while handling /echo"), failure.getMessage());
        assertEquals(0, runs.get(), "the corrupted request did not run");

        ServiceResult next = client.request("/echo").body("next".getBytes(UTF_8)).timeout(Duration.ofSeconds(10)).send();
        assertEquals(200, next.response().statusCode());
        assertEquals(1, runs.get(), "the next call ran, on the worker's one slot");
    }
}
