package io.brubeck.service.cdi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.Failures;
import io.brubeck.it.support.FreePort;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.ServiceCall;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceRequest;
import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.engine.ClientConfig;
import io.brubeck.service.engine.ServiceClientEndpoint;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.SessionScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Specializes;
import jakarta.enterprise.inject.Typed;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.json.JsonValue;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Routes served by a worker in a real container (Weld SE) and called through real sockets by a client of the
 * engine: a generic route class; the handlers a route class inherits, from a generic superclass or as an
 * interface's default method;
 * the bean that serves a route class when a subclass replaces its bean (an enabled alternative, or one that
 * specializes it); a handler that returns bytes; and the route problems that fail the container's deployment.
 */
@Timeout(30)
class RoutesInContainerTest {
    private static final String SERVICE = "routes";
    private static final String SECRET = "secret";
    private static final Duration ANSWER = Duration.ofSeconds(10);

    private ServiceClientEndpoint client;
    private SeContainer container;

    @AfterEach
    void stop() {
        if (container != null) {
            container.close();
        }
        if (client != null) {
            client.close();
        }
        FakeBootstrap.uninstallConfig();
    }

    /** Starts an application of these classes whose worker connects to a client of the test. */
    private void serve(Class<?>... classes) {
        client = ServiceClientEndpoint.start(ClientConfig.builder(SERVICE).endpoint("tcp://127.0.0.1:*")
                .passphrase(SECRET).build());
        FakeBootstrap.installConfig(Map.of("brubeck.worker.connect", client.endpoint(),
                "brubeck.worker.service", SERVICE, "brubeck.worker.passphrase", SECRET));
        container = SeContainerInitializer.newInstance().disableDiscovery()
                .addExtensions(new BrubeckServiceExtension()).addBeanClasses(classes).initialize();
    }

    /** The messages of the deployment problems of an application of these classes. */
    private static String deploymentProblems(Class<?>... classes) {
        return deploymentProblems(Map.of(), classes);
    }

    /** The messages of the deployment problems of an application of these classes and settings. */
    private static String deploymentProblems(Map<String, String> settings, Class<?>... classes) {
        FakeBootstrap.installConfig(settings);
        SeContainerInitializer application = SeContainerInitializer.newInstance().disableDiscovery()
                .addExtensions(new BrubeckServiceExtension()).addBeanClasses(classes);
        return Failures.messages(assertThrows(DeploymentException.class, application::initialize));
    }

    /** The answer's payload: its {@code result}, or its status when it has none. */
    private String call(String path, Method method, Object body) {
        ServiceCall call = client.request(path).method(method).timeout(ANSWER);
        ServiceResponse response = (body == null ? call : call.jsonBody(body)).send().response();
        return response.payload().getString("result", response.statusCode() + " " + response.statusMessage());
    }

    public record Item(String name) {
    }

    public abstract static class JsonRoute<T> {
        public abstract ServiceReply post(T body);
    }

    @ServiceRoute("^/items$")
    public static class Items extends JsonRoute<Item> {
        @Override
        public ServiceReply post(@Body Item item) {
            return ServiceReply.ok().with("result", "stored " + item.name());
        }
    }

    /** A handler its subclasses inherit as it is: its parameter is bound as the type they give {@code T}. */
    public static class Store<T> {
        public ServiceReply put(@Body T body) {
            return ServiceReply.ok().with("result", "stored a " + body.getClass().getSimpleName());
        }

        public ServiceReply post(@Body List<T> bodies) {
            return ServiceReply.ok().with("result", "stored " + bodies.size() + " " + bodies.get(0).getClass().getSimpleName());
        }
    }

    /** Passes its own parameter on, for the route class to fix. */
    public static class AuditedStore<U> extends Store<U> {
    }

    @ServiceRoute("^/shelf$")
    public static class Shelf extends AuditedStore<Item> {
    }

    public interface Pingable {
        default String get(ServiceRequest request) {
            return "pong from " + getClass().getSimpleName();
        }
    }

    /** Normal-scoped, so that the handler is called through the container's client proxy. */
    @ApplicationScoped
    @ServiceRoute("^/ping$")
    public static class Ping implements Pingable {
    }

    @ServiceRoute("^/items$")
    public static class TextAnswers {
        public void response(@Payload String payload) {
        }
    }

    @Test
    void aPayloadThatCannotHoldAJsonObjectFailsTheDeployment() {
        String messages = deploymentProblems(TextAnswers.class);

        assertTrue(messages.contains("@ServiceRoute " + TextAnswers.class.getName() + " annotates parameter 1 (String) of "
                + "response(String) @Payload, but a payload is always a JSON object, which String cannot hold"), messages);
    }

