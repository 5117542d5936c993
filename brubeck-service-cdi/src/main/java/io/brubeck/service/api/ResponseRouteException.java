package io.brubeck.service.api;

/**
 * The service answered, but the client's response route for the call's path threw: the route's exception
 * is the cause, and {@link #response()} the answer it was given.
 */
public class ResponseRouteException extends ServiceException {
    private static final long serialVersionUID = 1L;

    /** Not serialised: a response is not, and it belongs to this client's call. */
    private final transient ServiceResponse response;

    /** An exception with a message that names the call, the answer the route failed on, and its exception. */
    public ResponseRouteException(String message, ServiceResponse response, Throwable cause) {
        super(message, cause);
        this.response = response;
    }

    /** The service's answer that the response route failed on; {@code null} only in a deserialised copy. */
    public ServiceResponse response() {
        return response;
    }
}
