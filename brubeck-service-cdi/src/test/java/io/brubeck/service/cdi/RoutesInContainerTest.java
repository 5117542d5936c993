package io.brubeck.service.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.Failures;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.ServiceCall;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceRequest;
import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.engine.ClientConfig;
import io.brubeck.service.engine.ServiceClientEndpoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import jakarta.enterprise.inject.spi.DeploymentException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Routes served by a worker in a real container (Weld SE) and called through real sockets by a client of the
 * engine: the handlers a route class inherits, from a generic superclass or as an interface's default method;
 * and the route problems that fail the container's deployment.
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
        SeContainerInitializer application = SeContainerInitializer.newInstance().disableDiscovery()
                .addExtensions(new BrubeckServiceExtension()).addBeanClasses(TextAnswers.class);

        String messages = Failures.messages(assertThrows(DeploymentException.class, application::initialize));

        assertTrue(messages.contains("@ServiceRoute " + TextAnswers.class.getName() + " annotates parameter 1 (String) of "
                + "response(String) @Payload, but a payload is always a JSON object, which String cannot hold"), messages);
    }

    @Test
    void inheritedHandlersAnswer() {
        serve(Items.class, Ping.class);

        assertEquals("stored apples", call("/items", Method.POST, new Item("apples")));
        assertEquals("pong from Ping", call("/ping", Method.GET, null));
    }
}
