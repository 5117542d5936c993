package io.brubeck.service.cdi.routes;

import io.brubeck.service.engine.ScalarValues;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbTypeAdapter;
import jakarta.json.bind.annotation.JsonbTypeDeserializer;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Says, for a message that refuses a value, which kind of JSON value a parameter type takes and what came. */
final class JsonKinds {
    /** The constants of an enum named in a message, at most. */
    private static final int SHOWN_CONSTANTS = 12;

    private JsonKinds() {
    }

    /**
     * A {@code JsonValue} type's value, when {@code value} is of that kind.
     *
     * @throws IllegalArgumentException when it is not, saying what was expected and what came
     */
    static JsonValue checked(JsonValue value, Class<?> raw) {
        if (raw.isInstance(value)) {
            return value;
        }
        throw new IllegalArgumentException("expected " + ofJsonValue(raw) + ", got " + ScalarValues.shown(value));
    }

    /**
     * Why JSON-B could not read a value as {@code raw}, in words, when the value's kind tells: a list or array
     * given no JSON array, a record, bean or map given no JSON object, an enum given no name of a constant
     * (JSON-B's own messages say {@code Internal error: null} or {@code No enum constant}). Empty when the kind
     * fits the type, or the type could be read from any kind, or has an adapter or deserializer of its own (whose
     * message says more than the kind): the failure is JSON-B's to tell, then.
     *
     * @param value the value, or {@code null} when only its kind is known: an object or an array
     */
    static Optional<String> explain(Class<?> raw, JsonValue.ValueType kind, JsonValue value) {
        String expected;
        if (raw.isAnnotationPresent(JsonbTypeAdapter.class) || raw.isAnnotationPresent(JsonbTypeDeserializer.class)) {
            expected = null;
        } else if (raw.isEnum()) {
            expected = "one of " + constants(raw);
        } else if ((raw.isArray() && raw != byte[].class) || Collection.class.isAssignableFrom(raw)) {
            expected = kind == JsonValue.ValueType.ARRAY ? null : "a JSON array";
        } else if (Map.class.isAssignableFrom(raw) || raw.isRecord() || isBean(raw)) {
            expected = kind == JsonValue.ValueType.OBJECT ? null : "a JSON object";
        } else if (raw == Number.class) {
            expected = kind == JsonValue.ValueType.NUMBER ? null : "a JSON number";
        } else {
            expected = null;
        }
        return Optional.ofNullable(expected).map(words -> "expected " + words + ", got " + shown(kind, value));
    }

    /** A class of the application's that JSON-B reads from a JSON object's properties. */
    private static boolean isBean(Class<?> raw) {
        String name = raw.getName();
        return !raw.isInterface() && !raw.isPrimitive() && !raw.isArray() && !Modifier.isAbstract(raw.getModifiers())
                && !name.startsWith("java.") && !name.startsWith("javax.") && !name.startsWith("jakarta.");
    }

    private static String constants(Class<?> raw) {
        Object[] constants = raw.getEnumConstants();
        String shown = Arrays.stream(constants).limit(SHOWN_CONSTANTS).map(constant -> ((Enum<?>) constant).name())
                .collect(Collectors.joining(", "));
        return constants.length > SHOWN_CONSTANTS ? shown + " (" + (constants.length - SHOWN_CONSTANTS) + " more)" : shown;
    }

    private static String shown(JsonValue.ValueType kind, JsonValue value) {
        if (value != null) {
            return ScalarValues.shown(value);
        }
        return kind == JsonValue.ValueType.ARRAY ? "an array" : "an object";
    }

    /** The kind of value a subtype of {@code JsonValue} holds, in words. */
    private static String ofJsonValue(Class<?> raw) {
        if (raw == JsonObject.class) {
            return "a JSON object";
        } else if (raw == JsonArray.class) {
            return "a JSON array";
        } else if (raw == JsonStructure.class) {
            return "a JSON object or array";
        } else if (raw == JsonNumber.class) {
            return "a JSON number";
        } else if (raw == JsonString.class) {
            return "a JSON string";
        }
        return "a " + raw.getName();
    }
}
