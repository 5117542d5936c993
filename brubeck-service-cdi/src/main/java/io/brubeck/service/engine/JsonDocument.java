package io.brubeck.service.engine;

import jakarta.json.JsonException;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.NoSuchElementException;

/**
 * Checks that a message body is one JSON value, in UTF-8 (the wire's encoding, whatever a JSON-B configuration
 * says), with nothing but whitespace after it: JSON-B reads the first value of a text and ignores the rest, so
 * {@code {"name":"a"} garbage} would otherwise be bound as if the garbage were not there.
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
     * @throws IllegalArgumentException when the body is not one JSON value; the message says what came
     */
    public static Top read(JsonProvider json, byte[] bytes, boolean keep) {
        if (onlyWhitespace(bytes)) { // which the parser would call an unexpected end
            throw new IllegalArgumentException("expected a JSON value, got " + (bytes.length == 0 ? "nothing"
                    : "only whitespace"));
        }
        try (JsonParser parser = json.createParser(new InputStreamReader(new ByteArrayInputStream(bytes),
                StandardCharsets.UTF_8))) {
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

    private static boolean onlyWhitespace(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
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
