package io.brubeck.service.api;

import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A service's answer as the caller sees it: an HTTP-like status, a JSON payload, headers, a raw
 * body and the timestamps of the round trip.
 *
 * <p>Safe to share between threads: the client hands the same instance to the response route, on a callback
 * thread, and to the caller. Payload and headers are read on first use and cannot be changed.
 */
public interface ServiceResponse {

    /**
     * The name of the service that answered, as its client is configured: a response route of a CDI
     * application runs for the answers of every client of the application, and tells them apart by it.
     */
    String serviceName();

    /** The path of the request this answers. */
    String path();

    /** The METHOD the service gave its reply, {@link Method#RESPONSE} unless it chose another. */
    Method method();

    /**
     * The status code, HTTP-like: 200, 201, 207, 400, 401, 403, 404, 500… chosen by the service; the worker
     * itself answers 400, 404, 405, 500, 503 and 504 (see the constants of {@link ServiceReply}).
     */
    int statusCode();

    /** The status message the service set, for example {@code "Took a while, but I am back."}. */
    String statusMessage();

    /** Whether the status code is in the 2xx range. */
    default boolean isSuccess() {
        return statusCode() >= 200 && statusCode() < 300;
    }

    /**
     * The JSON payload the service built; an empty object when it added nothing.
     *
     * @throws IllegalArgumentException when the service sent a payload that is not a JSON object (a peer in
     *                                  another language may); the same holds for {@link #headers()}
     */
    JsonObject payload();

    /**
     * The payload bound to a Java type with the client's JSON-B instance (see {@code ClientConfig.Builder.jsonb};
     * under CDI, the application's {@code @ServiceJsonb Jsonb} bean if it has one).
     *
     * @throws IllegalArgumentException when the payload does not bind to {@code type}
     */
    <T> T payloadAs(Class<T> type);

    /** The reply headers; never {@code null}. */
    Map<String, String> headers();

    /**
     * The raw body bytes the service attached (empty when none). The same array every time, not a copy, shared
     * with whoever else holds this response: do not change it.
     */
    byte[] body();

    /**
     * A named capturing group of the pattern of the response route that handled this response, as the path
     * matched it: for the response route {@code ^/orders/(?<id>\d+)} and the path {@code /orders/42},
     * {@code pathGroup("id")} is {@code "42"}. The path is matched again on the first call, and not at all when
     * nothing asks.
     *
     * @return the group's text; empty when the group took no part in the match, when no response route
     *         handled this response, and always from this default, for implementations that know no route
     * @throws IllegalArgumentException when the route's pattern has no group of that name
     */
    default Optional<String> pathGroup(String name) {
        return Optional.empty();
    }

    /**
     * A capturing group of the pattern of the response route that handled this response, by its number:
     * counting the opening parentheses of every capturing group, named or not, from 1 at the left, as
     * {@link #pathGroup(String)} does otherwise.
     *
     * @return the group's text; empty when the group took no part in the match, when no response route
     *         handled this response, and always from this default
     * @throws IllegalArgumentException when {@code number} is below 1 or above the pattern's number of groups
     */
    default Optional<String> pathGroup(int number) {
        return Optional.empty();
    }

    /** When the request was sent, by the caller's clock. */
    Instant requestTime();

    /** When the service started to work on the request, by the service's clock. */
    Instant startTime();

    /** When the service finished, by the service's clock. */
    Instant endTime();
}
