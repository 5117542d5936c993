package io.brubeck.service.engine;

/**
 * Thrown when a worker cannot connect to its client endpoints as it starts: no endpoint's host can be
 * resolved, or an address is not one ZeroMQ can connect to. (A host that does not resolve while another
 * does, and a client lost by a worker already running, are logged once and tried again, at most 5 s apart.)
 */
public final class EndpointConnectException extends EndpointException {
    private static final long serialVersionUID = 1L;

    EndpointConnectException(String serviceName, String endpoint, String reason, Throwable cause) {
        super("Worker of service '" + serviceName + "' cannot connect to " + endpoint + ": " + reason, endpoint, reason,
                cause);
    }
}
