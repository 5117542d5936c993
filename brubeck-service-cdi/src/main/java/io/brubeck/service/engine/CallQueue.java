package io.brubeck.service.engine;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The calls waiting for a worker, in order: a list linked through the calls themselves, so that a call whose
 * caller gave up leaves it at once, from wherever it is, and the queue holds nothing of it (its body) behind a
 * call that still waits. Socket thread only.
 */
final class CallQueue implements Iterable<PendingCall> {
    private PendingCall first;
    private PendingCall last;
    private int size;

    void addLast(PendingCall call) {
        call.previousInQueue = last;
        call.nextInQueue = null;
        if (last == null) {
            first = call;
        } else {
            last.nextInQueue = call;
        }
        last = call;
        size++;
    }

    void addFirst(PendingCall call) {
        call.previousInQueue = null;
        call.nextInQueue = first;
        if (first == null) {
            last = call;
        } else {
            first.previousInQueue = call;
        }
        first = call;
        size++;
    }

    PendingCall peekFirst() {
        return first;
    }

    PendingCall pollFirst() {
        PendingCall call = first;
        if (call != null) {
            remove(call);
        }
        return call;
    }

    /** Takes a call out of the queue, wherever it is; nothing if it is not in it. */
    void remove(PendingCall call) {
        if (call.previousInQueue == null && first != call) {
            return; // not in the queue
        }
        PendingCall previous = call.previousInQueue;
        PendingCall next = call.nextInQueue;
        if (previous == null) {
            first = next;
        } else {
            previous.nextInQueue = next;
        }
        if (next == null) {
            last = previous;
        } else {
            next.previousInQueue = previous;
        }
        call.previousInQueue = null;
        call.nextInQueue = null;
        size--;
    }

    int size() {
        return size;
    }

    void clear() {
        while (first != null) {
            remove(first);
        }
    }

    /** The calls from first to last; the queue must not change meanwhile. */
    @Override
    public Iterator<PendingCall> iterator() {
        return new Iterator<>() {
            private PendingCall next = first;

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public PendingCall next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                PendingCall call = next;
                next = call.nextInQueue;
                return call;
            }
        };
    }
}
