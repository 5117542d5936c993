package io.brubeck.service.engine;

import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The one place that decides whether a JSON value fits a scalar type exactly: the primitives, their
 * wrappers, {@code BigInteger} and {@code BigDecimal}. JSON-B reads these leniently (4294967395 as the int 99,
 * 100.7 as 100, {@code [5,6]} as 5, {@code "yes"} as false, {@code "ab"} as 'a'), so the library reads them
 * here instead:
 * <ul>
 *   <li>{@code byte}, {@code short}, {@code int}, {@code long} and {@code BigInteger} take a JSON number whose
 *       value is a whole number within the type's range; 100, 1e2 and 100.0 are all 100, 100.7 is refused;</li>
 *   <li>{@code float} and {@code double} take any JSON number within the type's range, rounded to the nearest
 *       value of the type; a number too large for it is refused rather than made infinite;</li>
 *   <li>{@code BigDecimal} takes any JSON number as it is;</li>
 *   <li>{@code boolean} takes {@code true} or {@code false};</li>
 *   <li>{@code char} takes a JSON string of exactly one UTF-16 character.</li>
 * </ul>
 * Nothing else fits: no string for a number or a boolean (not even {@code "42"} or {@code "true"}), no
 * number for a {@code char}, no array or object for any of them. JSON {@code null} is the caller's to handle.
 *
 * <p>{@code OptionalInt}, {@code OptionalLong} and {@code OptionalDouble} are read as their content, an
 * {@code int}, {@code long} or {@code double}, by the same rules, and JSON {@code null} is empty.
 *
 * <p>The CDI layer reads its scalar handler parameters here, and {@link StrictJsonb} reads every scalar it binds
 * here, however deeply it is nested. Public for that layer, not for applications; it may change in any release.
 */
public final class ScalarValues {
    private static final int SHOWN_CHARACTERS = 40;
    private static final Map<Class<?>, Class<?>> BOXES = Map.of(boolean.class, Boolean.class, char.class, Character.class,
            byte.class, Byte.class, short.class, Short.class, int.class, Integer.class, long.class, Long.class,
            float.class, Float.class, double.class, Double.class);

    private ScalarValues() {
    }

    /** Whether {@code raw} is a type read here rather than with JSON-B. */
    public static boolean handles(Class<?> raw) {
        return BOXES.containsKey(raw) || BOXES.containsValue(raw) || raw == BigInteger.class || raw == BigDecimal.class;
    }

    /** Whether {@code raw} is {@code OptionalInt}, {@code OptionalLong} or {@code OptionalDouble}. */
    public static boolean handlesOptional(Class<?> raw) {
        return raw == OptionalInt.class || raw == OptionalLong.class || raw == OptionalDouble.class;
    }

    /** The empty value of {@code raw}, a type {@link #handlesOptional handled as an optional} here. */
    public static Object empty(Class<?> raw) {
        if (raw == OptionalInt.class) {
            return OptionalInt.empty();
        }
        return raw == OptionalLong.class ? OptionalLong.empty() : OptionalDouble.empty();
    }

    /**
     * The value as {@code raw}, a type {@link #handlesOptional handled as an optional} here: its content read by
     * {@link #read}, or empty for JSON {@code null}.
     *
     * @throws IllegalArgumentException when the value does not fit the content's type exactly
     */
    public static Object readOptional(JsonValue value, Class<?> raw) {
        if (value.getValueType() == JsonValue.ValueType.NULL) {
            return empty(raw);
        }
        if (raw == OptionalInt.class) {
            return OptionalInt.of((Integer) read(value, Integer.class));
        }
        return raw == OptionalLong.class ? OptionalLong.of((Long) read(value, Long.class))
                : OptionalDouble.of((Double) read(value, Double.class));
    }

    /**
     * The value as {@code raw}, a type {@link #handles handled} here.
     *
     * @throws IllegalArgumentException when the value does not fit the type exactly; the message says what was
     *                                  expected and what came, as in {@code expected true or false, got 1}
     */
    public static Object read(JsonValue value, Class<?> raw) {
        Class<?> type = BOXES.getOrDefault(raw, raw);
        if (type == Boolean.class) {
            if (value.getValueType() == JsonValue.ValueType.TRUE || value.getValueType() == JsonValue.ValueType.FALSE) {
                return value.getValueType() == JsonValue.ValueType.TRUE;
            }
        } else if (type == Character.class) {
            if (value instanceof JsonString text && text.getString().length() == 1) {
                return text.getString().charAt(0);
            }
        } else if (value instanceof JsonNumber number) {
            try {
                Object read = number(number, type);
                if (read != null) {
                    return read;
                }
            } catch (ArithmeticException | UnsupportedOperationException e) {
                // a fraction, out of range, or (BigInteger) an exponent too large to expand: it does not fit
            }
        }
        throw new IllegalArgumentException("expected " + expected(type) + ", got " + shown(value));
    }

    /** The number as {@code type}, or null when it is out of a floating-point type's range. */
    private static Object number(JsonNumber number, Class<?> type) {
        if (type == Integer.class) {
            return number.intValueExact();
        } else if (type == Long.class) {
            return number.longValueExact();
        } else if (type == Short.class) {
            return number.bigDecimalValue().shortValueExact();
        } else if (type == Byte.class) {
            return number.bigDecimalValue().byteValueExact();
        } else if (type == BigInteger.class) {
            return number.bigIntegerValueExact();
        } else if (type == BigDecimal.class) {
            return number.bigDecimalValue();
        } else if (type == Double.class) {
            double read = number.doubleValue();
            return Double.isInfinite(read) ? null : read;
        } else {
            float read = number.bigDecimalValue().floatValue();
            return Float.isInfinite(read) ? null : read;
        }
    }

    private static String expected(Class<?> type) {
        if (type == Boolean.class) {
            return "true or false";
        } else if (type == Character.class) {
            return "a string of one character";
        } else if (type == Byte.class) {
            return "a whole number from " + Byte.MIN_VALUE + " to " + Byte.MAX_VALUE;
        } else if (type == Short.class) {
            return "a whole number from " + Short.MIN_VALUE + " to " + Short.MAX_VALUE;
        } else if (type == Integer.class) {
            return "a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
        } else if (type == Long.class) {
            return "a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        } else if (type == BigInteger.class) {
            return "a whole number";
        } else if (type == Float.class) {
            return "a number from " + -Float.MAX_VALUE + " to " + Float.MAX_VALUE;
        } else if (type == Double.class) {
            return "a number from " + -Double.MAX_VALUE + " to " + Double.MAX_VALUE;
        }
        return "a number";
    }

    /**
     * The value as the caller sent it, in short, for a message that says what came: a number, {@code true},
     * {@code false} or {@code null} as it is, {@code the string "..."} (cut when long), {@code an array} or
     * {@code an object}.
     */
    public static String shown(JsonValue value) {
        return switch (value.getValueType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "the string " + cut(value.toString());
            default -> cut(value.toString());
        };
    }

    private static String cut(String text) {
        return text.length() <= SHOWN_CHARACTERS ? text : text.substring(0, SHOWN_CHARACTERS) + "...";
    }
}
