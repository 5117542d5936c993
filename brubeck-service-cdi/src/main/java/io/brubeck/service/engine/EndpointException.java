package io.brubeck.service.engine;

/**
 * Thrown when a ZeroMQ address cannot be used: a client endpoint cannot bind it
 * ({@link EndpointBindException}), or a worker cannot connect to it ({@link EndpointConnectException}).
 * The message names the service and the address; {@link #reason()} says why, in words, for callers that
 * name the address their own way (a configuration key, say). The ZeroMQ error, if any, is the cause.
 */
public abstract sealed class EndpointException extends IllegalStateException
        permits EndpointBindException, EndpointConnectException {
    private static final long serialVersionUID = 1L;

    private final String endpoint;
    private final String reason;

    EndpointException(String message, String endpoint, String reason, Throwable cause) {
        super(message, cause);
        this.endpoint = endpoint;
        this.reason = reason;
    }

    /** The address that could not be used, as configured. */
    public String endpoint() {
        return endpoint;
    }

    /** Why it could not be used, and what to do about it where known, without the service and the address. */
    public String reason() {
        return reason;
    }
}
