package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The library's own JSON-B instance reads every number, boolean and char it binds by the rules of
 * {@link ScalarValues}, however deeply nested: record components, bean fields and properties, elements of lists,
 * arrays and maps, {@code Optional} and the primitive optionals, and a whole document of a scalar type; a value
 * that does not fit is refused naming the property, the type, what it takes and what came. Values that fit are
 * bound exactly, JSON {@code null} stays {@code null} for a reference type, enums keep JSON-B's exact names, and
 * what it writes is byte for byte what JSON-B writes. Other JSON-B instances are left lenient.
 */
class StrictJsonbTest {
    private static final Jsonb STRICT = StrictJsonb.create();
    private static final Jsonb PLAIN = JsonbBuilder.create();

    private static final String INT = "int: expected a whole number from -2147483648 to 2147483647, got ";
    private static final String INTEGER = "java.lang.Integer: expected a whole number from -2147483648 to 2147483647, "
            + "got ";
    private static final String LONG_RANGE = "expected a whole number from -9223372036854775808 to 9223372036854775807";

    @AfterAll
    static void close() throws Exception {
        STRICT.close();
        PLAIN.close();
    }

    public record Line(int quantity) {
    }

    public record Scalars(long aLong, short aShort, byte aByte, float aFloat, double aDouble, boolean flag, char letter,
                          BigInteger big, BigDecimal decimal, Long boxedLong, Boolean boxedFlag, Character boxedLetter) {
    }

    /** A bean: a public field and a property with a getter and a setter. */
    public static class Counter {
        public int count;
        private boolean active;

        public boolean isActive() {
            return active;
        }

        public void setActive(boolean active) {
            this.active = active;
        }
    }

    public record Containers(List<Integer> list, int[] ints, Integer[] boxes, Map<String, Long> map,
                             Optional<Integer> maybe, OptionalInt optionalInt, OptionalLong optionalLong,
                             OptionalDouble optionalDouble, List<Line> lines, Map<String, List<Boolean>> flags) {
    }

    public enum Colour { RED, GREEN }

    public record Paint(Colour colour) {
    }

