package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A loop is stalled once it has not turned for three heartbeat intervals, and never sooner than after 10 s. */
class LoopProgressTest {

    @Test
    void theStallLimitIsThreeIntervalsAndAtLeastTenSeconds() {
        assertEquals(10_000, new LoopProgress(Duration.ofSeconds(1)).stallMillis());
        assertEquals(60_000, new LoopProgress(Duration.ofSeconds(20)).stallMillis());
    }

    @Test
    void aLoopIsStalledOnlyOnceItHasNotTurnedForLongerThanTheLimit() {
        LoopProgress progress = new LoopProgress(Duration.ofSeconds(1));
        progress.turned();
        long turned = System.nanoTime();

        assertFalse(progress.stalledAt(turned + Duration.ofSeconds(9).toNanos()));
        assertTrue(progress.stalledAt(turned + Duration.ofSeconds(11).toNanos()));
    }
}
