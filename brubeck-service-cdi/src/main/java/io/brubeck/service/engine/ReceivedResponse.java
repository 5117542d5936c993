package io.brubeck.service.engine;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.wire.WireMessage;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/** A reply as the caller receives it; JSON parts are decoded on first use, on the caller's thread. */
final class ReceivedResponse implements ServiceResponse {
    private final String path;
    private final Method method;
    private final WireMessage.Reply reply;
    private final long requestTimeMillis;
    private volatile JsonObject payload;
    private volatile Map<String, String> headers;

    ReceivedResponse(String path, Method method, WireMessage.Reply reply, long requestTimeMillis) {
        this.path = path;
        this.method = method;
        this.reply = reply;
        this.requestTimeMillis = requestTimeMillis;
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
        return JsonSupport.bind(reply.payload().length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : reply.payload(), type);
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
