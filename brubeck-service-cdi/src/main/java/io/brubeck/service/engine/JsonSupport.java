package io.brubeck.service.engine;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbException;
import jakarta.json.spi.JsonProvider;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * JSON reading and writing for arguments, payloads and headers. Values are written and bound with an
 * endpoint's JSON-B instance (the configured one, or one shared {@link StrictJsonb}: JSON-B's defaults, with
 * scalars read strictly); JSON objects are read with one shared JSON-P provider. Thread-safe.
 */
final class JsonSupport {
    private static final byte[] EMPTY = new byte[0];

    /** JSON support with the shared default JSON-B instance, which is made on first use. */
    private static final JsonSupport DEFAULTS = new JsonSupport(null);

    /** The configured JSON-B instance; {@code null} for the shared default one. */
    private final Jsonb configured;

    private JsonSupport(Jsonb configured) {
        this.configured = configured;
    }

    /** Created on first use, so a service that never touches JSON never loads a JSON-B provider. */
    private static final class DefaultJsonb {
        static final Jsonb INSTANCE = StrictJsonb.create();
    }

    /** Created on first use, like {@link DefaultJsonb}. */
    private static final class JsonP {
        static final JsonProvider PROVIDER = JsonProvider.provider();
    }

    /** JSON support with an endpoint's configured JSON-B instance, or with the shared default one. */
    static JsonSupport using(Optional<Jsonb> configured) {
        return configured.map(JsonSupport::new).orElse(DEFAULTS);
    }

    private Jsonb jsonb() {
        return configured != null ? configured : DefaultJsonb.INSTANCE;
    }

    /** A map as UTF-8 JSON object bytes; an empty map as no bytes at all. */
    byte[] writeObject(Map<String, ?> map) {
        if (map.isEmpty()) {
            return EMPTY;
        }
        return writeValue(map);
    }

    /** Any value as UTF-8 JSON bytes. */
    byte[] writeValue(Object value) {
        return toJson(value).getBytes(StandardCharsets.UTF_8);
    }

    /** Any value as JSON text; {@code null} as JSON {@code null}. */
    String writeText(Object value) {
        return value == null ? "null" : toJson(value);
    }

    private String toJson(Object value) {
        try {
            return jsonb().toJson(value);
        } catch (JsonbException e) {
            throw new IllegalArgumentException("Cannot write as JSON: " + e.getMessage(), e);
        } catch (StackOverflowError e) { // JSON-B recurses once per level of nesting
            throw new IllegalArgumentException("Cannot write as JSON: the value is nested too deeply", e);
        }
    }

    /** Values already written as JSON text, by name, as the UTF-8 bytes of one JSON object; none as no bytes at all. */
    static byte[] writeObjectOfTexts(Map<String, String> jsonTexts) {
        return objectOfStrings(jsonTexts, false);
    }

    /**
     * Headers as the UTF-8 bytes of a JSON object of strings; none as no bytes at all. Written with JSON-P, never
     * an application's JSON-B configuration: headers are part of the protocol.
     */
    static byte[] writeHeaders(Map<String, String> headers) {
        return objectOfStrings(headers, true);
    }

    /** A JSON object's UTF-8 bytes, its values given as JSON text or, with {@code quoteValues}, as strings. */
    private static byte[] objectOfStrings(Map<String, String> values, boolean quoteValues) {
        if (values.isEmpty()) {
            return EMPTY;
        }
        StringBuilder json = new StringBuilder("{");
        values.forEach((name, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(JsonP.PROVIDER.createValue(name)).append(':')
                    .append(quoteValues ? JsonP.PROVIDER.createValue(value).toString() : value);
        });
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** UTF-8 JSON object bytes as a JSON object; no bytes as an empty object. */
    static JsonObject readObject(byte[] json) {
        if (json.length == 0) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        try (var reader = JsonP.PROVIDER.createReader(new ByteArrayInputStream(json))) {
            JsonNesting.check(json);
            return reader.readObject();
        } catch (JsonException | IllegalStateException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a JSON object: " + e.getMessage(), e);
        }
    }

    /** Header bytes as a map of strings; values that are not JSON strings keep their JSON text. */
    static Map<String, String> readHeaders(byte[] json) {
        JsonObject object = readObject(json);
        if (object.isEmpty()) {
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        object.forEach((name, value) -> headers.put(name, text(value)));
        return java.util.Collections.unmodifiableMap(headers);
    }

    /** A JSON value as text: a string as is, anything else in its JSON form. */
    static String text(JsonValue value) {
        return value instanceof JsonString string ? string.getString() : value.toString();
    }

    /** JSON text bound to a type with JSON-B. */
    <T> T bind(String json, Class<T> type) {
        try {
            return jsonb().fromJson(json, type);
        } catch (JsonbException e) {
            throw new IllegalArgumentException("Cannot bind JSON to " + type.getName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * UTF-8 JSON bytes bound to a type with JSON-B, whatever encoding its configuration names: the wire's is UTF-8.
     * They must be one JSON value, with nothing but whitespace after it, which JSON-B would ignore.
     */
    <T> T bind(byte[] json, Class<T> type) {
        try {
            return type.cast(JsonDocument.bind(jsonb(), JsonP.PROVIDER, json, type));
        } catch (IllegalArgumentException | JsonDocument.Unbindable e) {
            throw new IllegalArgumentException("Cannot bind JSON to " + type.getName() + ": " + e.getMessage(), e);
        }
    }
}
