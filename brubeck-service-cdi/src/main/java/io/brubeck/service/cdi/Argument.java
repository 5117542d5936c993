package io.brubeck.service.cdi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a handler parameter of a request route to one argument of the request, read with JSON-B
 * into the parameter's type (generic types such as {@code List<Item>} included).
 *
 * <p>An argument the caller did not send is {@code null}, or {@code Optional.empty()} for an
 * {@code Optional} parameter; for a primitive parameter it is an error. An argument that cannot be
 * read as the parameter's type, or a missing one for a primitive, is answered with a 400 reply
 * naming the argument, and the handler is not called.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Argument {

    /** The argument's name, exactly as the caller sent it, for example {@code RETURN_DATA}. */
    String value();
}
