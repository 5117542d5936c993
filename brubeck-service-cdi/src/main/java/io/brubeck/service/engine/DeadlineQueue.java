package io.brubeck.service.engine;

import java.util.Arrays;

/**
 * The deadlines of active calls, earliest first: a binary heap in which each call knows its place, so that a
 * call settled early, by a reply or a failure, leaves it at once and the heap holds nothing of it (its body, or
 * through its listener its answer) while a longer call stays at the head. Socket thread only.
 */
final class DeadlineQueue {
    private static final int MIN_CAPACITY = 16;

    private PendingCall[] heap = new PendingCall[MIN_CAPACITY];
    private int size;

    void add(PendingCall call) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        size++;
        siftUp(call, size - 1);
    }

    /** Removes a call that settled by a reply or a failure rather than by its deadline; nothing if it is not here. */
    void remove(PendingCall call) {
        int slot = call.deadlineSlot;
        if (slot < 0) {
            return;
        }
        call.deadlineSlot = -1;
        size--;
        PendingCall last = heap[size];
        heap[size] = null;
        if (slot < size) {
            siftDown(last, slot);
            if (heap[slot] == last) {
                siftUp(last, slot);
            }
        }
        if (heap.length > MIN_CAPACITY && size < heap.length / 4) {
            heap = Arrays.copyOf(heap, heap.length / 2); // a burst of calls does not keep its array for good
        }
    }

    /** The next active call whose deadline is at or before {@code nowNanos}, removed; or {@code null}. */
    PendingCall pollExpired(long nowNanos) {
        while (size > 0 && heap[0].deadlineNanos - nowNanos <= 0) {
            PendingCall head = heap[0];
            remove(head);
            if (head.isActive()) {
                return head;
            }
        }
        return null;
    }

    /** Nanoseconds from {@code nowNanos} to the earliest deadline, or {@code Long.MAX_VALUE} if none. */
    long nanosToNextDeadline(long nowNanos) {
        return size == 0 ? Long.MAX_VALUE : Math.max(0, heap[0].deadlineNanos - nowNanos);
    }

    int size() {
        return size;
    }

    private void siftUp(PendingCall call, int slot) {
        while (slot > 0) {
            int parent = (slot - 1) >>> 1;
            if (!earlier(call, heap[parent])) {
                break;
            }
            place(heap[parent], slot);
            slot = parent;
        }
        place(call, slot);
    }

    private void siftDown(PendingCall call, int slot) {
        int half = size >>> 1;
        while (slot < half) {
            int child = 2 * slot + 1;
            if (child + 1 < size && earlier(heap[child + 1], heap[child])) {
                child++;
            }
            if (!earlier(heap[child], call)) {
                break;
            }
            place(heap[child], slot);
            slot = child;
        }
        place(call, slot);
    }

    private void place(PendingCall call, int slot) {
        heap[slot] = call;
        call.deadlineSlot = slot;
    }

    /** Deadlines are nanoTime values, compared by their difference. */
    private static boolean earlier(PendingCall a, PendingCall b) {
        return a.deadlineNanos - b.deadlineNanos < 0;
    }
}
