package io.brubeck.service.engine;

/**
 * Thrown when a worker cannot connect to one of its client endpoints as it starts: the host cannot be
 * resolved, or the address is not one ZeroMQ can connect to. (A worker already running that cannot
 * connect again to a client it lost logs this once and keeps trying, at most 5 s apart.)
 */
public final class EndpointConnectException extends EndpointException {
    private static final long serialVersionUID = 1L;

    EndpointConnectException(String serviceName, String endpoint, String reason, Throwable cause) {
        super("Worker of service '" + serviceName + "' cannot connect to " + endpoint + ": " + reason, endpoint, reason,
                cause);
    }
}
