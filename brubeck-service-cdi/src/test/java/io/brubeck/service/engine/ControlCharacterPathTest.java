package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A path that holds a control character is answered 404 before it is routed: no route takes it, whatever its
 * pattern. Java's {@code $} also matches before a final line terminator, so without this {@code ^/service/echo$}
 * would take {@code /service/echo} followed by one.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ControlCharacterPathTest {
    private final Fixtures fixtures = new Fixtures();
    private ServiceClientEndpoint client;

    @BeforeEach
    void start() {
        client = fixtures.client("control-paths");
        RouteTable<RequestHandler> routes = RouteTable.<RequestHandler>builder()
                .route("^/service/echo$", Method.REQUEST, request -> ServiceReply.ok("echo"))
                .route("^/any/", Method.REQUEST, request -> ServiceReply.ok("any"))
                .build();
        fixtures.worker(client, routes);
    }

    @AfterEach
    void closeAll() {
        fixtures.close();
    }

    @Test
    void thePlainPathsAreServed() {
        assertEquals("echo", client.request("/service/echo").send().response().statusMessage());
        assertEquals("any", client.request("/any/thing").send().response().statusMessage());
    }

    /** Each line terminator Java's {@code $} matches before. */
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
