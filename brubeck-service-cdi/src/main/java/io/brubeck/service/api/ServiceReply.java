package io.brubeck.service.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a service's handler answers: an HTTP-like status, a JSON payload built entry by entry, headers,
 * an optional raw body, and the METHOD the reply is routed on at the caller ({@link Method#RESPONSE}
 * by default). Immutable: every {@code with…} method returns a new reply.
 *
 * <pre>{@code
 * return ServiceReply.ok("Took a while, but I am back.")
 *         .with("RETURN_DATA", request.argument("RETURN_DATA", "NO DATA"));
 * }</pre>
 */
public final class ServiceReply {

    /** Success. */
    public static final int OK = 200;
    /** Success: something was created. */
    public static final int CREATED = 201;
    /** Success for some parts and not others; the payload says which. */
    public static final int MULTI_STATUS = 207;
    /**
     * The request is wrong: a missing or invalid argument, say; the worker also answers this for arguments,
     * headers or a body that the handler could not read and let the failure through.
     */
    public static final int BAD_REQUEST = 400;
    /** The caller did not say who it is. */
    public static final int UNAUTHORIZED = 401;
    /** The caller may not do this. */
    public static final int FORBIDDEN = 403;
    /** No such thing; the worker also answers this for a path no route matches. */
    public static final int NOT_FOUND = 404;
    /** The worker answers this for a METHOD it does not know, or that no route of the path takes. */
    public static final int METHOD_NOT_ALLOWED = 405;
    /** The service failed; the worker also answers this for a handler that throws. */
    public static final int SERVER_ERROR = 500;
    /** The worker answers this for a request whose connection was replaced before the work started. */
    public static final int SERVICE_UNAVAILABLE = 503;
    /**
     * The worker answers this for a request whose deadline passed before the work started, and a route of the
     * CDI extension for one whose returned {@code CompletionStage} had not completed by the deadline.
     */
    public static final int GATEWAY_TIMEOUT = 504;

    private static final byte[] NO_BODY = new byte[0];

    private final int statusCode;
    private final String statusMessage;
    private final Method method;
    private final Map<String, Object> payload;
    private final Map<String, String> headers;
    private final byte[] body;

    private ServiceReply(int statusCode, String statusMessage, Method method,
                         Map<String, Object> payload, Map<String, String> headers, byte[] body) {
        this.statusCode = statusCode;
        this.statusMessage = statusMessage;
        this.method = method;
        this.payload = payload;
        this.headers = headers;
        this.body = body;
    }

    /**
     * A reply with the given status.
     *
     * @param statusCode    an HTTP-like code from 100 to 599
     * @param statusMessage a short human-readable message; {@code null} means empty
     */
    public static ServiceReply status(int statusCode, String statusMessage) {
        if (statusCode < 100 || statusCode > 599) {
            throw new IllegalArgumentException("Status code must be between 100 and 599, was " + statusCode);
        }
        return new ServiceReply(statusCode, statusMessage == null ? "" : statusMessage, Method.RESPONSE,
                Map.of(), Map.of(), NO_BODY);
    }

    /** A 200 reply with the message {@code "OK"}. */
    public static ServiceReply ok() {
        return status(OK, "OK");
    }

    /** A 200 reply with the given message. */
    public static ServiceReply ok(String statusMessage) {
        return status(OK, statusMessage);
    }

    /** A 201 reply with the given message. */
    public static ServiceReply created(String statusMessage) {
        return status(CREATED, statusMessage);
    }

    /** A reply whose status is an error, for example {@code error(404, "No such order")}. */
    public static ServiceReply error(int statusCode, String statusMessage) {
        if (statusCode < 400) {
            throw new IllegalArgumentException("An error status must be 400 or more, was " + statusCode);
        }
        return status(statusCode, statusMessage);
    }

    /**
     * This reply with one more payload entry (the original's {@code add_to_payload}). The value is
     * written as JSON with the worker's JSON-B instance (see {@code WorkerConfig.Builder.jsonb}; under CDI,
     * the application's {@code @ServiceJsonb Jsonb} bean if it has one): strings, numbers, booleans,
     * collections, maps and beans all work.
     */
    public ServiceReply with(String key, Object value) {
        Objects.requireNonNull(key, "key");
        Map<String, Object> copy = new LinkedHashMap<>(payload);
        copy.put(key, value);
        return new ServiceReply(statusCode, statusMessage, method, Collections.unmodifiableMap(copy), headers, body);
    }

    /** This reply with several more payload entries, in the map's order; like {@link #with} for each. */
    public ServiceReply withAll(Map<String, ?> entries) {
        Map<String, Object> copy = new LinkedHashMap<>(payload);
        entries.forEach((key, value) -> copy.put(Objects.requireNonNull(key, "key"), value));
        return new ServiceReply(statusCode, statusMessage, method, Collections.unmodifiableMap(copy), headers, body);
    }

    /** This reply with one more header. */
    public ServiceReply withHeader(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ServiceReply(statusCode, statusMessage, method, payload, Collections.unmodifiableMap(copy), body);
    }

    /**
     * This reply with a raw body, sent as is next to the payload. The array is not copied here, but when the
     * reply is sent, as the handler returns: a handler may then fill it again for its next request.
     */
    public ServiceReply withBody(byte[] body) {
        return new ServiceReply(statusCode, statusMessage, method, payload, headers,
                Objects.requireNonNull(body, "body"));
    }

    /** This reply routed on another METHOD at the caller (the original's {@code headers = {"METHOD": …}}). */
    public ServiceReply withMethod(Method method) {
        return new ServiceReply(statusCode, statusMessage, Objects.requireNonNull(method, "method"),
                payload, headers, body);
    }

    /** The HTTP-like status code. */
    public int statusCode() {
        return statusCode;
    }

    /** The status message, for example {@code "Took a while, but I am back."}. */
    public String statusMessage() {
        return statusMessage;
    }

    /** The METHOD the reply is routed on at the caller, {@link Method#RESPONSE} unless changed. */
    public Method method() {
        return method;
    }

    /** The payload entries, in the order they were added; unmodifiable. */
    public Map<String, Object> payload() {
        return payload;
    }

    /** The headers; unmodifiable. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The raw body; the array is shared, not copied. */
    public byte[] body() {
        return body;
    }

    @Override
    public String toString() {
        return "ServiceReply[" + statusCode + " " + statusMessage + ", payload keys " + payload.keySet() + "]";
    }
}