    static Stream<Arguments> notFitting() {
        return Stream.of(
                Arguments.of(Line.class, "{\"quantity\":4294967395}", "quantity", INT + "4294967395"),
                Arguments.of(Line.class, "{\"quantity\":-2147483649}", "quantity", INT + "-2147483649"),
                Arguments.of(Line.class, "{\"quantity\":100.7}", "quantity", INT + "100.7"),
                Arguments.of(Line.class, "{\"quantity\":\"42\"}", "quantity", INT + "the string \"42\""),
                Arguments.of(Line.class, "{\"quantity\":[5,6]}", "quantity", INT + "an array"),
                Arguments.of(Line.class, "{\"quantity\":{\"n\":5}}", "quantity", INT + "an object"),
                Arguments.of(Line.class, "{\"quantity\":true}", "quantity", INT + "true"),
                Arguments.of(Line.class, "{\"quantity\":null}", "quantity", INT + "null"),
                Arguments.of(Scalars.class, "{\"aLong\":9223372036854775808}", "aLong",
                        "long: " + LONG_RANGE + ", got 9223372036854775808"),
                Arguments.of(Scalars.class, "{\"aLong\":1.5}", "aLong", "long: " + LONG_RANGE + ", got 1.5"),
                Arguments.of(Scalars.class, "{\"aShort\":32768}", "aShort",
                        "short: expected a whole number from -32768 to 32767, got 32768"),
                Arguments.of(Scalars.class, "{\"aByte\":128}", "aByte",
                        "byte: expected a whole number from -128 to 127, got 128"),
                Arguments.of(Scalars.class, "{\"aFloat\":1e39}", "aFloat",
                        "float: expected a number from -3.4028235E38 to 3.4028235E38, got 1E+39"),
                Arguments.of(Scalars.class, "{\"aDouble\":-1e400}", "aDouble",
                        "double: expected a number from -1.7976931348623157E308 to 1.7976931348623157E308, got -1E+400"),
                Arguments.of(Scalars.class, "{\"aDouble\":\"3.5\"}", "aDouble",
                        "double: expected a number from -1.7976931348623157E308 to 1.7976931348623157E308, "
                                + "got the string \"3.5\""),
                Arguments.of(Scalars.class, "{\"flag\":\"yes\"}", "flag",
                        "boolean: expected true or false, got the string \"yes\""),
                Arguments.of(Scalars.class, "{\"flag\":1}", "flag", "boolean: expected true or false, got 1"),
                Arguments.of(Scalars.class, "{\"letter\":\"ab\"}", "letter",
                        "char: expected a string of one character, got the string \"ab\""),
                Arguments.of(Scalars.class, "{\"letter\":65}", "letter",
                        "char: expected a string of one character, got 65"),
                Arguments.of(Scalars.class, "{\"big\":1.5}", "big", "java.math.BigInteger: expected a whole number, got 1.5"),
                Arguments.of(Scalars.class, "{\"decimal\":\"1.5\"}", "decimal",
                        "java.math.BigDecimal: expected a number, got the string \"1.5\""),
                Arguments.of(Scalars.class, "{\"boxedLong\":1.5}", "boxedLong", "java.lang.Long: " + LONG_RANGE
                        + ", got 1.5"),
                Arguments.of(Scalars.class, "{\"boxedFlag\":\"true\"}", "boxedFlag",
                        "java.lang.Boolean: expected true or false, got the string \"true\""),
                Arguments.of(Scalars.class, "{\"boxedLetter\":\"\"}", "boxedLetter",
                        "java.lang.Character: expected a string of one character, got the string \"\""),
                Arguments.of(Counter.class, "{\"count\":2147483648}", "count", INT + "2147483648"),
                Arguments.of(Counter.class, "{\"active\":\"false\"}", "active",
                        "boolean: expected true or false, got the string \"false\""),
                Arguments.of(Containers.class, "{\"list\":[1,2.5]}", "list", INTEGER + "2.5"),
                Arguments.of(Containers.class, "{\"ints\":[1,4294967395]}", "ints", INT + "4294967395"),
                Arguments.of(Containers.class, "{\"boxes\":[true]}", "boxes", INTEGER + "true"),
                Arguments.of(Containers.class, "{\"map\":{\"a\":\"1\"}}", "map", "java.lang.Long: " + LONG_RANGE
                        + ", got the string \"1\""),
                Arguments.of(Containers.class, "{\"maybe\":1.5}", "maybe", INTEGER + "1.5"),
                Arguments.of(Containers.class, "{\"optionalInt\":4294967395}", "optionalInt", INTEGER + "4294967395"),
                Arguments.of(Containers.class, "{\"optionalLong\":\"1\"}", "optionalLong", "java.lang.Long: "
                        + LONG_RANGE + ", got the string \"1\""),
                Arguments.of(Containers.class, "{\"optionalDouble\":1e400}", "optionalDouble", "java.lang.Double: "
                        + "expected a number from -1.7976931348623157E308 to 1.7976931348623157E308, got 1E+400"),
                Arguments.of(Containers.class, "{\"lines\":[{\"quantity\":1},{\"quantity\":1e10}]}", "quantity",
                        INT + "1E+10"),
                Arguments.of(Containers.class, "{\"flags\":{\"a\":[true,\"no\"]}}", "flags",
                        "java.lang.Boolean: expected true or false, got the string \"no\""));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("notFitting")
    void aNestedValueThatDoesNotFitItsTypeIsRefusedNamingPropertyTypeAndValue(Class<?> type, String json,
                                                                              String property, String reason) {
        JsonbException refused = assertThrows(JsonbException.class, () -> STRICT.fromJson(json, type));

        assertTrue(refused.getMessage().endsWith(reason), refused.getMessage());
        assertTrue(refused.getMessage().contains("'" + property + "'"), refused.getMessage());
    }

    @Test
    void nestedValuesThatFitAreBoundExactly() {
        assertEquals(new Line(100), STRICT.fromJson("{\"quantity\":1e2}", Line.class));
        assertEquals(new Line(-7), STRICT.fromJson("{\"quantity\":-7.0}", Line.class));
        assertEquals(new Scalars(Long.MAX_VALUE, (short) -32768, (byte) 127, 1.5f, -2.5e10, true, 'x',
                        new BigInteger("123456789012345678901234567890"), new BigDecimal("100.70"), 3L, false, 'y'),
                STRICT.fromJson("{\"aLong\":9223372036854775807,\"aShort\":-32768,\"aByte\":127,\"aFloat\":1.5,"
                        + "\"aDouble\":-2.5e10,\"flag\":true,\"letter\":\"x\",\"big\":123456789012345678901234567890,"
                        + "\"decimal\":100.70,\"boxedLong\":3,\"boxedFlag\":false,\"boxedLetter\":\"y\"}", Scalars.class));

        Counter counter = STRICT.fromJson("{\"count\":2147483647,\"active\":true}", Counter.class);
        assertEquals(Integer.MAX_VALUE, counter.count);
        assertTrue(counter.isActive());

        Containers containers = STRICT.fromJson("{\"list\":[1,null,3],\"ints\":[4,5],\"boxes\":[6,null],"
                + "\"map\":{\"a\":7},\"maybe\":8,\"optionalInt\":9,\"optionalLong\":10,\"optionalDouble\":0.25,"
                + "\"lines\":[{\"quantity\":11}],\"flags\":{\"b\":[false]}}", Containers.class);
        assertEquals(Arrays.asList(1, null, 3), containers.list());
        assertArrayEquals(new int[] {4, 5}, containers.ints());
        assertArrayEquals(new Integer[] {6, null}, containers.boxes());
        assertEquals(Map.of("a", 7L), containers.map());
        assertEquals(Optional.of(8), containers.maybe());
        assertEquals(OptionalInt.of(9), containers.optionalInt());
        assertEquals(OptionalLong.of(10), containers.optionalLong());
        assertEquals(OptionalDouble.of(0.25), containers.optionalDouble());
        assertEquals(List.of(new Line(11)), containers.lines());
        assertEquals(Map.of("b", List.of(false)), containers.flags());
    }

    @Test
    void jsonNullIsNullOrEmptyForAReferenceType() {
        Scalars scalars = STRICT.fromJson("{\"big\":null,\"decimal\":null,\"boxedLong\":null,\"boxedFlag\":null,"
                + "\"boxedLetter\":null}", Scalars.class);
        assertNull(scalars.big());
        assertNull(scalars.boxedLong());
        assertNull(scalars.boxedLetter());

        Containers containers = STRICT.fromJson("{\"maybe\":null,\"optionalInt\":null,\"optionalLong\":null,"
                + "\"optionalDouble\":null}", Containers.class);
        assertEquals(Optional.empty(), containers.maybe());
        assertEquals(OptionalInt.empty(), containers.optionalInt());
        assertEquals(OptionalLong.empty(), containers.optionalLong());
        assertEquals(OptionalDouble.empty(), containers.optionalDouble());
    }

    @Test
    void aWholeDocumentOfAScalarTypeFollowsTheSameRulesThroughEveryOverload() {
        assertEquals("expected a whole number from -2147483648 to 2147483647, got 4294967395",
                assertThrows(JsonbException.class, () -> STRICT.fromJson("4294967395", Integer.class)).getMessage());
        assertThrows(JsonbException.class, () -> STRICT.fromJson("\"42\"", (Type) int.class));
        assertThrows(JsonbException.class, () -> STRICT.fromJson(new StringReader("[true]"), Boolean.class));
        assertThrows(JsonbException.class, () -> STRICT.fromJson(new StringReader("1.5"), (Type) Long.class));
        assertThrows(JsonbException.class, () -> STRICT.fromJson(stream("\"ab\""), Character.class));
        assertThrows(JsonbException.class, () -> STRICT.fromJson(stream("1e400"), (Type) Double.class));
        assertThrows(JsonbException.class, () -> STRICT.fromJson("5 6", Integer.class), "one value only");

        assertEquals(42, STRICT.fromJson(" 42 ", Integer.class));
        assertEquals(100, STRICT.<Integer>fromJson(new StringReader("1e2"), (Type) int.class));
        assertEquals(new BigDecimal("1.50"), STRICT.fromJson(stream("1.50"), BigDecimal.class));
        assertNull(STRICT.fromJson("null", Integer.class));
    }

    @Test
    void aWholeDocumentOfAPrimitiveOptionalIsReadAsItsContentThroughEveryOverload() {
        assertEquals("expected a whole number from -2147483648 to 2147483647, got 4294967395",
                assertThrows(JsonbException.class, () -> STRICT.fromJson("4294967395", OptionalInt.class)).getMessage());
        for (String notAnInt : new String[] {"5.5", "\"7\"", "[5]", "true", "5 6"}) {
            assertThrows(JsonbException.class, () -> STRICT.fromJson(notAnInt, OptionalInt.class), notAnInt);
        }
        assertThrows(JsonbException.class, () -> STRICT.fromJson(new StringReader("1.5"), (Type) OptionalLong.class));
        assertThrows(JsonbException.class, () -> STRICT.fromJson(stream("\"7\""), OptionalLong.class));
        assertThrows(JsonbException.class, () -> STRICT.fromJson(new StringReader("[5]"), OptionalDouble.class));
        assertThrows(JsonbException.class, () -> STRICT.fromJson(stream("1e400"), (Type) OptionalDouble.class));

        assertEquals(OptionalInt.of(100), STRICT.fromJson(" 1e2 ", OptionalInt.class));
        assertEquals(OptionalLong.of(Long.MAX_VALUE), STRICT.fromJson(stream("9223372036854775807"), OptionalLong.class));
        assertEquals(OptionalDouble.of(0.25), STRICT.<OptionalDouble>fromJson("0.25", (Type) OptionalDouble.class));
        assertEquals(OptionalInt.empty(), STRICT.fromJson("null", OptionalInt.class));
        assertEquals(OptionalLong.empty(), STRICT.fromJson(new StringReader("null"), OptionalLong.class));
        assertEquals(OptionalDouble.empty(), STRICT.fromJson(stream("null"), OptionalDouble.class));
    }

    @Test
    void enumsKeepJsonbsExactConstantNames() {
        assertEquals(new Paint(Colour.GREEN), STRICT.fromJson("{\"colour\":\"GREEN\"}", Paint.class));
        for (String other : new String[] {"\"green\"", "\" GREEN\"", "1", "[\"GREEN\"]", "true"}) {
            assertThrows(JsonbException.class, () -> STRICT.fromJson("{\"colour\":" + other + "}", Paint.class), other);
        }
    }

    @Test
    void writingIsByteForByteJsonbsOwn() {
        Object[] values = {new Scalars(Long.MIN_VALUE, (short) 1, (byte) -1, 0.1f, 1e300, true, '"', BigInteger.TEN,
                new BigDecimal("1e-10"), null, null, null), new Containers(List.of(1), new int[] {2}, new Integer[] {3},
                Map.of("m", 4L), Optional.of(5), OptionalInt.of(6), OptionalLong.empty(), OptionalDouble.of(7.5),
                List.of(new Line(8)), Map.of("f", List.of(true))), new Paint(Colour.RED), 1.0e10, 'c', List.of(1.5f)};
        for (Object value : values) {
            assertEquals(PLAIN.toJson(value), STRICT.toJson(value));
            StringWriter writer = new StringWriter();
            STRICT.toJson(value, writer);
            assertEquals(PLAIN.toJson(value), writer.toString());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            STRICT.toJson(value, value.getClass(), bytes);
            assertEquals(PLAIN.toJson(value), bytes.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void otherJsonbInstancesStayAsJsonbMadeThem() throws Exception {
        Jsonb later = JsonbBuilder.create();
        try {
            assertEquals(new Line(99), later.fromJson("{\"quantity\":4294967395}", Line.class), "JSON-B's own reading");
            assertEquals(new Line(99), PLAIN.fromJson("{\"quantity\":4294967395}", Line.class));
        } finally {
            later.close();
        }
    }

    @Test
    void primitivesAreNotRegisteredWithAnotherImplementation() {
        Jsonb other = (Jsonb) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Jsonb.class},
                (proxy, method, arguments) -> null);

        assertFalse(YassonPrimitives.register(other, Map.of()));
    }

    private static ByteArrayInputStream stream(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }
}