    @ServiceRoute("^/broken[$")
    public static class BrokenPattern {
        public String request(ServiceRequest request) {
            return "never";
        }
    }

    @Test
    void aBrokenRouteAndTheWorkerSettingsAreReportedInOneDeployment() {
        String messages = deploymentProblems(Map.of("brubeck.worker.connect", "tcp://127.0.0.1:" + FreePort.pick(),
                "brubeck.worker.service", SERVICE), BrokenPattern.class);

        assertTrue(messages.contains("@ServiceRoute " + BrokenPattern.class.getName()
                + " has the pattern '^/broken[$', which is not a valid regular expression"), messages);
        assertTrue(messages.contains("brubeck.worker.passphrase is missing"), messages);
    }

    /**
     * CDI routes are served through the engine's routing, so a path holding a control character is answered 404
     * there too, before any route is tried: {@code ^/ping$} does not take {@code /ping} followed by a line feed.
     */
    @Test
    void aPathEndingInALineFeedIsNotRouted() {
        serve(Ping.class);

        assertEquals("pong from Ping", call("/ping", Method.GET, null));
        assertEquals("404 No route for /ping\\n", call("/ping\n", Method.GET, null));
    }

    @Test
    void inheritedHandlersAnswer() {
        serve(Items.class, Ping.class, Shelf.class);

        assertEquals("stored apples", call("/items", Method.POST, new Item("apples")));
        assertEquals("stored a Item", call("/shelf", Method.PUT, new Item("pears")), "bound as Item, not as a Map");
        assertEquals("stored 2 Item", call("/shelf", Method.POST, List.of(new Item("figs"), new Item("plums"))),
                "a List<T> is bound as a List<Item>");
        assertEquals("pong from Ping", call("/ping", Method.GET, null));
    }

    /** How many instances of {@link Orders} itself (not of a subclass) the container made. */
    static final AtomicInteger ORDERS_MADE = new AtomicInteger();

    @ServiceRoute("^/orders$")
    public static class Orders {
        public Orders() {
            if (getClass() == Orders.class) {
                ORDERS_MADE.incrementAndGet();
            }
        }

        public String get(ServiceRequest request) {
            return "orders";
        }
    }

    @Specializes
    public static class StubOrders extends Orders {
        @Override
        public String get(ServiceRequest request) {
            return "stub orders";
        }
    }

    /** Normal-scoped and typed as the route class only: the runtime asks for the route class's type, through a proxy. */
    @Alternative
    @Priority(1)
    @ApplicationScoped
    @Typed(Orders.class)
    public static class AlternativeOrders extends Orders {
        @Override
        public String get(ServiceRequest request) {
            return "alternative orders";
        }
    }

    /** An alternative nothing enables. */
    @Alternative
    public static class StagingOrders extends Orders {
        @Override
        public String get(ServiceRequest request) {
            return "staging orders";
        }
    }

    @Test
    void aSubclassThatSpecializesARouteServesItAndTheRouteClassItselfIsNeverMade() {
        ORDERS_MADE.set(0);
        serve(Orders.class, StubOrders.class);

        assertEquals("stub orders", call("/orders", Method.GET, null));
        assertEquals("stub orders", call("/orders", Method.GET, null));
        assertEquals(0, ORDERS_MADE.get(), "CDI never instantiates a bean that another specializes");
        assertEquals(List.of(Orders.class), routeClasses(), "served as the route class it replaces");
    }

    @Test
    void anEnabledAlternativeSubclassServesTheRoute() {
        serve(Orders.class, AlternativeOrders.class, StagingOrders.class);

        assertEquals("alternative orders", call("/orders", Method.GET, null));
    }

    @Test
    void withoutAnEnabledAlternativeTheRouteClassServesItself() {
        serve(Orders.class, StagingOrders.class);

        assertEquals("orders", call("/orders", Method.GET, null));
    }

    /** A bean of its own, neither an alternative nor a specialization: both it and the class it extends are routes. */
    @ServiceRoute("^/big-orders$")
    public static class BigOrders extends Orders {
        @Override
        public String get(ServiceRequest request) {
            return "big orders";
        }
    }

    @Test
    void aSubclassThatIsARouteOfItsOwnReplacesNothing() {
        serve(Orders.class, BigOrders.class);

        assertEquals("orders", call("/orders", Method.GET, null));
        assertEquals("big orders", call("/big-orders", Method.GET, null));
    }

