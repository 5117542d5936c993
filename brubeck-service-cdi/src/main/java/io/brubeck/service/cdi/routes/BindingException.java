package io.brubeck.service.cdi.routes;

/** A message part could not be bound to a handler parameter; the message says which and why. */
final class BindingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BindingException(String message, Throwable cause) {
        super(message, cause);
    }

    BindingException(String message) {
        super(message);
    }
}
