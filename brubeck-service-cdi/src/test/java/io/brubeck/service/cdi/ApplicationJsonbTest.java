package io.brubeck.service.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.api.ServiceResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.config.PropertyNamingStrategy;
import jakarta.json.bind.config.PropertyOrderStrategy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An application's {@code @ServiceJsonb Jsonb} bean writes and binds its service calls on both sides: the caller's
 * arguments and bound payloads, the route's bound parameters and returned object, the response route's bound
 * payload; in one application that is both caller and worker, over a real socket. Its other {@code Jsonb} beans
 * are not taken. Several {@code @ServiceJsonb} beans fail the start, saying why.
 */
@Timeout(30)
class ApplicationJsonbTest {
    private static final String ENDPOINT = "inproc://application-jsonb";
    private static final String DASHED_ORDER = "{\"item-count\":42,\"shop-name\":\"north\"}";

    private SeContainer container;

    @BeforeEach
    void configure() {
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

    /** An order, whose properties the application's JSON-B names {@code shop-name} and {@code item-count}. */
    public static class Order {
        public String shopName;
        public int itemCount;

        public Order() {
        }

        Order(String shopName, int itemCount) {
            this.shopName = shopName;
            this.itemCount = itemCount;
        }
    }

    /** The application's JSON-B for service calls. */
    public static class DashedJsonb {
        @Produces
        @ServiceJsonb
        Jsonb jsonb() {
            return dashed();
        }

        void close(@Disposes @ServiceJsonb Jsonb jsonb) throws Exception {
            jsonb.close();
        }
    }

    /** A second @ServiceJsonb bean beside {@link DashedJsonb}. */
    public static class AnotherJsonb {
        @Produces
        @ServiceJsonb
        @ApplicationScoped
        Jsonb jsonb() {
            return JsonbBuilder.create();
        }
    }

    /** The application's JSON-B for something else (its REST layer, say): not for service calls. */
    public static class RestJsonb {
        @Produces
        @ApplicationScoped
        Jsonb jsonb() {
            return dashed();
        }
    }

    static Jsonb dashed() {
        return JsonbBuilder.create(new JsonbConfig()
                .withPropertyNamingStrategy(PropertyNamingStrategy.LOWER_CASE_WITH_DASHES)
                .withPropertyOrderStrategy(PropertyOrderStrategy.LEXICOGRAPHICAL));
    }

    @ServiceRoute("^/orders$")
    public static class OrderDesk {
        public Order request(@Argument("order") Order order) {
            return new Order(order.shopName, order.itemCount + 1);
        }

        public String response(@Payload Order confirmed) {
            return confirmed.shopName + " confirmed " + confirmed.itemCount;
        }
    }

    @ApplicationScoped
    public static class Caller {
        @Inject
        @Service("orders")
        ServiceClient orders;

        ServiceResult order(Order order) {
            return orders.request("/orders").argument("order", order).timeout(Duration.ofSeconds(10)).send();
        }
    }

    @Test
    void theApplicationsServiceJsonbWritesAndBindsCallsOnBothSides() {
        container = application(DashedJsonb.class);

        ServiceResult result = container.select(Caller.class).get().order(new Order("north", 41));

        assertEquals(200, result.response().statusCode(), result.response().statusMessage());
        assertEquals(DASHED_ORDER, result.response().payload().toString(),
                "the route bound the argument and wrote its result with the application's JSON-B");
        assertEquals("north confirmed 42", result.handlerResponse(), "the response route bound the payload");
        assertEquals(42, result.response().payloadAs(Order.class).itemCount, "the caller bound the payload");
    }

    @Test
    void aJsonbBeanWithoutTheQualifierIsNotTaken() {
        container = application(RestJsonb.class);

        ServiceResult result = container.select(Caller.class).get().order(new Order("north", 41));

        assertEquals("{\"itemCount\":42,\"shopName\":\"north\"}", result.response().payload().toString());
    }

    @Test
    void severalServiceJsonbBeansFailTheStartNamingThem() {
        RuntimeException error = assertThrows(RuntimeException.class,
                () -> application(DashedJsonb.class, AnotherJsonb.class));

        Throwable cause = error;
        while (!(cause instanceof IllegalStateException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertTrue(cause.getMessage().contains("several jakarta.json.bind.Jsonb beans qualified @ServiceJsonb")
                && cause.getMessage().contains(DashedJsonb.class.getName())
                && cause.getMessage().contains(AnotherJsonb.class.getName()), String.valueOf(cause.getMessage()));
    }

    private static SeContainer application(Class<?>... jsonbProducers) {
        return SeContainerInitializer.newInstance().disableDiscovery().addExtensions(new BrubeckServiceExtension())
                .addBeanClasses(OrderDesk.class, Caller.class).addBeanClasses(jsonbProducers).initialize();
    }
}
