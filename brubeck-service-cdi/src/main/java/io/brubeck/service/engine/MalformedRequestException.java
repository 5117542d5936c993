package io.brubeck.service.engine;

import java.util.Optional;

/**
 * A request's arguments or headers are not a JSON object, or an argument or the body cannot be bound to
 * the type the handler asked for. The sender's fault, so a handler that lets this through makes the
 * worker answer 400, not 500, as a route of the CDI extension does for a parameter it cannot bind.
 */
final class MalformedRequestException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    /** How deep a chain of causes is searched; a chain may even loop. */
    private static final int MAX_CAUSES = 16;

    MalformedRequestException(String part, IllegalArgumentException notJson) {
        super("The request's " + part + " are not a JSON object: " + reason(notJson), notJson);
    }

    /** {@code what} (an argument, the body) cannot be bound to {@code type}: the JSON does not fit it. */
    MalformedRequestException(String what, Class<?> type, IllegalArgumentException unbound) {
        super(what + " cannot be read as " + type.getTypeName() + ": " + reason(unbound), unbound);
    }

    /** What the JSON reader or JSON-B said, without the wrapping of the library's own message. */
    private static String reason(IllegalArgumentException failure) {
        return (failure.getCause() == null ? failure : failure.getCause()).getMessage();
    }

    /** The failure itself, or one of its causes, if it is a malformed request. */
    static Optional<MalformedRequestException> in(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++, cause = cause.getCause()) {
            if (cause instanceof MalformedRequestException malformed) {
                return Optional.of(malformed);
            }
        }
        return Optional.empty();
    }
}
