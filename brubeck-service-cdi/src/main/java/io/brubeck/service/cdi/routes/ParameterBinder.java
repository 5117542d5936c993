package io.brubeck.service.cdi.routes;

/**
 * Computes one handler argument from a message: a request on the worker, a response on the caller.
 *
 * @param <M> the message type
 */
@FunctionalInterface
interface ParameterBinder<M> {

    /** @throws BindingException when the message part cannot be read as the parameter's type */
    Object bind(M message);
}
