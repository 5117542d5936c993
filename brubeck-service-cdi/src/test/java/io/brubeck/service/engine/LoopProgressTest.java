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

    /**
     * Overdue is a stall once two checks a second apart found the same turn overdue: the first check after a
     * frozen JVM resumes may come before the loop's first turn.
     */
    @Test
    void aLoopIsStalledOnceTwoChecksASecondApartFoundItOverdue() {
        LoopProgress progress = new LoopProgress(Duration.ofSeconds(1));
        progress.turned();
        long turned = System.nanoTime();

        assertFalse(progress.stalledAt(turned + seconds(9)), "within the limit");
        assertFalse(progress.stalledAt(turned + seconds(11)), "overdue, found once");
        assertFalse(progress.stalledAt(turned + seconds(11) + Duration.ofMillis(500).toNanos()), "found again too soon");
        assertTrue(progress.stalledAt(turned + seconds(12)), "found again a second later");
    }

    @Test
    void aTurnAfterAnOverdueCheckIsNoStall() {
        LoopProgress progress = new LoopProgress(Duration.ofSeconds(1));
        long now = System.nanoTime();
        assertFalse(progress.stalledAt(now + seconds(11)), "overdue, found once");

        progress.turned(); // the frozen JVM resumed and the loop came round
        assertFalse(progress.stalledAt(System.nanoTime() + seconds(2)));
    }

    private static long seconds(long seconds) {
        return Duration.ofSeconds(seconds).toNanos();
    }
}
