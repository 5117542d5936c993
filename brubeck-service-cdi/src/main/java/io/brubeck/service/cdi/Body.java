package io.brubeck.service.cdi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a handler parameter to the message's raw body: the request's body in a request route, the
 * response's body in a response route. A {@code byte[]} parameter gets the bytes as they are, a
 * {@code String} (or {@code CharSequence}) gets them as UTF-8 text, and any other type gets them read as JSON with JSON-B: one JSON value in
 * UTF-8, with nothing but whitespace after it ({@code {"name":"a"} more} is refused).
 * A body read into a primitive's wrapper, {@code BigInteger}, {@code BigDecimal}, {@code OptionalInt},
 * {@code OptionalLong} or {@code OptionalDouble} must be one JSON value that fits the type exactly, by the rules
 * of {@link Argument} ({@code 100.7} is not an {@code Integer}); JSON {@code null} is {@code null}, or empty for
 * a primitive optional.
 * An empty body is {@code null}, or empty for an {@code Optional} or a primitive optional. A request body that cannot be read is answered with a 400 reply.
 * At most one parameter of a handler may be the body.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Body {
}
