package io.brubeck.service.cdi.routes;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.ServiceRequest;
import io.brubeck.service.api.ServiceResponse;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Requests and responses built in memory, for calling handlers without sockets. */
final class FakeMessages {

    private FakeMessages() {
    }

    static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    static ServiceRequest request(String argumentsJson, String body, Duration remaining) {
        return request(argumentsJson, body, remaining, Map.of());
    }

    /**
     * A request whose route's path groups are {@code groups}, keyed by name or by number as text; a key it lacks
     * reads as a group that took no part in the match.
     */
    static ServiceRequest request(String argumentsJson, String body, Duration remaining, Map<String, String> groups) {
        JsonObject arguments = json(argumentsJson);
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + remaining.toNanos();
        return new ServiceRequest() {
            @Override
            public String path() {
                return "/test";
            }

            @Override
            public Method method() {
                return Method.REQUEST;
            }

            @Override
            public JsonObject arguments() {
                return arguments;
            }

            @Override
            public String argument(String name, String defaultValue) {
                return arguments.containsKey(name) ? arguments.getString(name) : defaultValue;
            }

            @Override
            public <T> Optional<T> argument(String name, Class<T> type) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Map<String, String> headers() {
                return Map.of();
            }

            @Override
            public byte[] body() {
                return bytes;
            }

            @Override
            public <T> T bodyAs(Class<T> type) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<String> pathGroup(String name) {
                return Optional.ofNullable(groups.get(name));
            }

            @Override
            public Optional<String> pathGroup(int number) {
                return Optional.ofNullable(groups.get(String.valueOf(number)));
            }

            @Override
            public Instant requestTime() {
                return Instant.now();
            }

            @Override
            public Duration remaining() {
                return Duration.ofNanos(deadline - System.nanoTime());
            }
        };
    }

    static ServiceRequest request(String argumentsJson) {
        return request(argumentsJson, null, Duration.ofSeconds(10));
    }

    static ServiceResponse response(int status, String payloadJson) {
        return response(status, payloadJson, Map.of());
    }

    /** A response whose response route's path groups are {@code groups}, as for a request. */
    static ServiceResponse response(int status, String payloadJson, Map<String, String> groups) {
        JsonObject payload = json(payloadJson);
        return new ServiceResponse() {
            @Override
            public String serviceName() {
                return "test";
            }

            @Override
            public String path() {
                return "/test";
            }

            @Override
            public Method method() {
                return Method.RESPONSE;
            }

            @Override
            public int statusCode() {
                return status;
            }

            @Override
            public String statusMessage() {
                return "status " + status;
            }

            @Override
            public JsonObject payload() {
                return payload;
            }

            @Override
            public <T> T payloadAs(Class<T> type) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Map<String, String> headers() {
                return Map.of();
            }

            @Override
            public byte[] body() {
                return new byte[0];
            }

            @Override
            public Optional<String> pathGroup(String name) {
                return Optional.ofNullable(groups.get(name));
            }

            @Override
            public Optional<String> pathGroup(int number) {
                return Optional.ofNullable(groups.get(String.valueOf(number)));
            }

            @Override
            public Instant requestTime() {
                return Instant.now();
            }

            @Override
            public Instant startTime() {
                return Instant.now();
            }

            @Override
            public Instant endTime() {
                return Instant.now();
            }
        };
    }
}
