package io.brubeck.service.cdi.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.cdi.Argument;
import io.brubeck.service.cdi.Body;
import io.brubeck.service.cdi.ServiceRoute;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.adapter.JsonbAdapter;
import jakarta.json.bind.annotation.JsonbTypeAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Handler parameters read as JSON values other than numbers, booleans and {@code char}s: a body is one JSON value
 * and nothing more, and a value of the wrong kind is a 400 saying what was expected and what came.
 */
@Timeout(10)
class JsonBindingTest {
    private static final Jsonb JSONB = JsonbBuilder.create();

    @AfterAll
    static void closeJsonb() throws Exception {
        JSONB.close();
    }

    public record Item(String name, int qty) {
    }

    @ServiceRoute("^/bodies$")
    public static class Bodies {
        final List<Object> got = new ArrayList<>();

        public void post(@Body Item item) {
            got.add(item);
        }

        public void put(@Body Integer n) {
            got.add(n);
        }

        public void delete(@Body List<Integer> numbers) {
            got.add(numbers);
        }
    }

    /** Money in JSON is a string with two decimals, read by an adapter of the application's. */
    public static class MoneyAdapter implements JsonbAdapter<Money, String> {
        @Override
        public String adaptToJson(Money money) {
            return money.amount;
        }

        @Override
        public Money adaptFromJson(String text) {
            if (!text.matches("\\d+\\.\\d\\d")) {
                throw new IllegalArgumentException("money needs two decimals, was " + text);
            }
            return new Money(text);
        }
    }

    @JsonbTypeAdapter(MoneyAdapter.class)
    public record Money(String amount) {
    }

    @ServiceRoute("^/money$")
    public static class Payments {
        public String post(@Body Money money) {
            return money.amount();
        }
    }

    @ServiceRoute("^/values$")
    public static class Values {
        final List<Object> got = new ArrayList<>();

        public void request(@Argument("object") JsonObject object, @Argument("array") JsonArray array,
                            @Argument("number") JsonNumber number, @Argument("string") Optional<JsonString> string,
                            @Argument("structure") JsonStructure structure) {
            got.add(object);
            got.add(array);
            got.add(number);
            got.add(string);
            got.add(structure);
        }

        public void post(@Body JsonObject object) {
            got.add(object);
        }
    }

    public enum Color { RED, GREEN, BLUE }

    @ServiceRoute("^/shapes$")
    public static class Shapes {
        final List<Object> got = new ArrayList<>();

        public void request(@Argument("list") List<Integer> list, @Argument("item") Item item,
                            @Argument("color") Optional<Color> color, @Argument("number") Number number,
                            @Argument("array") int[] array) {
            got.add(list);
        }

        public void get(@Argument("text") CharSequence text, @Argument("maybe") Optional<CharSequence> maybe) {
            got.add(String.valueOf(text));
            got.add(maybe.map(String::valueOf));
        }

        public void post(@Body CharSequence text) {
            got.add(String.valueOf(text));
        }
    }

    private final Bodies bodies = new Bodies();
    private final Shapes shapes = new Shapes();
    private final Values values = new Values();

    private ServiceReply call(Class<?> routeClass, Object route, String path, Method method, String argumentsJson,
                              String body) throws Exception {
        return new OwnedRoute(routeClass, route, JSONB).call(path, method, argumentsJson, body);
    }

    private ServiceReply body(Method method, String body) throws Exception {
        return call(Bodies.class, bodies, "/bodies", method, "{}", body);
    }

    private static void assertRefused(ServiceReply reply, String message) {
        assertEquals(400, reply.statusCode(), reply.statusMessage());
        assertEquals(message, reply.statusMessage());
    }

