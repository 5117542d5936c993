package io.brubeck.service.engine;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.wire.WireMessage;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** A reply as the caller receives it; JSON parts are decoded on first use, on the caller's thread. */
final class ReceivedResponse implements ServiceResponse {
    private final String serviceName;
    private final String path;
    private final Method method;
    private final WireMessage.Reply reply;
    private final long requestTimeMillis;
    private final JsonSupport json;
    private volatile JsonObject payload;
    private volatile Map<String, String> headers;
    private volatile Pattern route;
    private volatile RouteGroups groups;

    ReceivedResponse(String serviceName, String path, Method method, WireMessage.Reply reply, long requestTimeMillis,
                     JsonSupport json) {
        this.serviceName = serviceName;
        this.path = path;
        this.method = method;
        this.reply = reply;
        this.requestTimeMillis = requestTimeMillis;
        this.json = json;
    }

    /** The bytes of the REPLY's variable fields, which this response holds until it is collected. */
    long wireBytes() {
        return (long) reply.statusMessage().length + reply.method().length + reply.headers().length
                + reply.payload().length + reply.body().length;
    }

    @Override
    public String serviceName() {
        return serviceName;
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
    public int statusCode() {
        return reply.statusCode();
    }

    @Override
    public String statusMessage() {
        return new String(reply.statusMessage(), StandardCharsets.UTF_8);
    }

    @Override
    public JsonObject payload() {
        JsonObject parsed = payload;
        if (parsed == null) {
            parsed = JsonSupport.readObject(reply.payload());
            payload = parsed;
        }
        return parsed;
    }

    @Override
    public <T> T payloadAs(Class<T> type) {
        return json.bind(reply.payload().length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : reply.payload(), type);
    }

    @Override
    public Map<String, String> headers() {
        Map<String, String> parsed = headers;
        if (parsed == null) {
            parsed = JsonSupport.readHeaders(reply.headers());
            headers = parsed;
        }
        return parsed;
    }

    @Override
    public byte[] body() {
        return reply.body();
    }

    /**
     * Records the pattern of the response route that matched, before its handler runs: its groups are then
     * {@link #pathGroup}'s.
     */
    void routedBy(Pattern route) {
        this.route = route;
    }

    @Override
    public Optional<String> pathGroup(String name) {
        RouteGroups matched = groups();
        return matched == null ? Optional.empty() : matched.group(name);
    }

    @Override
    public Optional<String> pathGroup(int number) {
        RouteGroups matched = groups();
        return matched == null ? Optional.empty() : matched.group(number);
    }

    /** The route's groups, matched on first use; {@code null} when no response route handled this response. */
    private RouteGroups groups() {
        RouteGroups matched = groups;
        if (matched == null && route != null) {
            matched = RouteGroups.match(route, path); // two threads asking at once both match: the results are equal
            groups = matched;
        }
        return matched;
    }

    @Override
    public Instant requestTime() {
        return Instant.ofEpochMilli(requestTimeMillis);
    }

    @Override
    public Instant startTime() {
        return Instant.ofEpochMilli(reply.startTime());
    }

    @Override
    public Instant endTime() {
        return Instant.ofEpochMilli(reply.endTime());
    }

    @Override
    public String toString() {
        return "ServiceResponse[" + path + " " + statusCode() + " " + statusMessage() + "]";
    }
}
