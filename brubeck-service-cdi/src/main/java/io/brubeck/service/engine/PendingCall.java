package io.brubeck.service.engine;

import io.brubeck.service.api.ServiceException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One call between the moment a caller submits it and its answer. The encoded fields are made on
 * the caller's thread; the state, worker and attempt count belong to the client's socket thread.
 */
final class PendingCall {

    /** Where a call is, as the socket thread sees it. */
    enum State {
        /** Submitted, waiting for a worker with a free slot. */
        QUEUED,
        /** Sent to a worker; waiting for its reply. */
        IN_FLIGHT,
        /** The caller gave up but the worker still has it; its reply only returns the worker's slot. */
        ABANDONED,
        /** Answered, failed or expired while queued; nothing more to do. */
        DONE
    }

    final long id;
    final String path;
    final byte[] method;
    final byte[] pathBytes;
    final byte[] headers;
    final byte[] arguments;
    final byte[] body;
    final long requestTimeMillis;
    final long deadlineNanos;
    final boolean idempotent;
    final CallListener listener;
    /** Bytes of the variable fields, what the size limits are checked against. */
    final long encodedSize;

    private static final VarHandle SETTLED;
    private static final VarHandle SENDING;
    private static final int NOT_SENT = 0;
    private static final int SENT = 1;
    private static final int WITHDRAWN = 2;
    private static final int SENT_CALLER_GONE = 3;

    static {
        try {
            SETTLED = MethodHandles.lookup().findVarHandle(PendingCall.class, "settled", boolean.class);
            SENDING = MethodHandles.lookup().findVarHandle(PendingCall.class, "sending", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Set by whichever thread delivers the outcome first: the socket thread, or a caller racing close().
     * A field rather than an AtomicBoolean: one object less for each queued call.
     */
    private volatile boolean settled;

    /**
     * Whether the call has been handed to a worker: set to sent by the socket thread just before it first
     * sends the call, or to withdrawn by its caller when it stops waiting, whichever comes first; a caller
     * that stops waiting after the first send marks it, so that it is not sent again (a retry).
     */
    private volatile int sending;

    State state = State.QUEUED;
    ConnectedWorker worker;
    /** The last worker that refused this call: it is sent there again only when no other worker has credit. */
    ConnectedWorker refusedBy;
    int attempts;
    /** Where the call is in the client's {@link DeadlineQueue}, or -1 when it is not there. */
    int deadlineSlot = -1;
    /** The call's neighbours in the client's {@link CallQueue} while it is in it; both null when it is first and last. */
    PendingCall previousInQueue;
    PendingCall nextInQueue;

    PendingCall(long id, String path, byte[] method, byte[] pathBytes, byte[] headers, byte[] arguments,
                byte[] body, long requestTimeMillis, long deadlineNanos, boolean idempotent, CallListener listener) {
        this.id = id;
        this.path = path;
        this.method = method;
        this.pathBytes = pathBytes;
        this.headers = headers;
        this.arguments = arguments;
        this.body = body;
        this.requestTimeMillis = requestTimeMillis;
        this.deadlineNanos = deadlineNanos;
        this.idempotent = idempotent;
        this.listener = listener;
        this.encodedSize = (long) method.length + pathBytes.length + headers.length + arguments.length + body.length;
    }

    /** Still waiting for a worker or for a reply. */
    boolean isActive() {
        return state == State.QUEUED || state == State.IN_FLIGHT;
    }

    /** Claims the right to deliver this call's outcome; true for the first claim only. */
    boolean settle() {
        return !settled && SETTLED.compareAndSet(this, false, true);
    }

    /**
     * Claims the right to send the call; socket thread, before each send. False when its caller stopped
     * waiting: it must then not be sent (again).
     */
    boolean claimSend() {
        return sending == SENT || SENDING.compareAndSet(this, NOT_SENT, SENT);
    }

    /**
     * Makes sure a call not sent yet never is; the caller's thread, when it stops waiting. False when the
     * socket thread has claimed it already: it was sent, or is about to be, and a worker may run it.
     */
    boolean withdraw() {
        if (SENDING.compareAndSet(this, NOT_SENT, WITHDRAWN)) {
            return true;
        }
        SENDING.compareAndSet(this, SENT, SENT_CALLER_GONE);
        return false;
    }

    /** Fails the call on the calling thread, when the socket thread may no longer do it. */
    void failHere(ServiceException error) {
        if (settle()) {
            listener.deliver(null, error);
        }
    }
}
