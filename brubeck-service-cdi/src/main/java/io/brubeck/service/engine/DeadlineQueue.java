package io.brubeck.service.engine;

import java.util.PriorityQueue;

/**
 * The deadlines of active calls, earliest first. Calls that settle early stay in the heap until they
 * reach its head or until settled entries outnumber live ones, when the heap is rebuilt; so it stays
 * within twice the live calls plus a small slack, and each settlement costs O(1) amortised. Socket thread only.
 */
final class DeadlineQueue {
    private static final int SLACK = 1024;

    private PriorityQueue<PendingCall> heap = newHeap(16);
    private int live;

    void add(PendingCall call) {
        heap.add(call);
        live++;
    }

    /** Records that an active call settled by a reply or a failure rather than by its deadline. */
    void settled() {
        live--;
        if (heap.size() > 2 * live + SLACK) {
            PriorityQueue<PendingCall> rebuilt = newHeap(2 * live + 16);
            for (PendingCall call : heap) {
                if (call.isActive()) {
                    rebuilt.add(call);
                }
            }
            heap = rebuilt;
        }
    }

    /** The next active call whose deadline is at or before {@code nowNanos}, removed; or {@code null}. */
    PendingCall pollExpired(long nowNanos) {
        PendingCall head = activeHead();
        if (head == null || head.deadlineNanos - nowNanos > 0) {
            return null;
        }
        heap.poll();
        live--;
        return head;
    }

    /** Nanoseconds from {@code nowNanos} to the earliest deadline, or {@code Long.MAX_VALUE} if none. */
    long nanosToNextDeadline(long nowNanos) {
        PendingCall head = activeHead();
        return head == null ? Long.MAX_VALUE : Math.max(0, head.deadlineNanos - nowNanos);
    }

    private PendingCall activeHead() {
        PendingCall head;
        while ((head = heap.peek()) != null && !head.isActive()) {
            heap.poll();
        }
        return head;
    }

    private static PriorityQueue<PendingCall> newHeap(int capacity) {
        return new PriorityQueue<>(capacity, (a, b) -> Long.compare(a.deadlineNanos - b.deadlineNanos, 0));
    }
}
