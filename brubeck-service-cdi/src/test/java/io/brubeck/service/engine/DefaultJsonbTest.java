package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResponse;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client and a worker without a JSON-B instance of their own bind with the library's strict one, over real
 * sockets: a number nested in an object that does not fit its type makes {@code ServiceRequest.argument(name,
 * type)} and {@code bodyAs} answer 400 naming the argument or the body, the property, the type and the value, as
 * does a whole argument of a scalar type, and makes {@code ServiceResponse.payloadAs} throw
 * {@link IllegalArgumentException}. A worker given a JSON-B instance of its own reads as that instance does.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DefaultJsonbTest {
    private static final String OUT_OF_RANGE = "{\"lines\":[{\"quantity\":2},{\"quantity\":4294967395}]}";
    private static final String INT = "int: expected a whole number from -2147483648 to 2147483647, got 4294967395";

    public record Line(int quantity) {
    }

    public record Order(List<Line> lines) {
    }

    /** Answers with the quantity of the last line of the order in the argument, in the body, or in both. */
    private static final RequestHandler LAST_QUANTITY = request -> {
        ServiceReply reply = ServiceReply.ok();
        if (request.arguments().containsKey("order")) {
            List<Line> lines = request.argument("order", Order.class).orElseThrow().lines();
            reply = reply.with("argument", lines.get(lines.size() - 1).quantity());
        }
        if (request.body().length > 0) {
            List<Line> lines = request.bodyAs(Order.class).lines();
            reply = reply.with("body", lines.get(lines.size() - 1).quantity());
        }
        if (request.arguments().containsKey("count")) {
            reply = reply.with("count", request.argument("count", Integer.class).orElseThrow());
        }
        return reply;
    };

    /** Answers with the order it is sent, as the JSON it came as. */
    private static final RequestHandler ECHO = request -> ServiceReply.ok().with("order",
            request.arguments().getJsonObject("order"));

    private final Fixtures fixtures = new Fixtures();

    @AfterEach
    void closeAll() {
        fixtures.close();
    }

    private ServiceClientEndpoint clientAndWorker() {
        return clientAndWorker(null);
    }

    /** A client and its worker, which has {@code workerJsonb} when not null. */
    private ServiceClientEndpoint clientAndWorker(Jsonb workerJsonb) {
        ServiceClientEndpoint client = fixtures.client("orders");
        WorkerConfig.Builder worker = fixtures.workerConfig(client, routes());
        if (workerJsonb != null) {
            worker.jsonb(workerJsonb);
        }
        fixtures.worker(worker.build());
        return client;
    }

    private static RouteTable<RequestHandler> routes() {
        return RouteTable.<RequestHandler>builder().route("^/orders$", Method.REQUEST, LAST_QUANTITY)
                .route("^/echo$", Method.REQUEST, ECHO).build();
    }

    private static JsonObject json(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    @Test
    void aNestedArgumentThatDoesNotFitIsA400NamingTheArgumentPropertyTypeAndValue() {
        ServiceClientEndpoint client = clientAndWorker();

        ServiceResponse response = client.request("/orders").argument("order", json(OUT_OF_RANGE)).send().response();

        assertEquals(400, response.statusCode(), response.statusMessage());
        assertEquals("Argument 'order' cannot be read as " + Order.class.getName() + ": Unable to deserialize property "
                + "'lines' because of: Unable to deserialize property 'quantity' because of: " + INT,
                response.statusMessage());
    }

    @Test
    void aNestedBodyThatDoesNotFitIsA400() {
        ServiceClientEndpoint client = clientAndWorker();

        ServiceResponse response = client.request("/orders").body("{\"lines\":[{\"quantity\":\"7\"}]}"
                .getBytes(StandardCharsets.UTF_8)).send().response();

        assertEquals(400, response.statusCode(), response.statusMessage());
        assertEquals("The body cannot be read as " + Order.class.getName() + ": Unable to deserialize property 'lines' "
                + "because of: Unable to deserialize property 'quantity' because of: int: expected a whole number "
                + "from -2147483648 to 2147483647, got the string \"7\"", response.statusMessage());
    }

    @Test
    void aWholeArgumentOfAScalarTypeFollowsTheSameRules() {
        ServiceClientEndpoint client = clientAndWorker();

        ServiceResponse response = client.request("/orders").argument("count", 2.5).send().response();

        assertEquals(400, response.statusCode(), response.statusMessage());
        assertEquals("Argument 'count' cannot be read as java.lang.Integer: expected a whole number from -2147483648 "
                + "to 2147483647, got 2.5", response.statusMessage());
    }

    @Test
    void valuesThatFitAreBound() {
        ServiceClientEndpoint client = clientAndWorker();

        ServiceResponse response = client.request("/orders").argument("order", json("{\"lines\":[{\"quantity\":1e2}]}"))
                .argument("count", 3).jsonBody(new Order(List.of(new Line(-5)))).send().response();

        assertEquals(200, response.statusCode(), response.statusMessage());
        assertEquals(json("{\"argument\":100,\"body\":-5,\"count\":3}"), response.payload());
    }

    @Test
    void aPayloadThatDoesNotFitIsRefusedByPayloadAs() {
        ServiceClientEndpoint client = clientAndWorker();

        ServiceResponse response = client.request("/echo").argument("order", json(OUT_OF_RANGE)).send().response();

        assertEquals(200, response.statusCode(), response.statusMessage());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> response.payloadAs(Echoed.class));
        assertEquals("Cannot bind JSON to " + Echoed.class.getName() + ": Unable to deserialize property 'order' "
                + "because of: Unable to deserialize property 'lines' because of: Unable to deserialize property "
                + "'quantity' because of: " + INT, refused.getMessage());
    }

    /** The payload of {@link #ECHO}. */
    public record Echoed(Order order) {
    }

    @Test
    void aWorkersOwnJsonbReadsAsItWasMade() throws Exception {
        Jsonb lenient = fixtures.track(JsonbBuilder.create());
        ServiceClientEndpoint client = clientAndWorker(lenient);

        ServiceResponse response = client.request("/orders").argument("order", json(OUT_OF_RANGE)).send().response();

        assertEquals(200, response.statusCode(), response.statusMessage());
        assertEquals(99, response.payload().getInt("argument"), "JSON-B's own reading of 4294967395 as an int");
    }
}
