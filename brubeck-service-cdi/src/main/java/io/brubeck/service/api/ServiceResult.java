package io.brubeck.service.api;

import java.lang.invoke.MethodType;
import java.util.Objects;
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

    /**
     * What the caller's response handler returned, as the type the caller expects.
     *
     * @param type what the handler returns, for example {@code String.class}
     * @return the handler's result; empty when there was none (see {@link #handlerResponse()})
     * @throws ClassCastException when the handler returned something else, naming what it returned
     */
    public <T> Optional<T> handlerResponse(Class<T> type) {
        Objects.requireNonNull(type, "type");
        if (handlerResponse == null) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked") // int.class stands for Integer, as the handler's int was boxed
        Class<T> boxed = (Class<T>) MethodType.methodType(type).wrap().returnType();
        if (!boxed.isInstance(handlerResponse)) {
            throw new ClassCastException("The response handler returned a " + handlerResponse.getClass().getName()
                    + ", not a " + type.getName());
        }
        return Optional.of(boxed.cast(handlerResponse));
    }
}
