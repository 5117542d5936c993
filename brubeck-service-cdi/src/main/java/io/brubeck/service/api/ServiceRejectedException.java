package io.brubeck.service.api;

/**
 * The client refused the call before sending it: its queue of calls waiting for a free worker (with
 * answers waiting for their callbacks) is full, or the message is larger than the configured maximum or
 * than any connected worker accepts. Nothing was sent. Retrying later may succeed for
 * {@link Reason#QUEUE_FULL}, not for {@link Reason#TOO_LARGE}. A web resource usually maps this to HTTP 503
 * (queue full) or 413 (too large).
 */
public class ServiceRejectedException extends ServiceException {
    private static final long serialVersionUID = 1L;

    /** Why a call was rejected. */
    public enum Reason {
        /**
         * The client's queue of calls waiting for worker capacity, or of answers waiting for their callbacks, is
         * full: by their number ({@code maxQueued}), or, for the answers, by their bytes (4 × {@code maxMessageSize}).
         */
        QUEUE_FULL,
        /**
         * The encoded request is larger than the client's maximum message size (found when the call is made),
         * or than every connected worker accepts (found on the client's socket thread, when it is dispatched).
         */
        TOO_LARGE
    }

    private final Reason reason;

    /** An exception for a call rejected for {@code reason}, with a message that says more. */
    public ServiceRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** Why the call was rejected. */
    public Reason reason() {
        return reason;
    }
}