    @Test
    void aBodyWithTextAfterItsValueIsRefusedWhateverItsType() throws Exception {
        String item = "The request body cannot be read as " + Item.class.getName() + ": expected one JSON value, got "
                + "more after it: ";
        for (String twoValues : new String[] {"{\"name\":\"a\",\"qty\":1} garbage", "{\"name\":\"a\",\"qty\":1}{\"name\":\"b\"}",
                "{\"name\":\"a\",\"qty\":1}]"}) {
            ServiceReply reply = body(Method.POST, twoValues);
            assertEquals(400, reply.statusCode(), twoValues);
            assertEquals(true, reply.statusMessage().startsWith(item), reply.statusMessage());
        }
        ServiceReply list = body(Method.DELETE, "[1,2] [3]");
        assertEquals(400, list.statusCode(), list.statusMessage());
        assertEquals(true, list.statusMessage().startsWith("The request body cannot be read as java.util.List<java.lang"
                + ".Integer>: expected one JSON value, got more after it: "), list.statusMessage());
        assertEquals(List.of(), bodies.got, "the handler is not called");

        assertEquals(200, body(Method.POST, " {\"name\":\"a\",\"qty\":1}\n ").statusCode(), "whitespace around is fine");
        assertEquals(200, body(Method.DELETE, "[1,2]\t").statusCode());
        assertEquals(List.of(new Item("a", 1), List.of(1, 2)), bodies.got);
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedWithTheParsersWords() throws Exception {
        ServiceReply reply = body(Method.POST, "hello");
        assertEquals(400, reply.statusCode(), reply.statusMessage());
        assertEquals(true, reply.statusMessage().startsWith("The request body cannot be read as " + Item.class.getName()
                + ": expected one JSON value: "), reply.statusMessage());
    }

    @Test
    void aBodyOfOnlyWhitespaceSaysSo() throws Exception {
        assertRefused(body(Method.PUT, " "), "The request body cannot be read as java.lang.Integer: expected a JSON value, "
                + "got only whitespace");
        assertRefused(body(Method.POST, "\n"), "The request body cannot be read as " + Item.class.getName()
                + ": expected a JSON value, got only whitespace");
    }

    @Test
    void aBodyIsReadAsUtf8WhateverItsLength() throws Exception {
        assertEquals(200, body(Method.PUT, "7").statusCode(), "one byte is too short to guess an encoding from");
        assertEquals(200, body(Method.POST, "{\"name\":\"\u00e9t\u00e9\",\"qty\":2}").statusCode());
        assertEquals(List.of(7, new Item("\u00e9t\u00e9", 2)), bodies.got);
    }

    private ServiceReply value(String name, String json) throws Exception {
        return call(Values.class, values, "/values", Method.REQUEST, "{\"" + name + "\":" + json + "}", null);
    }

    @Test
    void aJsonValueParameterGivenAnotherKindOfValueIsA400NamingTheArgument() throws Exception {
        assertRefused(value("object", "\"str\""), "Argument 'object' cannot be read as jakarta.json.JsonObject: "
                + "expected a JSON object, got the string \"str\"");
        assertRefused(value("array", "{\"k\":1}"), "Argument 'array' cannot be read as jakarta.json.JsonArray: "
                + "expected a JSON array, got an object");
        assertRefused(value("number", "\"12\""), "Argument 'number' cannot be read as jakarta.json.JsonNumber: "
                + "expected a JSON number, got the string \"12\"");
        assertRefused(value("string", "5"), "Argument 'string' cannot be read as jakarta.json.JsonString: "
                + "expected a JSON string, got 5");
        assertRefused(value("structure", "true"), "Argument 'structure' cannot be read as jakarta.json.JsonStructure: "
                + "expected a JSON object or array, got true");
        assertRefused(call(Values.class, values, "/values", Method.POST, "{}", "[1]"), "The request body cannot be read "
                + "as jakarta.json.JsonObject: expected a JSON object, got an array");
        assertEquals(List.of(), values.got, "the handler is not called");
    }

    @Test
    void aJsonValueParameterGivenItsKindOfValueGetsIt() throws Exception {
        assertEquals(200, call(Values.class, values, "/values", Method.REQUEST, "{\"object\":{\"k\":1},\"array\":[1],"
                + "\"number\":1.5,\"string\":\"s\",\"structure\":[]}", null).statusCode());
        assertEquals(List.of(Json.createObjectBuilder().add("k", 1).build(), Json.createArrayBuilder().add(1).build(),
                Json.createValue(1.5), Optional.of(Json.createValue("s")), Json.createArrayBuilder().build()), values.got);
        values.got.clear();
        assertEquals(200, call(Values.class, values, "/values", Method.POST, "{}", "{\"k\":[true]}").statusCode());
        assertEquals(List.of(Json.createObjectBuilder().add("k", Json.createArrayBuilder().add(true)).build()), values.got);
    }

    private ServiceReply shape(String name, String json) throws Exception {
        return call(Shapes.class, shapes, "/shapes", Method.REQUEST, "{\"" + name + "\":" + json + "}", null);
    }

    @Test
    void aValueOfTheWrongKindIsRefusedSayingWhatWasExpectedAndWhatCame() throws Exception {
        assertRefused(shape("list", "5"), "Argument 'list' cannot be read as java.util.List<java.lang.Integer>: "
                + "expected a JSON array, got 5");
        assertRefused(shape("array", "{\"a\":1}"), "Argument 'array' cannot be read as int[]: expected a JSON array, "
                + "got an object");
        assertRefused(shape("item", "\"hello\""), "Argument 'item' cannot be read as " + Item.class.getName()
                + ": expected a JSON object, got the string \"hello\"");
        assertRefused(shape("item", "[1]"), "Argument 'item' cannot be read as " + Item.class.getName()
                + ": expected a JSON object, got an array");
        assertRefused(shape("number", "\"x\""), "Argument 'number' cannot be read as java.lang.Number: "
                + "expected a JSON number, got the string \"x\"");
        assertRefused(body(Method.POST, "\"hello\""), "The request body cannot be read as " + Item.class.getName()
                + ": expected a JSON object, got the string \"hello\"");
        assertRefused(body(Method.POST, "[1]"), "The request body cannot be read as " + Item.class.getName()
                + ": expected a JSON object, got an array");
        assertRefused(body(Method.DELETE, "{\"a\":1}"), "The request body cannot be read as java.util.List<java.lang"
                + ".Integer>: expected a JSON array, got an object");
        assertEquals(List.of(), shapes.got, "the handler is not called");
        assertEquals(List.of(), bodies.got);
    }

    /**
     * A type with an adapter of its own is read from whatever its adapter takes: a refusal gives JSON-B's words,
     * which name the adapter, rather than claim that the type takes a JSON object.
     */
    @Test
    void aTypeWithAnAdapterOfItsOwnKeepsTheAdaptersMessage() throws Exception {
        Payments payments = new Payments();
        ServiceReply good = call(Payments.class, payments, "/money", Method.POST, "{}", "\"12.50\"");
        ServiceReply bad = call(Payments.class, payments, "/money", Method.POST, "{}", "\"12,5\"");

        assertEquals(200, good.statusCode(), good.statusMessage());
        assertEquals(400, bad.statusCode(), bad.statusMessage());
        assertTrue(bad.statusMessage().contains(MoneyAdapter.class.getName()), bad.statusMessage());
        assertFalse(bad.statusMessage().contains("expected a JSON object"), bad.statusMessage());
    }

    @Test
    void anEnumGivenNoNameOfItsConstantsNamesThem() throws Exception {
        String color = "Argument 'color' cannot be read as " + Color.class.getName() + ": expected one of RED, GREEN, BLUE, got ";
        assertRefused(shape("color", "\"PURPLE\""), color + "the string \"PURPLE\"");
        assertRefused(shape("color", "\"red\""), color + "the string \"red\"");
        assertRefused(shape("color", "3"), color + "3");
        assertEquals(200, shape("color", "\"GREEN\"").statusCode());
    }

    @Test
    void aCharSequenceParameterIsBoundAsAStringIs() throws Exception {
        assertEquals(200, call(Shapes.class, shapes, "/shapes", Method.GET, "{\"text\":\"abc\",\"maybe\":5}", null)
                .statusCode());
        assertEquals(200, call(Shapes.class, shapes, "/shapes", Method.POST, "{}", "hé").statusCode());
        assertEquals(List.of("abc", Optional.of("5"), "hé"), shapes.got);
    }
}
