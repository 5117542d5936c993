package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ResponseHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.api.ServiceResult;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Handlers of the plain-Java engine read the groups of the route pattern that matched, by name or number: request
 * handlers on the worker and response handlers on the caller, over real sockets.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PathGroupTest {
    private static final String ORDERS = "^/shops/(?<shop>\\w+)/orders/(\\d+)(?:/(?<page>\\d+))?$";

    /** Answers with the groups it read, by name and by number. */
    private static final RequestHandler ORDER_GROUPS = request -> ServiceReply.ok()
            .with("shop", request.pathGroup("shop").orElseThrow())
            .with("shopByNumber", request.pathGroup(1).orElseThrow())
            .with("order", request.pathGroup(2).orElseThrow())
            .with("page", request.pathGroup("page").orElse("none"))
            .with("pageByNumber", request.pathGroup(3).orElse("none"));

    private final Fixtures fixtures = new Fixtures();

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    @Test
    void aRequestHandlerReadsTheGroupsOfItsRoutePatternByNameOrNumber() {
        ServiceClientEndpoint client = fixtures.client("shops");
        fixtures.worker(client, Fixtures.routes(ORDERS, ORDER_GROUPS));

        ServiceResponse paged = client.request("/shops/north/orders/42/3").send().response();
        ServiceResponse unpaged = client.request("/shops/south/orders/7").send().response();

        assertEquals(List.of("north", "north", "42", "3", "3"), groups(paged));
        assertEquals(List.of("south", "south", "7", "none", "none"), groups(unpaged));
    }

    @Test
    void aGroupThePatternLacksFailsTheRequestNamingTheGroup() {
        ServiceClientEndpoint client = fixtures.client("shops");
        fixtures.worker(client, RouteTable.<RequestHandler>builder()
                .route("^/byname/(?<shop>\\w+)$", Method.REQUEST, request -> ServiceReply.ok(request.pathGroup("store").orElse("?")))
                .route("^/bynumber/(?<shop>\\w+)$", Method.REQUEST, request -> ServiceReply.ok(request.pathGroup(2).orElse("?")))
                .build());

        ServiceResponse byName = client.request("/byname/north").send().response();
        ServiceResponse byNumber = client.request("/bynumber/north").send().response();

        assertEquals(500, byName.statusCode());
        assertTrue(byName.statusMessage().contains("has no group named store"), byName.statusMessage());
        assertEquals(500, byNumber.statusCode());
        assertTrue(byNumber.statusMessage().contains("has no group 2 (it has 1"), byNumber.statusMessage());
    }

    @Test
    void aResponseHandlerReadsTheGroupsOfItsOwnPatternWaitingOrNot() throws Exception {
        ResponseHandler shopOf = response -> response.pathGroup("shop").orElseThrow() + " " + response.pathGroup(1).orElseThrow()
                + " " + response.pathGroup("page").orElse("none");
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("shops")
                .responseRoutes(RouteTable.<ResponseHandler>builder()
                        .route("^/shops/(?<shop>\\w+)/(?:orders/\\d+/(?<page>\\d+))?", Method.RESPONSE, shopOf).build())
                .build());
        fixtures.worker(client, Fixtures.routes(ORDERS, ORDER_GROUPS));

        ServiceResult waited = client.request("/shops/north/orders/42/3").send();
        ServiceResult async = client.request("/shops/south/orders/7").sendAsync().toCompletableFuture().get(20, TimeUnit.SECONDS);

        assertEquals("north north 3", waited.handlerResponse());
        assertEquals("south south none", async.handlerResponse());
        assertEquals(Optional.of("north"), waited.response().pathGroup("shop"), "the caller reads them too");
    }

    @Test
    void aResponseNoRouteHandledHasNoGroups() {
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("shops")
                .responseRoutes(RouteTable.<ResponseHandler>builder()
                        .route("^/shops/(?<shop>\\w+)/", Method.RESPONSE, response -> "routed").build())
                .build());
        fixtures.worker(client, Fixtures.routes(ORDERS, request -> ServiceReply.ok()));

        ServiceResult unrouted = client.request("/shops/north/orders/42").handleResponse(false).send();

        assertEquals(200, unrouted.response().statusCode());
        assertEquals(Optional.empty(), unrouted.response().pathGroup("shop"));
        assertEquals(Optional.empty(), unrouted.response().pathGroup(1));
    }

    private static List<String> groups(ServiceResponse response) {
        assertEquals(200, response.statusCode(), response.statusMessage());
        return List.of("shop", "shopByNumber", "order", "page", "pageByNumber").stream()
                .map(key -> response.payload().getString(key)).toList();
    }
}
