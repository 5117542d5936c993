package io.brubeck.service.engine;

import java.util.Optional;

/**
 * A request's arguments or headers are not a JSON object. The sender broke the protocol, so a handler
 * that lets this through makes the worker answer 400, not 500.
 */
final class MalformedRequestException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    /** How deep a chain of causes is searched; a chain may even loop. */
    private static final int MAX_CAUSES = 16;

    MalformedRequestException(String part, IllegalArgumentException notJson) {
        super("The request's " + part + " are not a JSON object: "
                + (notJson.getCause() == null ? notJson : notJson.getCause()).getMessage(), notJson);
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
