package io.brubeck.service.api;

/**
 * No worker could complete the call: the worker that had it died or left, or the client was closed.
 * A web resource usually maps this to HTTP 503.
 */
public class ServiceUnavailableException extends ServiceException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message that names the call and says why no worker could complete it. */
    public ServiceUnavailableException(String message) {
        super(message);
    }
}
