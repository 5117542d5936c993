package io.brubeck.service.engine;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.ServiceRequest;
import io.brubeck.service.wire.WireMessage;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** A request as a handler sees it; JSON parts are decoded on first use, on the handler's thread. */
final class ReceivedRequest implements ServiceRequest {
    private final String path;
    private final Method method;
    private final WireMessage.Request request;
    private final long deadlineNanos;
    private final Pattern route;
    private final JsonSupport json;
    private JsonObject arguments;
    private Map<String, String> headers;
    private RouteGroups groups;

    /** {@code route} is the pattern of the route that matched the path: its groups are {@link #pathGroup}'s. */
    ReceivedRequest(String path, Method method, WireMessage.Request request, long deadlineNanos, Pattern route,
                    JsonSupport json) {
        this.path = path;
        this.method = method;
        this.request = request;
        this.deadlineNanos = deadlineNanos;
        this.route = route;
        this.json = json;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Method method() {
        return method;
    }

    @Override
    public JsonObject arguments() {
        if (arguments == null) {
            try {
                arguments = JsonSupport.readObject(request.arguments());
            } catch (IllegalArgumentException e) {
                throw new MalformedRequestException("arguments", e);
            }
        }
        return arguments;
    }

    @Override
    public String argument(String name, String defaultValue) {
        JsonValue value = arguments().get(name);
        if (value == null) {
            return defaultValue;
        }
        return value.getValueType() == JsonValue.ValueType.NULL ? null : JsonSupport.text(value);
    }

    @Override
    public <T> Optional<T> argument(String name, Class<T> type) {
        JsonValue value = arguments().get(name);
        try {
            return value == null ? Optional.empty() : Optional.ofNullable(json.bind(value.toString(), type));
        } catch (IllegalArgumentException e) {
            throw new MalformedRequestException("Argument '" + name + "'", type, e);
        }
    }

    @Override
    public Map<String, String> headers() {
        if (headers == null) {
            try {
                headers = JsonSupport.readHeaders(request.headers());
            } catch (IllegalArgumentException e) {
                throw new MalformedRequestException("headers", e);
            }
        }
        return headers;
    }

    @Override
    public byte[] body() {
        return request.body();
    }

    @Override
    public <T> T bodyAs(Class<T> type) {
        try {
            return json.bind(request.body(), type);
        } catch (IllegalArgumentException e) {
            throw new MalformedRequestException("The body", type, e);
        }
    }

    @Override
    public Optional<String> pathGroup(String name) {
        return groups().group(name);
    }

    @Override
    public Optional<String> pathGroup(int number) {
        return groups().group(number);
    }

    private RouteGroups groups() {
        if (groups == null) {
            groups = RouteGroups.match(route, path);
        }
        return groups;
    }

    @Override
    public Instant requestTime() {
        return Instant.ofEpochMilli(request.requestTime());
    }

    @Override
    public Duration remaining() {
        return Duration.ofNanos(deadlineNanos - System.nanoTime());
    }

    @Override
    public String toString() {
        return "ServiceRequest[" + method.wireName() + " " + path + "]";
    }
}
