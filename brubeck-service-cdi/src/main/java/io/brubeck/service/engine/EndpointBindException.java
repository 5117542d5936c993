package io.brubeck.service.engine;

/**
 * Thrown when a client endpoint cannot bind its address: the port is taken, the host is not an
 * address of this machine, or the address is not one ZeroMQ can bind. The message names the service
 * and the address; {@link #reason()} says why, in words, for callers that name the address their own
 * way (a configuration key, say). The ZeroMQ error, if any, is the cause.
 */
public final class EndpointBindException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final String endpoint;
    private final String reason;

    EndpointBindException(String serviceName, String endpoint, String reason, Throwable cause) {
        super("Service '" + serviceName + "' cannot bind " + endpoint + ": " + reason, cause);
        this.endpoint = endpoint;
        this.reason = reason;
    }

    /** The address that could not be bound, as configured. */
    public String endpoint() {
        return endpoint;
    }

    /** Why it could not be bound, and what to do about it, without the service and the address. */
    public String reason() {
        return reason;
    }
}
