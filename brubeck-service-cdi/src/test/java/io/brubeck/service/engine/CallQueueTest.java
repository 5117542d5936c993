package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The client's queue of calls keeps their order through additions at both ends and removals from anywhere. */
class CallQueueTest {
    private final CallQueue queue = new CallQueue();

    @Test
    void itKeepsTheOrderOfAListThroughRandomAdditionsAndRemovals() {
        Random random = new Random(11);
        LinkedList<PendingCall> model = new LinkedList<>();
        for (int i = 0; i < 5_000; i++) {
            int action = random.nextInt(5);
            if (action == 0 && !model.isEmpty()) {
                PendingCall call = model.remove(random.nextInt(model.size()));
                queue.remove(call);
                queue.remove(call); // a second removal changes nothing
            } else if (action == 1 && !model.isEmpty()) {
                assertSame(model.pollFirst(), queue.pollFirst());
            } else if (action == 2) {
                PendingCall call = call(i);
                model.addFirst(call);
                queue.addFirst(call);
            } else {
                PendingCall call = call(i);
                model.addLast(call);
                queue.addLast(call);
            }
            assertEquals(model.size(), queue.size());
            assertSame(model.peekFirst(), queue.peekFirst());
        }
        List<PendingCall> inOrder = new ArrayList<>();
        queue.forEach(inOrder::add);
        assertEquals(model, inOrder);

        queue.clear();
        assertEquals(0, queue.size());
        assertNull(queue.pollFirst());
        model.forEach(call -> queue.remove(call)); // calls of a cleared queue are in none
        assertEquals(0, queue.size());
    }

    private static PendingCall call(long id) {
        byte[] none = new byte[0];
        return new PendingCall(id, "/p", none, none, none, none, none, 0, 0, false, null);
    }
}