    /** A replacement that is a route of its own too: it serves both patterns. */
    @ServiceRoute("^/v2/orders$")
    @Alternative
    @Priority(1)
    public static class OrdersV2 extends Orders {
        @Override
        public String get(ServiceRequest request) {
            return "orders v2 at " + request.path();
        }

        public String delete(ServiceRequest request) {
            return "deleted";
        }
    }

    @Test
    void aReplacementThatIsARouteOfItsOwnServesBothPatternsWithTheHandlersOfEach() {
        serve(Orders.class, OrdersV2.class);

        assertEquals("orders v2 at /orders", call("/orders", Method.GET, null));
        assertEquals("orders v2 at /v2/orders", call("/v2/orders", Method.GET, null));
        assertEquals("deleted", call("/v2/orders", Method.DELETE, null));
        assertEquals("405 METHOD 'delete' is not allowed on /orders", call("/orders", Method.DELETE, null),
                "a handler the replacement adds is served only under its own pattern");
    }

    /** A replacement that repeats the pattern of the route it replaces. */
    @ServiceRoute("^/orders$")
    @Alternative
    @Priority(1)
    public static class SamePatternOrders extends Orders {
    }

    @Test
    void aReplacementThatRepeatsThePatternOfTheRouteItReplacesClashesWithIt() {
        String messages = deploymentProblems(Orders.class, SamePatternOrders.class);

        assertTrue(messages.contains("has the pattern '^/orders$' with a handler for METHOD get, and so has"), messages);
        assertTrue(messages.contains("a subclass that replaces the bean of a route serves its pattern without "
                + "@ServiceRoute of its own"), messages);
    }

    @Alternative
    @Priority(7)
    public static class FirstOrders extends Orders {
    }

    @Alternative
    @Priority(7)
    public static class SecondOrders extends Orders {
    }

    @Test
    void twoAlternativesOfOnePriorityFailTheDeployment() {
        String messages = deploymentProblems(Orders.class, FirstOrders.class, SecondOrders.class);

        assertTrue(messages.contains("@ServiceRoute " + Orders.class.getName() + " has more than one enabled alternative "
                + "that would replace its bean (" + FirstOrders.class.getName() + ", " + SecondOrders.class.getName()
                + "), and none comes first; give one a higher @Priority, or enable only one"), messages);
    }

    @Alternative
    @Priority(1)
    @SessionScoped
    public static class SessionOrders extends Orders implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void aReplacementIsCheckedAsTheBeanThatServesTheRoute() {
        String messages = deploymentProblems(Orders.class, SessionOrders.class);

        assertTrue(messages.contains("@ServiceRoute " + Orders.class.getName() + " is served by "
                + SessionOrders.class.getName() + ", which replaces its bean and is @SessionScoped, a scope that is "
                + "not active where handlers run"), messages);
    }

    /** A generic class: its bean type is {@code Catalog<T>}, not the class itself. */
    @ServiceRoute("^/catalog$")
    public static class Catalog<T> {
        public String get(ServiceRequest request) {
            return "catalog";
        }
    }

    @Test
    void aGenericRouteClassServesItsRoutes() {
        serve(Catalog.class);

        assertEquals("catalog", call("/catalog", Method.GET, null));
    }

    /** Returns bytes, as a file's content, say; and bytes wrapped in a stage. */
    @ServiceRoute("^/bytes$")
    public static class Bytes {
        public byte[] get() {
            return new byte[] {0, 1, (byte) 0xff};
        }

        public CompletionStage<byte[]> post() {
            return CompletableFuture.completedFuture("later".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void returnedBytesAreTheReplysBodyAsTheyAre() {
        serve(Bytes.class);

        ServiceResponse bytes = client.request("/bytes").method(Method.GET).timeout(ANSWER).send().response();
        ServiceResponse later = client.request("/bytes").method(Method.POST).timeout(ANSWER).send().response();

        assertEquals(200, bytes.statusCode());
        assertArrayEquals(new byte[] {0, 1, (byte) 0xff}, bytes.body());
        assertEquals(JsonValue.EMPTY_JSON_OBJECT, bytes.payload());
        assertEquals("later", new String(later.body(), StandardCharsets.UTF_8));
        assertEquals(JsonValue.EMPTY_JSON_OBJECT, later.payload());
    }

    private List<Class<?>> routeClasses() {
        return container.select(ServiceRuntime.class).get().routes().requestRoutes().stream()
                .<Class<?>>map(entry -> entry.route().beanClass()).toList();
    }
}
