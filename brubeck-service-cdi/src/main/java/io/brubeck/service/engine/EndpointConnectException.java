package io.brubeck.service.engine;

/**
 * Thrown when a worker cannot connect to one of its client endpoints as it starts: the host cannot be
 * resolved, or the address is not one ZeroMQ can connect to. (A worker already running that cannot
 * connect again to a client it lost logs this once and tries again at heartbeats, at most 5 s apart.) The message names
 * the service and the address;
 * {@link #reason()} says why, in words, for callers that name the address their own way (a
 * configuration key, say). The ZeroMQ error, if any, is the cause.
 */
public final class EndpointConnectException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final String endpoint;
    private final String reason;

    EndpointConnectException(String serviceName, String endpoint, String reason, Throwable cause) {
        super("Worker of service '" + serviceName + "' cannot connect to " + endpoint + ": " + reason, cause);
        this.endpoint = endpoint;
        this.reason = reason;
    }

    /** The address that could not be connected to, as configured. */
    public String endpoint() {
        return endpoint;
    }

    /** Why it could not be connected to, without the service and the address. */
    public String reason() {
        return reason;
    }
}
