package io.brubeck.service.cdi.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.cdi.Argument;
import io.brubeck.service.cdi.Body;
import io.brubeck.service.cdi.ServiceRoute;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scalar handler parameters ({@code @Argument} and {@code @Body}) take only a JSON value that fits their type
 * exactly; anything else is a 400 naming the argument and what was expected, and the handler is not called.
 */
@Timeout(10)
class ScalarBindingTest {
    private static final Jsonb JSONB = JsonbBuilder.create();

    @AfterAll
    static void closeJsonb() throws Exception {
        JSONB.close();
    }

    @ServiceRoute("^/s$")
    public static class Scalars {
        final Map<String, Object> got = new HashMap<>();
        int calls;

        public void request(@Argument("int") Integer anInt, @Argument("long") Long aLong, @Argument("short") Short aShort,
                            @Argument("byte") Byte aByte, @Argument("big") BigInteger big, @Argument("float") Float aFloat,
                            @Argument("double") Double aDouble, @Argument("decimal") BigDecimal decimal,
                            @Argument("boolean") Boolean flag, @Argument("char") Character letter,
                            @Argument("maybe") Optional<Integer> maybe) {
            calls++;
            String[] names = {"int", "long", "short", "byte", "big", "float", "double", "decimal", "boolean", "char"};
            Object[] values = {anInt, aLong, aShort, aByte, big, aFloat, aDouble, decimal, flag, letter};
            for (int i = 0; i < names.length; i++) {
                if (values[i] != null) {
                    got.put(names[i], values[i]);
                }
            }
            maybe.ifPresent(value -> got.put("maybe", value));
        }

        public void get(@Argument("n") int n) {
            calls++;
            got.put("n", n);
        }

        public void put(@Argument("n") long n) {
            calls++;
            got.put("n", n);
        }

        public void post(@Body Integer n) {
            calls++;
            got.put("body", n == null ? "null" : n);
        }

        public void delete(@Body Double d) {
            calls++;
            got.put("body", d);
        }

        public void options(@Argument("int") OptionalInt anInt, @Argument("long") OptionalLong aLong,
                            @Argument("double") OptionalDouble aDouble) {
            calls++;
            got.put("int", anInt);
            got.put("long", aLong);
            got.put("double", aDouble);
        }

        public void connect(@Body OptionalInt n) {
            calls++;
            got.put("body", n);
        }
    }

    private final Scalars route = new Scalars();

    private ServiceReply call(Method method, String argumentsJson, String body) throws Exception {
        return new OwnedRoute(Scalars.class, route, JSONB).call("/s", method, argumentsJson, body);
    }

    private ServiceReply argument(String name, String json) throws Exception {
        return call(Method.REQUEST, "{\"" + name + "\":" + json + "}", null);
    }

    private void assertRefused(ServiceReply reply, String message) {
        assertEquals(400, reply.statusCode(), reply.statusMessage());
        assertEquals(message, reply.statusMessage());
        assertEquals(0, route.calls, "the handler is not called");
    }

    private static final String INT = "java.lang.Integer: expected a whole number from -2147483648 to 2147483647, got ";

