package io.brubeck.service.api;

/**
 * A service call that could not produce a result. The client throws only its subclasses, which say why:
 * {@link ServiceTimeoutException}, {@link ServiceUnavailableException}, {@link ServiceRejectedException},
 * {@link ServiceInterruptedException} and {@link ResponseRouteException}.
 */
public class ServiceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message that says why the call failed. */
    public ServiceException(String message) {
        super(message);
    }

    /** An exception with a message that says why the call failed, and the failure that caused it. */
    public ServiceException(String message, Throwable cause) {
        super(message, cause);
    }
}
