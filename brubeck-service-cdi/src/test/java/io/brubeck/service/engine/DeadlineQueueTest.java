package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The client's deadlines: expired calls come out earliest first, a call removed anywhere in the heap leaves it at
 * once, deadlines compare by their difference (nanoTime wraps), and a call settled elsewhere is never returned.
 */
class DeadlineQueueTest {
    private final DeadlineQueue queue = new DeadlineQueue();

    @Test
    void callsRemovedAtRandomLeaveAtOnceAndTheRestExpireInDeadlineOrder() {
        Random random = new Random(7);
        List<Long> deadlines = new ArrayList<>();
        for (long i = 0; i < 2_000; i++) {
            deadlines.add(i * 1_000);
        }
        Collections.shuffle(deadlines, random);
        List<PendingCall> live = new ArrayList<>();
        for (int i = 0; i < deadlines.size(); i++) {
            PendingCall call = call(i, deadlines.get(i));
            queue.add(call);
            live.add(call);
            if (random.nextInt(3) == 0) {
                PendingCall settled = live.remove(random.nextInt(live.size()));
                queue.remove(settled);
                queue.remove(settled); // a second removal changes nothing
            }
        }
        assertEquals(live.size(), queue.size());

        live.sort(Comparator.comparingLong(call -> call.deadlineNanos));
        for (PendingCall expected : live) {
            assertSame(expected, queue.pollExpired(Long.MAX_VALUE / 2));
        }
        assertNull(queue.pollExpired(Long.MAX_VALUE / 2));
        assertEquals(Long.MAX_VALUE, queue.nanosToNextDeadline(0));
    }

    @Test
    void deadlinesAcrossTheWrapOfNanoTimeKeepTheirOrder() {
        PendingCall beforeWrap = call(1, Long.MAX_VALUE - 10);
        PendingCall afterWrap = call(2, Long.MIN_VALUE + 10);
        queue.add(afterWrap);
        queue.add(beforeWrap);

        assertEquals(0, queue.nanosToNextDeadline(Long.MAX_VALUE - 5));
        assertSame(beforeWrap, queue.pollExpired(Long.MAX_VALUE - 5));
        assertNull(queue.pollExpired(Long.MAX_VALUE - 5));
        assertEquals(20, queue.nanosToNextDeadline(Long.MAX_VALUE - 9));
    }

    @Test
    void aCallNoLongerActiveWhenItsDeadlineComesIsNotReturned() {
        PendingCall done = call(1, 100);
        PendingCall waiting = call(2, 200);
        queue.add(done);
        queue.add(waiting);
        done.state = PendingCall.State.DONE;

        assertSame(waiting, queue.pollExpired(300));
        assertEquals(0, queue.size());
    }

    private static PendingCall call(long id, long deadlineNanos) {
        byte[] none = new byte[0];
        return new PendingCall(id, "/p", none, none, none, none, none, 0, deadlineNanos, false, null);
    }
}
