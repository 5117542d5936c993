package io.brubeck.service.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StopRequestTest {

    @Test
    void aStopRequestedFromAnotherThreadEndsTheWaitWithItsReason() throws Exception {
        StopRequest stop = new StopRequest();
        CompletableFuture<String> reason = CompletableFuture.supplyAsync(() -> {
            try {
                return stop.awaitWhile(() -> true, "stopped running", 10);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        stop.request("SIGTERM");
        assertEquals("SIGTERM", reason.get(10, TimeUnit.SECONDS));
    }

    /** The program stops, for a supervisor to start it again, when what it runs has ended on its own. */
    @Test
    void whatNoLongerRunsEndsTheWaitWithTheReasonGivenForThat() throws Exception {
        StopRequest stop = new StopRequest();
        AtomicInteger checks = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        String reason = stop.awaitWhile(() -> {
            if (checks.incrementAndGet() == 3) {
                running.set(false); // it dies between two checks
            }
            return running.get();
        }, "stopped running", 10);
        assertEquals("stopped running", reason);
        assertEquals(3, checks.get(), "noticed at the first check after it stopped");
        assertEquals("stopped running", stop.await(), "the stop is requested, for everyone waiting on it");
    }
}
