package io.brubeck.service.engine;

import jakarta.json.JsonException;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbException;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.NoSuchElementException;

/**
 * Reads and binds a message body that must be one JSON value, in UTF-8 (the wire's encoding, whatever a JSON-B
 * configuration says), with nothing but whitespace after it: JSON-B reads the first value of a text and ignores
 * the rest, so {@code {"name":"a"} garbage} would otherwise be bound as if the garbage were not there.
 *
 * <p>Public for the CDI layer, not for applications; it may change in any release.
 */
public final class JsonDocument {
    /**
     * What a body holds.
     *
     * @param kind  the kind of its value
     * @param value the value, or {@code null} for an object or an array that was only checked, not kept
     */
    public record Top(JsonValue.ValueType kind, JsonValue value) {
    }

    private JsonDocument() {
    }

    /**
     * Reads the body's one value; an object or an array is kept only when {@code keep} asks for it.
     *
     * @throws IllegalArgumentException when the body is not one JSON value, or nests objects and arrays deeper than
     *                                  256 levels; the message says what came
     */
    public static Top read(JsonProvider json, byte[] bytes, boolean keep) {
        if (onlyWhitespace(bytes)) { // which the parser would call an unexpected end
            throw new IllegalArgumentException("expected a JSON value, got " + (bytes.length == 0 ? "nothing"
                    : "only whitespace"));
        }
        JsonNesting.check(bytes);
        try (JsonParser parser = json.createParser(reader(bytes))) {
            return read(parser, keep);
        } catch (JsonException e) { // closing
            throw new IllegalArgumentException("expected one JSON value: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the one value of a parser not advanced yet; an object or an array is kept only when {@code keep} asks
     * for it.
     *
     * @throws IllegalArgumentException when the parser does not hold one JSON value; the message says what came
     */
    static Top read(JsonParser parser, boolean keep) {
        try {
            JsonParser.Event first = parser.next();
            Top top;
            if (first == JsonParser.Event.START_OBJECT || first == JsonParser.Event.START_ARRAY) {
                JsonValue.ValueType kind = first == JsonParser.Event.START_OBJECT
                        ? JsonValue.ValueType.OBJECT : JsonValue.ValueType.ARRAY;
                JsonValue value = null;
                if (keep) {
                    value = parser.getValue();
                } else {
                    skip(parser);
                }
                top = new Top(kind, value);
            } else {
                JsonValue value = parser.getValue();
                top = new Top(value.getValueType(), value);
            }
            try {
                if (parser.hasNext()) { // a parser that does not refuse text after the value itself
                    throw new JsonException("text follows the JSON value");
                }
            } catch (JsonException | IllegalStateException | NoSuchElementException e) {
                throw new IllegalArgumentException("expected one JSON value, got more after it: " + e.getMessage(), e);
            }
            return top;
        } catch (JsonException | IllegalStateException | NoSuchElementException e) {
            throw new IllegalArgumentException("expected one JSON value: " + e.getMessage(), e);
        }
    }

    /**
     * Binds a body that must be one JSON value to a type with JSON-B. A JSON-B implementation that binds from a
     * JSON-P parser reads it once, and is then asked whether anything follows; with any other the body is checked
     * first.
     *
     * @throws IllegalArgumentException when the body is not one JSON value, or nests objects and arrays deeper than
     *                                  256 levels; the message says what came
     * @throws Unbindable               when it is one, but JSON-B cannot bind it to the type
     */
    public static Object bind(Jsonb jsonb, JsonProvider json, byte[] bytes, Type type) {
        Jsonb binding = StrictJsonb.delegateFor(jsonb, type);
        if (!ParserBinding.supports(binding)) {
            Top top = read(json, bytes, false); // checks the nesting too
            try {
                return jsonb.fromJson(reader(bytes), type);
            } catch (JsonbException | IllegalArgumentException | ClassCastException e) {
                throw new Unbindable(top, e);
            }
        }
        JsonNesting.check(bytes); // before JSON-B, which binds nested values recursively
        RuntimeException failure;
        try (JsonParser parser = json.createParser(reader(bytes))) {
            Object bound = ParserBinding.bind(binding, parser, type);
            if (!parser.hasNext()) {
                return bound;
            }
            failure = new JsonException("text follows the JSON value");
        } catch (JsonException | JsonbException | IllegalArgumentException | IllegalStateException
                 | NoSuchElementException | ClassCastException e) {
            failure = e;
        }
        Top top = read(json, bytes, false); // only now, to say why: throws when the body is not one JSON value
        throw new Unbindable(top, failure);
    }

    /**
     * A body that is one JSON value, which JSON-B could not bind to the type asked for; the cause is JSON-B's
     * exception, whose message the exception's is.
     */
    public static final class Unbindable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** What the body holds, which can explain why it was not bound. */
        private final transient Top top;

        Unbindable(Top top, RuntimeException cause) {
            super(cause.getMessage(), cause);
            this.top = top;
        }

        /** What the body holds: its kind, and its value unless it is an object or an array. */
        public Top top() {
            return top;
        }
    }

    /** A UTF-8 reader of the bytes: the wire's encoding is UTF-8, whatever a JSON-B configuration says. */
    private static Reader reader(byte[] bytes) {
        return new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8);
    }

    /** Whether the body is JSON {@code null}, with nothing but whitespace around it. */
    public static boolean isNull(byte[] bytes) {
        int start = 0;
        int end = bytes.length;
        while (start < end && isWhitespace(bytes[start])) {
            start++;
        }
        while (end > start && isWhitespace(bytes[end - 1])) {
            end--;
        }
        return end - start == 4 && bytes[start] == 'n' && bytes[start + 1] == 'u' && bytes[start + 2] == 'l'
                && bytes[start + 3] == 'l';
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private static boolean onlyWhitespace(byte[] bytes) {
        for (byte b : bytes) {
            if (!isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }

    /** Reads to the end of the object or array just started, checking its syntax; nothing is kept. */
    private static void skip(JsonParser parser) {
        int depth = 1;
        while (depth > 0) {
            JsonParser.Event event = parser.next();
            if (event == JsonParser.Event.START_OBJECT || event == JsonParser.Event.START_ARRAY) {
                depth++;
            } else if (event == JsonParser.Event.END_OBJECT || event == JsonParser.Event.END_ARRAY) {
                depth--;
            }
        }
    }
}