    @ParameterizedTest(name = "{0} = {1} is refused")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "int     | 4294967395           | " + INT + "4294967395",
        "int     | 2147483648           | " + INT + "2147483648",
        "int     | -2147483649          | " + INT + "-2147483649",
        "int     | 100.7                | " + INT + "100.7",
        "int     | [5,6]                | " + INT + "an array",
        "int     | {\"n\":5}            | " + INT + "an object",
        "int     | \"42\"               | " + INT + "the string \"42\"",
        "int     | true                 | " + INT + "true",
        "maybe   | 1.5                  | " + INT + "1.5",
        "long    | 9223372036854775808  | java.lang.Long: expected a whole number from -9223372036854775808 to "
                + "9223372036854775807, got 9223372036854775808",
        "long    | 1.5                  | java.lang.Long: expected a whole number from -9223372036854775808 to "
                + "9223372036854775807, got 1.5",
        "short   | 32768                | java.lang.Short: expected a whole number from -32768 to 32767, got 32768",
        "byte    | 128                  | java.lang.Byte: expected a whole number from -128 to 127, got 128",
        "big     | 1.5                  | java.math.BigInteger: expected a whole number, got 1.5",
        "big     | 1e1000000000         | java.math.BigInteger: expected a whole number, got 1E+1000000000",
        "float   | 1e39                 | java.lang.Float: expected a number from -3.4028235E38 to 3.4028235E38, "
                + "got 1E+39",
        "double  | -1e400               | java.lang.Double: expected a number from -1.7976931348623157E308 to "
                + "1.7976931348623157E308, got -1E+400",
        "double  | \"3.5\"              | java.lang.Double: expected a number from -1.7976931348623157E308 to "
                + "1.7976931348623157E308, got the string \"3.5\"",
        "decimal | [1]                  | java.math.BigDecimal: expected a number, got an array",
        "boolean | 1                    | java.lang.Boolean: expected true or false, got 1",
        "boolean | \"yes\"              | java.lang.Boolean: expected true or false, got the string \"yes\"",
        "boolean | \"true\"             | java.lang.Boolean: expected true or false, got the string \"true\"",
        "boolean | [true]               | java.lang.Boolean: expected true or false, got an array",
        "char    | \"ab\"               | java.lang.Character: expected a string of one character, got the string \"ab\"",
        "char    | \"\"                 | java.lang.Character: expected a string of one character, got the string \"\"",
        "char    | 65                   | java.lang.Character: expected a string of one character, got 65",
        "char    | [\"a\"]              | java.lang.Character: expected a string of one character, got an array",
    })
    void aValueThatDoesNotFitItsTypeIsA400(String name, String json, String expected) throws Exception {
        assertRefused(argument(name, json), "Argument '" + name + "' cannot be read as " + expected);
    }

    static Stream<Arguments> fitting() {
        return Stream.of(
                Arguments.of("int", "42", 42),
                Arguments.of("int", "-7", -7),
                Arguments.of("int", "2147483647", Integer.MAX_VALUE),
                Arguments.of("int", "-2147483648", Integer.MIN_VALUE),
                Arguments.of("int", "1e2", 100), // a whole number however it is written
                Arguments.of("int", "100.0", 100),
                Arguments.of("maybe", "-3", -3),
                Arguments.of("long", "9223372036854775807", Long.MAX_VALUE),
                Arguments.of("long", "-9223372036854775808", Long.MIN_VALUE),
                Arguments.of("short", "-32768", Short.MIN_VALUE),
                Arguments.of("byte", "127", Byte.MAX_VALUE),
                Arguments.of("big", "-123456789012345678901234567890", new BigInteger("-123456789012345678901234567890")),
                Arguments.of("big", "1e3", BigInteger.valueOf(1000)),
                Arguments.of("float", "1.5", 1.5f),
                Arguments.of("float", "-3", -3.0f),
                Arguments.of("double", "-2.5e10", -2.5e10),
                Arguments.of("double", "1e308", 1e308),
                Arguments.of("decimal", "100.70", new BigDecimal("100.70")),
                Arguments.of("decimal", "1e1000", new BigDecimal("1e1000")),
                Arguments.of("boolean", "true", true),
                Arguments.of("boolean", "false", false),
                Arguments.of("char", "\"x\"", 'x'));
    }

    @ParameterizedTest(name = "{0} = {1} is {2}")
    @MethodSource("fitting")
    void aValueThatFitsIsBoundExactly(String name, String json, Object expected) throws Exception {
        ServiceReply reply = argument(name, json);

        assertEquals(200, reply.statusCode(), reply.statusMessage());
        assertEquals(Map.of(name, expected), route.got);
        assertEquals(expected.getClass(), route.got.get(name).getClass());
    }

    @Test
    void aPrimitiveParameterFollowsTheSameRules() throws Exception {
        assertRefused(call(Method.GET, "{\"n\":2147483648}", null),
                "Argument 'n' cannot be read as int: expected a whole number from -2147483648 to 2147483647, got 2147483648");
        assertRefused(call(Method.PUT, "{\"n\":9.5}", null), "Argument 'n' cannot be read as long: expected a whole "
                + "number from -9223372036854775808 to 9223372036854775807, got 9.5");

        assertEquals(200, call(Method.PUT, "{\"n\":9223372036854775807}", null).statusCode());
        assertEquals(Map.of("n", Long.MAX_VALUE), route.got);
        assertEquals(200, call(Method.GET, "{\"n\":-2147483648}", null).statusCode());
        assertEquals(Map.of("n", Integer.MIN_VALUE), route.got);
    }

    @Test
    void aJsonBodyForAScalarParameterFollowsTheSameRules() throws Exception {
        assertRefused(call(Method.POST, "{}", "4294967395"), "The request body cannot be read as " + INT + "4294967395");
        assertRefused(call(Method.POST, "{}", "[5,6]"), "The request body cannot be read as " + INT + "an array");
        assertRefused(call(Method.POST, "{}", "100.7"), "The request body cannot be read as " + INT + "100.7");
        assertRefused(call(Method.DELETE, "{}", "1e400"), "The request body cannot be read as java.lang.Double: "
                + "expected a number from -1.7976931348623157E308 to 1.7976931348623157E308, got 1E+400");
        for (String notOneValue : new String[] {"many", "5 6", "5]", "7,"}) {
            ServiceReply reply = call(Method.POST, "{}", notOneValue);
            assertEquals(400, reply.statusCode(), notOneValue);
            assertTrue(reply.statusMessage().startsWith("The request body cannot be read as java.lang.Integer: "),
                    reply.statusMessage());
        }
        assertEquals(0, route.calls);

        assertEquals(200, call(Method.POST, "{}", " -12 ").statusCode());
        assertEquals(Map.of("body", -12), route.got);
        assertEquals(200, call(Method.POST, "{}", "null").statusCode());
        assertEquals(Map.of("body", "null"), route.got, "JSON null is null");
        assertEquals(200, call(Method.DELETE, "{}", "0.25").statusCode());
        assertEquals(Map.of("body", 0.25), route.got);
    }

    @Test
    void aPrimitiveOptionalIsReadAsItsContentByTheSameRules() throws Exception {
        for (String notAnInt : new String[] {"4294967395", "5.5", "\"7\"", "[5]", "true"}) {
            ServiceReply reply = call(Method.OPTIONS, "{\"int\":" + notAnInt + "}", null);
            assertEquals(400, reply.statusCode(), notAnInt);
            assertTrue(reply.statusMessage().startsWith("Argument 'int' cannot be read as java.util.OptionalInt: "
                    + "expected a whole number from -2147483648 to 2147483647, got "), reply.statusMessage());
        }
        assertRefused(call(Method.OPTIONS, "{\"long\":1.5}", null), "Argument 'long' cannot be read as "
                + "java.util.OptionalLong: expected a whole number from -9223372036854775808 to 9223372036854775807, got 1.5");
        assertRefused(call(Method.OPTIONS, "{\"double\":\"0.5\"}", null), "Argument 'double' cannot be read as "
                + "java.util.OptionalDouble: expected a number from -1.7976931348623157E308 to 1.7976931348623157E308, "
                + "got the string \"0.5\"");
        assertRefused(call(Method.CONNECT, "{}", "5.5"), "The request body cannot be read as java.util.OptionalInt: "
                + "expected a whole number from -2147483648 to 2147483647, got 5.5");

        assertEquals(200, call(Method.OPTIONS, "{\"int\":1e2,\"long\":9223372036854775807,\"double\":0.25}", null)
                .statusCode());
        assertEquals(Map.of("int", OptionalInt.of(100), "long", OptionalLong.of(Long.MAX_VALUE),
                "double", OptionalDouble.of(0.25)), route.got);
        ServiceReply seven = call(Method.CONNECT, "{}", "17");
        assertEquals(200, seven.statusCode(), seven.statusMessage());
        assertEquals(OptionalInt.of(17), route.got.get("body"));
    }

    @Test
    void anAbsentPrimitiveOptionalIsEmptyAsAnOptionalIs() throws Exception {
        assertEquals(200, call(Method.OPTIONS, "{\"long\":null}", null).statusCode());
        assertEquals(Map.of("int", OptionalInt.empty(), "long", OptionalLong.empty(), "double", OptionalDouble.empty()),
                route.got, "absent, or JSON null");
        assertEquals(200, call(Method.CONNECT, "{}", null).statusCode());
        assertEquals(OptionalInt.empty(), route.got.get("body"), "no body");
        assertEquals(200, call(Method.CONNECT, "{}", "null").statusCode());
        assertEquals(OptionalInt.empty(), route.got.get("body"), "JSON null");
    }
}
