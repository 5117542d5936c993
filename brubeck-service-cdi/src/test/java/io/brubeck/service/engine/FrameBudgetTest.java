package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zmq.Msg;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FrameBudgetTest {
    private static final int FRAME = 10_000;

    @Test
    void aFrameBeyondTheBudgetGetsNoBytesUntilOneIsTaken() {
        FrameBudget budget = new FrameBudget(3 * FRAME);
        List<Msg> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(budget.allocate(FRAME));
            assertEquals(FRAME, held.get(i).size());
        }
        assertEquals(3 * FRAME, budget.used());
        Msg refused = budget.allocate(FRAME);
        assertEquals(0, refused.size(), "no room: an empty frame");
        assertInstanceOf(FrameBudget.Refused.class, refused, "marked, so that the receiver can say why it is lost");
        assertEquals(FrameBudget.SMALL_FRAME, budget.allocate(FrameBudget.SMALL_FRAME).size(), "small frames are not counted");

        FrameBudget.Frame taken = assertInstanceOf(FrameBudget.Frame.class, held.get(0));
        taken.release();
        taken.release(); // once only
        assertEquals(2 * FRAME, budget.used());
        assertEquals(FRAME, budget.allocate(FRAME).size(), "room again once a frame was taken");
        assertEquals(3 * FRAME, budget.used());
    }

    @Test
    void theBudgetCanBeSetInBytesWithASuffixAndAWrongSettingIsTheDefault() {
        assertEquals(1_000_000, FrameBudget.configuredLimit("1000000", 7));
        assertEquals(512L << 20, FrameBudget.configuredLimit("512m", 7));
        assertEquals(2L << 30, FrameBudget.configuredLimit(" 2G ", 7));
        assertEquals(64L << 10, FrameBudget.configuredLimit("64k", 7));
        assertEquals(7, FrameBudget.configuredLimit(null, 7));
        for (String wrong : new String[] {"", "lots", "-1m", "0", "12x", "99999999999g"}) {
            assertEquals(7, FrameBudget.configuredLimit(wrong, 7), wrong);
        }
    }

    @Test
    void framesDroppedUntakenReturnToTheBudgetOnceCollected() {
        FrameBudget budget = new FrameBudget(2 * FRAME);
        budget.allocate(FRAME);
        budget.allocate(FRAME); // neither is kept, as JeroMQ keeps none of a connection that closed
        assertEquals(2 * FRAME, budget.used());
        // A full budget asks for a collection itself, at most once a second.
        Fixtures.awaitCondition(Duration.ofSeconds(20), "the dropped frames to be collected",
                () -> budget.allocate(FRAME).size() == FRAME);
        assertFalse(budget.used() > 2 * FRAME);
    }
}
