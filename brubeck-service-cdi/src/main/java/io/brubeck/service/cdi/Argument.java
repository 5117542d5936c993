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
 * <p>A parameter of a primitive type, its wrapper, {@code BigInteger} or {@code BigDecimal} takes only a
 * JSON value that fits it exactly, never one JSON-B would convert with a loss:
 * <ul>
 *   <li>{@code byte}, {@code short}, {@code int}, {@code long} and {@code BigInteger}: a JSON number whose
 *       value is a whole number within the type's range ({@code 100}, {@code 1e2} and {@code 100.0} are all
 *       100; {@code 100.7}, or {@code 2147483648} for an {@code int}, are refused);</li>
 *   <li>{@code float} and {@code double}: any JSON number within the type's range, rounded to the nearest
 *       value of the type ({@code 1e400} is refused, not made infinite); {@code BigDecimal}: any number;</li>
 *   <li>{@code boolean}: {@code true} or {@code false}; {@code char}: a string of exactly one character.</li>
 * </ul>
 * A string is not a number or a boolean ({@code "42"} and {@code "true"} are refused), and an array or an
 * object is never one of these types. A {@code jakarta.json.JsonValue} parameter gets the argument as it came,
 * and one of a kind of JSON value ({@code JsonObject}, {@code JsonArray}, {@code JsonStructure},
 * {@code JsonNumber}, {@code JsonString}) takes only a value of that kind. An {@code OptionalInt}, {@code OptionalLong} or {@code OptionalDouble}
 * parameter takes what an {@code int}, {@code long} or {@code double} takes. A {@code String} (or {@code CharSequence}) parameter takes any value: a
 * JSON string as it is, anything else in its JSON form.
 *
 * <p>An argument the caller did not send, or sent as JSON {@code null}, is {@code null}, or empty for an
 * {@code Optional}, {@code OptionalInt}, {@code OptionalLong} or {@code OptionalDouble} parameter; for a
 * primitive parameter it is an error. An argument that cannot be
 * read as the parameter's type, or a missing one for a primitive, is answered with a 400 reply
 * naming the argument and saying what was expected (a JSON array for a list or an array, a JSON object for a
 * record, bean or map, the names of its constants for an enum) and what came, and the handler is not called.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Argument {

    /** The argument's name, exactly as the caller sent it, for example {@code RETURN_DATA}. */
    String value();
}
