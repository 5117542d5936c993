package io.brubeck.service.api;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A request as a service's handler sees it: path, METHOD, JSON arguments, headers, a raw body and
 * the caller's deadline. Arguments and body are decoded lazily, on the handler's thread.
 */
public interface ServiceRequest {

    /** The path the request was sent to, for example {@code /service/slow}. */
    String path();

    /** The request's METHOD, usually {@link Method#REQUEST}. */
    Method method();

    /**
     * All arguments, as a JSON object (empty when the caller sent none).
     *
     * @throws IllegalArgumentException when the caller sent arguments that are not a JSON object; let
     *                                  through by the handler, it makes the worker answer 400. The same
     *                                  holds for the two {@code argument} methods and {@link #headers()}.
     */
    JsonObject arguments();

    /**
     * One argument as text: a JSON string as is, any other JSON value in its JSON form, and JSON {@code null}
     * as {@code null} (like the original's {@code get_argument}, and an {@code @Argument String} parameter).
     *
     * @return the argument, or {@code defaultValue} when the caller did not send it
     */
    String argument(String name, String defaultValue);

    /**
     * One argument bound to a Java type with the worker's JSON-B instance (see {@code WorkerConfig.Builder.jsonb};
     * under CDI, the application's {@code @ServiceJsonb Jsonb} bean if it has one).
     *
     * @return the bound value, or empty when the caller did not send it or sent JSON {@code null}
     * @throws IllegalArgumentException when the argument cannot be bound to {@code type}; let through by the
     *                                  handler, it makes the worker answer 400 with a message that names the
     *                                  argument and the type
     */
    <T> Optional<T> argument(String name, Class<T> type);

    /** The request headers; never {@code null}. */
    Map<String, String> headers();

    /** The raw body bytes (empty when none). The array is the handler's to keep, not to share. */
    byte[] body();

    /**
     * The body, read as JSON and bound to a Java type with the worker's JSON-B instance, like
     * {@link #argument(String, Class)}.
     *
     * @throws IllegalArgumentException when the body is not one JSON value (with nothing but whitespace after it)
     *                                  that binds to {@code type}; let through by the
     *                                  handler, it makes the worker answer 400 with a message that names the
     *                                  body and the type
     */
    <T> T bodyAs(Class<T> type);

    /**
     * A named capturing group of the pattern of the route that took the request, as the path matched it: for the
     * route {@code ^/orders/(?<id>\d+)$} and the path {@code /orders/42}, {@code pathGroup("id")} is {@code "42"}
     * (the original library passed these groups to its handler methods). Java writes a named group
     * {@code (?<id>…)} where Python writes {@code (?P<id>…)}. The path is matched again on the first call, on the
     * handler's thread, and not at all for a handler that never asks.
     *
     * @return the group's text; empty when the group took no part in the match (an optional group, such as
     *         {@code (?<page>\d+)?}), and always empty from this default, for implementations that know no route
     * @throws IllegalArgumentException when the route's pattern has no group of that name
     */
    default Optional<String> pathGroup(String name) {
        return Optional.empty();
    }

    /**
     * A capturing group of the pattern of the route that took the request, by its number: counting the opening
     * parentheses of every capturing group, named or not, from 1 at the left, as {@link #pathGroup(String)} does
     * otherwise.
     *
     * @return the group's text; empty when the group took no part in the match, and always empty from this
     *         default
     * @throws IllegalArgumentException when {@code number} is below 1 or above the pattern's number of groups
     */
    default Optional<String> pathGroup(int number) {
        return Optional.empty();
    }

    /** When the caller sent the request, by the caller's clock. */
    Instant requestTime();

    /** Time left before the caller gives up; zero or negative once it has. */
    Duration remaining();

    /** Whether the caller has already given up; a long handler may check this and stop early. */
    default boolean isExpired() {
        return remaining().isNegative() || remaining().isZero();
    }
}
