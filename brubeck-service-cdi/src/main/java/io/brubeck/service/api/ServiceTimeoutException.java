package io.brubeck.service.api;

/**
 * The call's deadline passed before a response came back. A reply that arrives later is dropped.
 * A web resource usually maps this to HTTP 504.
 */
public class ServiceTimeoutException extends ServiceException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message that names the call and where it waited. */
    public ServiceTimeoutException(String message) {
        super(message);
    }
}
