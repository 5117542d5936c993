package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResponse;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.config.PropertyNamingStrategy;
import jakarta.json.bind.config.PropertyOrderStrategy;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client and a worker given a JSON-B instance of their own write and bind with it: the call's arguments and
 * JSON body, the handler's bound argument, body and reply payload, and the caller's bound payload; over real
 * sockets.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConfiguredJsonbTest {
    private static final String DASHED_ORDER = "{\"item-count\":42,\"shop-name\":\"north\"}";

    /** An order, whose properties the configured JSON-B names {@code shop-name} and {@code item-count}. */
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

    /** The payload the worker answers with, as the caller binds it. */
    public static class Confirmation {
        public Order order;
    }

    /** Answers with the order as sent, as bound from the argument and as bound from the body. */
    private static final RequestHandler ECHO_ORDER = request -> {
        Order argument = request.argument("order", Order.class).orElseThrow();
        Order body = request.bodyAs(Order.class);
        return ServiceReply.ok()
                .with("sentAs", request.argument("order", "absent"))
                .with("bodySentAs", new String(request.body(), StandardCharsets.UTF_8))
                .with("boundArgument", argument.shopName + "/" + argument.itemCount)
                .with("boundBody", body.shopName + "/" + body.itemCount)
                .with("order", argument);
    };

    private final Fixtures fixtures = new Fixtures();
    private final Jsonb dashed = JsonbBuilder.create(new JsonbConfig()
            .withPropertyNamingStrategy(PropertyNamingStrategy.LOWER_CASE_WITH_DASHES)
            .withPropertyOrderStrategy(PropertyOrderStrategy.LEXICOGRAPHICAL));

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
        dashed.close();
    }

    @Test
    void bothEndsWriteAndBindWithTheirConfiguredJsonb() {
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("orders").jsonb(dashed).build());
        fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/orders$", ECHO_ORDER)).jsonb(dashed).build());

        ServiceResponse response = client.request("/orders").argument("order", new Order("north", 42))
                .jsonBody(new Order("north", 42)).send().response();

        assertEquals(200, response.statusCode(), response.statusMessage());
        assertEquals(DASHED_ORDER, response.payload().getString("sentAs"), "the client wrote the argument");
        assertEquals(DASHED_ORDER, response.payload().getString("bodySentAs"), "the client wrote the body");
        assertEquals("north/42", response.payload().getString("boundArgument"), "the worker bound the argument");
        assertEquals("north/42", response.payload().getString("boundBody"), "the worker bound the body");
        assertEquals(DASHED_ORDER, response.payload().getJsonObject("order").toString(),
                "the worker wrote the payload entry");
        Confirmation bound = response.payloadAs(Confirmation.class);
        assertEquals("north", bound.order.shopName, "the client bound the payload");
        assertEquals(42, bound.order.itemCount);
    }

    @Test
    void aJsonbConfiguredForAnotherEncodingStillReadsTheUtf8OfTheWire() throws Exception {
        Jsonb latin1 = fixtures.track(JsonbBuilder.create(new JsonbConfig().withEncoding("ISO-8859-1")));
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("orders").jsonb(latin1).build());
        fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/orders$", request -> ServiceReply.ok()
                .with("order", request.bodyAs(Order.class)))).jsonb(latin1).build());

        ServiceResponse response = client.request("/orders").jsonBody(new Order("Zoë", 1)).send().response();

        assertEquals("Zoë", response.payload().getJsonObject("order").getString("shopName"), "the worker read it");
        assertEquals("Zoë", response.payloadAs(Confirmation.class).order.shopName, "the client read it");
    }
}
