package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.spi.JsonProvider;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A body bound with JSON-B must be one JSON value. With a JSON-B implementation that binds from a JSON-P parser
 * (Yasson) it is read once, by one parser, and JSON-B's reader methods are not used; with any other it is checked
 * first and then bound from a reader. Either way text after the value, a body that is not JSON and a value JSON-B
 * cannot bind are told apart.
 */
class JsonDocumentTest {
    private static final Jsonb YASSON = JsonbBuilder.create();
    private static final JsonProvider JSON = JsonProvider.provider();

    public record Point(int x, int y) {
    }

    @AfterAll
    static void close() throws Exception {
        YASSON.close();
    }

    @Test
    void withYassonABodyIsParsedOnceAndBoundFromThatParser() throws Exception {
        List<String> called = new ArrayList<>();
        Jsonb recorded = recording(YASSON, Class.forName("org.eclipse.yasson.YassonJsonb"), called);

        Object point = JsonDocument.bind(recorded, JSON, bytes("{\"x\":1,\"y\":2} \n"), Point.class);

        assertEquals(new Point(1, 2), point);
        assertEquals(List.of("fromJson(JsonParser,Type)"), called);
    }

    @Test
    void theLibrarysOwnInstanceBindsObjectsFromAParserAndKeepsReadingScalarsStrictly() throws Exception {
        try (Jsonb strict = StrictJsonb.create()) {
            assertEquals(new Point(3, 4), JsonDocument.bind(strict, JSON, bytes("{\"x\":3,\"y\":4}"), Point.class));
            assertTrue(ParserBinding.supports(StrictJsonb.delegateFor(strict, Point.class)));

            JsonDocument.Unbindable wide = assertThrows(JsonDocument.Unbindable.class,
                    () -> JsonDocument.bind(strict, JSON, bytes("4294967395"), Integer.class));
            assertEquals("expected a whole number from -2147483648 to 2147483647, got 4294967395",
                    wide.getMessage());
            JsonDocument.Unbindable fraction = assertThrows(JsonDocument.Unbindable.class,
                    () -> JsonDocument.bind(strict, JSON, bytes("{\"x\":1.5,\"y\":0}"), Point.class));
            assertTrue(fraction.getMessage().contains("int: expected a whole number"), fraction.getMessage());
        }
    }

    @Test
    void withAnotherImplementationTheBodyIsCheckedThenBoundFromAReader() {
        List<String> called = new ArrayList<>();
        Jsonb other = recording(YASSON, Jsonb.class, called);

        assertEquals(new Point(5, 6), JsonDocument.bind(other, JSON, bytes("{\"x\":5,\"y\":6}"), Point.class));
        assertEquals(List.of("fromJson(Reader,Type)"), called);
    }

    @Test
    void textAfterTheValueIsRefusedWhicheverWayTheBodyIsBound() {
        Jsonb other = recording(YASSON, Jsonb.class, new ArrayList<>());
        for (Jsonb jsonb : List.of(YASSON, other)) {
            IllegalArgumentException garbage = assertThrows(IllegalArgumentException.class,
                    () -> JsonDocument.bind(jsonb, JSON, bytes("{\"x\":1,\"y\":2} garbage"), Point.class));
            assertTrue(garbage.getMessage().startsWith("expected one JSON value, got more after it: "),
                    garbage.getMessage());
            IllegalArgumentException second = assertThrows(IllegalArgumentException.class,
                    () -> JsonDocument.bind(jsonb, JSON, bytes("{\"x\":1,\"y\":2}{\"x\":3,\"y\":4}"), Point.class));
            assertTrue(second.getMessage().startsWith("expected one JSON value, got more after it: "),
                    second.getMessage());
        }
    }

    @Test
    void aBodyThatIsNotJsonIsToldApartFromAValueJsonbCannotBind() {
        IllegalArgumentException broken = assertThrows(IllegalArgumentException.class,
                () -> JsonDocument.bind(YASSON, JSON, bytes("{\"x\":1,"), Point.class));
        assertTrue(broken.getMessage().startsWith("expected one JSON value: "), broken.getMessage());

        JsonDocument.Unbindable string = assertThrows(JsonDocument.Unbindable.class,
                () -> JsonDocument.bind(YASSON, JSON, bytes("\"hello\""), Point.class));
        assertEquals(JsonValue.ValueType.STRING, string.top().kind());
        assertEquals("\"hello\"", string.top().value().toString());

        JsonDocument.Unbindable object = assertThrows(JsonDocument.Unbindable.class,
                () -> JsonDocument.bind(YASSON, JSON, bytes("{\"x\":\"far\"}"), Point.class));
        assertEquals(JsonValue.ValueType.OBJECT, object.top().kind());
        assertNull(object.top().value(), "an object is only checked, not kept");
    }

    /** JSON {@code null} is what JSON-B makes of it: {@code null} for a record, empty for the optionals. */
    @Test
    void jsonNullIsBoundByJsonb() throws Exception {
        try (Jsonb strict = StrictJsonb.create()) {
            for (Jsonb jsonb : List.of(strict, YASSON)) {
                assertNull(JsonDocument.bind(jsonb, JSON, bytes(" null\r\n"), Point.class));
                assertEquals(Optional.empty(), JsonDocument.bind(jsonb, JSON, bytes("null"), Optional.class));
            }
            assertEquals(OptionalInt.empty(), JsonDocument.bind(strict, JSON, bytes("null"), OptionalInt.class));
            assertEquals(OptionalLong.empty(), JsonDocument.bind(strict, JSON, bytes("null"), OptionalLong.class));
            assertEquals(OptionalDouble.empty(), JsonDocument.bind(strict, JSON, bytes("null"), OptionalDouble.class));
        }
        assertTrue(JsonDocument.isNull(bytes(" null\n")));
        assertFalse(JsonDocument.isNull(bytes("nul")));
        assertFalse(JsonDocument.isNull(bytes("[null]")));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON-B instance of the given interface that records the fromJson methods called and passes them on. */
    private static Jsonb recording(Jsonb target, Class<?> type, List<String> called) {
        return (Jsonb) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals("fromJson")) {
                called.add(signature(method));
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    private static String signature(Method method) {
        List<String> parameters = new ArrayList<>();
        for (Class<?> parameter : method.getParameterTypes()) {
            parameters.add(parameter.getSimpleName());
        }
        return method.getName() + "(" + String.join(",", parameters) + ")";
    }
}
