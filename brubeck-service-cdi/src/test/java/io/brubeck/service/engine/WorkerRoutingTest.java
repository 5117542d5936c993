package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WorkerRoutingTest {
    private final Fixtures fixtures = new Fixtures();
    private ServiceClientEndpoint client;

    @BeforeEach
    void start() {
        client = fixtures.client("routes");
        RouteTable<RequestHandler> routes = RouteTable.<RequestHandler>builder()
                .route("^/orders$", Method.GET, request -> ServiceReply.ok("listed"))
                .route("^/orders$", Method.POST, request -> ServiceReply.created("created")
                        .with("item", request.argument("item", "?")).withHeader("Location", "/orders/1"))
                .route("^/fail$", Method.REQUEST, request -> {
                    throw new IllegalStateException("database is down");
                })
                .route("^/recurse$", Method.REQUEST, request -> {
                    throw new StackOverflowError();
                })
                .route("^/exhaust$", Method.REQUEST, request -> {
                    throw new OutOfMemoryError("Java heap space");
                })
                .route("^/break$", Method.REQUEST, request -> {
                    throw new InternalError();
                })
                .route("^/service/echo$", Method.REQUEST, request -> ServiceReply.ok("echo"))
                .route("^/any/", Method.REQUEST, request -> ServiceReply.ok("any"))
                .build();
        fixtures.worker(client, routes);
    }

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    @Test
    void routesByPathAndMethod() {
        assertEquals("listed", client.request("/orders").method(Method.GET).send().response().statusMessage());
        ServiceResponse created = client.request("/orders").method(Method.POST).argument("item", "book").send().response();
        assertEquals(201, created.statusCode());
        assertEquals("book", created.payload().getString("item"));
        assertEquals("/orders/1", created.headers().get("Location"));
    }

    @Test
    void unknownPathIs404() {
        ServiceResponse response = client.request("/nowhere").send().response();
        assertEquals(404, response.statusCode());
        assertTrue(response.statusMessage().contains("/nowhere"), response.statusMessage());
    }

    @Test
    void unsupportedMethodOnAKnownPathIs405() {
        ServiceResponse response = client.request("/orders").method(Method.DELETE).send().response();
        assertEquals(405, response.statusCode());
        assertTrue(response.statusMessage().contains("delete"), response.statusMessage());
    }

    @Test
    void handlerExceptionIs500WithItsMessageAndNoStackTrace() {
        ServiceResponse response = client.request("/fail").send().response();
        assertEquals(500, response.statusCode());
        assertEquals("database is down", response.statusMessage());
        assertFalse(response.payload().toString().contains("at io.brubeck"), "no stack trace on the wire");
    }

    @ParameterizedTest
    @CsvSource({"/recurse, StackOverflowError", "/exhaust, Java heap space", "/break, InternalError"})
    void anErrorInAHandlerIsAnswered500AndTheWorkerKeepsServing(String path, String message) {
        ServiceResponse response = client.request(path).timeout(Duration.ofSeconds(5)).send().response();
        assertEquals(500, response.statusCode());
        assertEquals(message, response.statusMessage());
        assertEquals("listed", client.request("/orders").method(Method.GET).send().response().statusMessage());
    }

    /** The routes that the tests of paths with control characters below aim at serve their plain paths. */
    @Test
    void thePlainPathsAreServed() {
        assertEquals("echo", client.request("/service/echo").send().response().statusMessage());
        assertEquals("any", client.request("/any/thing").send().response().statusMessage());
    }

    /**
     * A path that holds a control character is answered 404 before it is routed, whatever the patterns: Java's
     * {@code $} also matches before a final line terminator, so {@code ^/service/echo$} would otherwise take
     * {@code /service/echo} followed by any of these.
     */
    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n", "\r", "\u0085", "\u2028", "\u2029"})
    void aPathEndingInALineTerminatorIsNotRoutedToAWholePathPattern(String terminator) {
        ServiceResponse response = client.request("/service/echo" + terminator).send().response();
        assertEquals(404, response.statusCode());
        assertEquals("No route for /service/echo" + PeerText.forLog(terminator), response.statusMessage());
    }

    /** Also where a pattern would take the path in any case, as a NUL is. */
    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\t", "\u001b[31m", "\u007f", "\u009b", "\n"})
    void aPathHoldingAControlCharacterIsNotRoutedAtAll(String control) {
        ServiceResponse response = client.request("/any/" + control + "x").send().response();
        assertEquals(404, response.statusCode());
        assertEquals("No route for /any/" + PeerText.forLog(control) + "x", response.statusMessage());
    }
}
