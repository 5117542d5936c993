package io.brubeck.service.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.ServiceRequest;
import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.engine.ClientConfig;
import io.brubeck.service.engine.ServiceClientEndpoint;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CDI routes are served through the engine's routing, so a path holding a control character is answered 404 there
 * too, before any route is tried: {@code ^/ping$} does not take {@code /ping} followed by a line feed.
 */
@Timeout(30)
class ControlCharacterPathInContainerTest {
    private static final String SERVICE = "control-paths";
    private static final String SECRET = "secret";

    private ServiceClientEndpoint client;
    private SeContainer container;

    @ServiceRoute("^/ping$")
    public static class Ping {
        public String get(ServiceRequest request) {
            return "pong";
        }
    }

    @BeforeEach
    void serve() {
        client = ServiceClientEndpoint.start(ClientConfig.builder(SERVICE).endpoint("tcp://127.0.0.1:*")
                .passphrase(SECRET).build());
        FakeBootstrap.installConfig(Map.of("brubeck.worker.connect", client.endpoint(),
                "brubeck.worker.service", SERVICE, "brubeck.worker.passphrase", SECRET));
        container = SeContainerInitializer.newInstance().disableDiscovery()
                .addExtensions(new BrubeckServiceExtension()).addBeanClasses(Ping.class).initialize();
    }

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

    @Test
    void aPathEndingInALineFeedIsNotRouted() {
        assertEquals(200, get("/ping").statusCode());
        ServiceResponse response = get("/ping\n");
        assertEquals(404, response.statusCode());
        assertEquals("No route for /ping\\n", response.statusMessage());
    }

    private ServiceResponse get(String path) {
        return client.request(path).method(Method.GET).send().response();
    }
}
