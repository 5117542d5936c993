package io.brubeck.service.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.ServiceCall;
import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.api.ServiceResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * In an application without a {@code @ServiceJsonb} bean, in one application that is both caller and worker over a
 * real socket, a number, boolean or char nested in a route's {@code @Body} or {@code @Argument} object that does
 * not fit its type is answered 400 naming the body or argument, the property, the type and the value, and the
 * handler is not called; {@code payloadAs} on the calling side refuses it with an
 * {@link IllegalArgumentException}. An application's own {@code @ServiceJsonb} instance reads as the application
 * made it, here with JSON-B's lenient defaults.
 */
@Timeout(30)
class StrictJsonbInContainerTest {
    private static final String ENDPOINT = "inproc://strict-jsonb";
    private static final String OUT_OF_RANGE = "{\"lines\":[{\"quantity\":2},{\"quantity\":4294967395}]}";
    private static final String LINES_QUANTITY = "Unable to deserialize property 'lines' because of: Unable to "
            + "deserialize property 'quantity' because of: int: expected a whole number from -2147483648 to "
            + "2147483647, got ";

    /** Calls of the handlers that bind an {@link Order}. */
    static final AtomicInteger BOUND = new AtomicInteger();

    private SeContainer container;

    @BeforeEach
    void configure() {
        BOUND.set(0);
        FakeBootstrap.installConfig(Map.of("brubeck.service.orders.endpoint", ENDPOINT,
                "brubeck.service.orders.passphrase", "secret", "brubeck.worker.connect", ENDPOINT,
                "brubeck.worker.service", "orders", "brubeck.worker.passphrase", "secret"));
    }

    @AfterEach
    void stop() {
        if (container != null) {
            container.close();
        }
        FakeBootstrap.uninstallConfig();
    }

    public record Line(int quantity) {
    }

    public record Order(List<Line> lines) {
    }

    @ServiceRoute("^/orders$")
    public static class OrderDesk {
        public Order post(@Body Order order) {
            BOUND.incrementAndGet();
            return order;
        }

        public Order put(@Argument("order") Order order) {
            BOUND.incrementAndGet();
            return order;
        }

        /** Answers with the order as it came, unbound. */
        public JsonObject get(@Argument("order") JsonObject order) {
            return order;
        }
    }

    @ApplicationScoped
    public static class Caller {
        @Inject
        @Service("orders")
        ServiceClient orders;

        ServiceResponse send(Method method, String order) {
            ServiceCall call = orders.request("/orders").method(method).timeout(Duration.ofSeconds(10));
            if (method == Method.POST) {
                call = call.body(order.getBytes(StandardCharsets.UTF_8));
            } else {
                call = call.argument("order", json(order));
            }
            return call.send().response();
        }
    }

    /** JSON-B's own defaults as the application's instance for service calls. */
    public static class LenientJsonb {
        @Produces
        @ServiceJsonb
        Jsonb jsonb() {
            return JsonbBuilder.create();
        }

        void close(@Disposes @ServiceJsonb Jsonb jsonb) throws Exception {
            jsonb.close();
        }
    }

    @Test
    void aBodyWithANestedValueThatDoesNotFitIsA400AndTheHandlerIsNotCalled() {
        container = application();

        ServiceResponse response = caller().send(Method.POST, OUT_OF_RANGE);

        assertEquals(400, response.statusCode(), response.statusMessage());
        assertEquals("The request body cannot be read as " + Order.class.getTypeName() + ": " + LINES_QUANTITY
                + "4294967395", response.statusMessage());
        assertEquals(0, BOUND.get());
    }

    @Test
    void anArgumentWithANestedValueThatDoesNotFitIsA400() {
        container = application();

        ServiceResponse response = caller().send(Method.PUT, "{\"lines\":[{\"quantity\":100.7}]}");

        assertEquals(400, response.statusCode(), response.statusMessage());
        assertEquals("Argument 'order' cannot be read as " + Order.class.getTypeName() + ": " + LINES_QUANTITY + "100.7",
                response.statusMessage());
        assertEquals(0, BOUND.get());
    }

    @Test
    void valuesThatFitAreBound() {
        container = application();

        ServiceResponse response = caller().send(Method.POST, "{\"lines\":[{\"quantity\":1e2}]}");

        assertEquals(200, response.statusCode(), response.statusMessage());
        assertEquals(json("{\"lines\":[{\"quantity\":100}]}"), response.payload());
    }

    @Test
    void payloadAsRefusesAPayloadWithANestedValueThatDoesNotFit() {
        container = application();

        ServiceResponse response = caller().send(Method.GET, OUT_OF_RANGE);

        assertEquals(200, response.statusCode(), response.statusMessage());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> response.payloadAs(Order.class));
        assertEquals("Cannot bind JSON to " + Order.class.getName() + ": " + LINES_QUANTITY + "4294967395",
                refused.getMessage());
    }

    @Test
    void theApplicationsServiceJsonbReadsAsTheApplicationMadeIt() {
        container = application(LenientJsonb.class);

        ServiceResponse bound = caller().send(Method.POST, OUT_OF_RANGE);
        ServiceResponse echoed = caller().send(Method.GET, OUT_OF_RANGE);

        assertEquals(json("{\"lines\":[{\"quantity\":2},{\"quantity\":99}]}"), bound.payload(),
                "JSON-B's own reading of 4294967395 as an int");
        assertEquals(99, echoed.payloadAs(Order.class).lines().get(1).quantity());
    }

    private Caller caller() {
        return container.select(Caller.class).get();
    }

    private static JsonObject json(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    private static SeContainer application(Class<?>... jsonbProducers) {
        return SeContainerInitializer.newInstance().disableDiscovery().addExtensions(new BrubeckServiceExtension())
                .addBeanClasses(OrderDesk.class, Caller.class).addBeanClasses(jsonbProducers).initialize();
    }
}
