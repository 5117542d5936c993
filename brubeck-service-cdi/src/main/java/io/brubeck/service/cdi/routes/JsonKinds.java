package io.brubeck.service.cdi.routes;

import io.brubeck.service.engine.ScalarValues;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;

/** Says, for a message that refuses a value, which kind of JSON value a parameter type takes and what came. */
final class JsonKinds {
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
