package io.brubeck.service.engine;

/**
 * Thrown when a client endpoint cannot bind its address: the port is taken, the host is not an
 * address of this machine, or the address is not one ZeroMQ can bind.
 */
public final class EndpointBindException extends EndpointException {
    private static final long serialVersionUID = 1L;

    EndpointBindException(String serviceName, String endpoint, String reason, Throwable cause) {
        super("Service '" + serviceName + "' cannot bind " + endpoint + ": " + reason, endpoint, reason, cause);
    }
}
