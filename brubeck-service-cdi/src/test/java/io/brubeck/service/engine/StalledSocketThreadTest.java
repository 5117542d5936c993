package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.ServiceReply;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client whose socket thread is alive but stuck reports itself stalled once the stall limit has passed, while it
 * still counts as running, and no longer once the thread comes round again; an idle client and an idle worker,
 * whose loops turn at least once per heartbeat interval, are never stalled.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StalledSocketThreadTest {
    private final Fixtures fixtures = new Fixtures();

    @AfterEach
    void closeAll() {
        fixtures.close();
    }

    @Test
    void aStuckSocketThreadIsReportedStalledAndAnIdleOneIsNot() throws Exception {
        ServiceClientEndpoint idle = fixtures.client("idle");
        ServiceWorker idleWorker = fixtures.worker(idle, Fixtures.routes("^/", request -> ServiceReply.ok()));
        Fixtures.awaitWorkers(idle, 1);
        ServiceClientEndpoint stuck = fixtures.client("stuck");

        try (SocketThreadTrap trap = SocketThreadTrap.hangingClient("stuck")) {
            stuck.request("/work").timeout(Duration.ofMillis(50)).sendNoWait(); // no worker: its failure is logged
            trap.awaitSprung(Duration.ofSeconds(10));
            Fixtures.awaitCondition(Duration.ofSeconds(30), "the stuck client to be reported stalled", stuck::isStalled);

            assertTrue(stuck.isRunning(), "its thread is alive");
            assertFalse(idle.isStalled(), "an idle client turns at every heartbeat");
            assertFalse(idleWorker.isStalled(), "an idle worker turns at every heartbeat");
        }
        Fixtures.awaitCondition(Duration.ofSeconds(10), "the client to come round again", () -> !stuck.isStalled());
    }
}
