package io.brubeck.service.api;

import java.util.Optional;

/**
 * What a call that waits for its answer gets back: the service's response, and the result of the
 * caller's own response route for that path when it has one (the original library's
 * {@code (response, handler_response)} pair).
 *
 * @param response        the service's response
 * @param handlerResponse what the caller's response handler returned; {@code null} when no response
 *                        route matched, the call asked not to handle the response, or the handler
 *                        returned nothing
 */
public record ServiceResult(ServiceResponse response, Object handlerResponse) {

    /** The response handler's result, if there was one. */
    public Optional<Object> handlerResult() {
        return Optional.ofNullable(handlerResponse);
    }
}
