package io.brubeck.service.cdi.routes;

import java.lang.reflect.Type;

/**
 * Where one parameter of a handler method gets its value.
 *
 * @param index        the parameter's position, from 0
 * @param source       what the value is taken from
 * @param argumentName the argument's name for {@link Source#ARGUMENT}, the group's name or number for
 *                     {@link Source#PATH_GROUP}, otherwise {@code null}
 * @param type         the parameter's declared type, generics included
 */
public record HandlerParameter(int index, Source source, String argumentName, Type type) {

    /** What a parameter's value is taken from. */
    public enum Source {
        /** The {@link io.brubeck.service.api.ServiceRequest} itself. */
        REQUEST,
        /** The {@link io.brubeck.service.api.ServiceResponse} itself. */
        RESPONSE,
        /** One named request argument, read with JSON-B. */
        ARGUMENT,
        /** The raw body: bytes, UTF-8 text or JSON read with JSON-B. */
        BODY,
        /** The response's JSON payload, read with JSON-B. */
        PAYLOAD,
        /** One capturing group of the route's pattern, matched against the message's path. */
        PATH_GROUP
    }
}
