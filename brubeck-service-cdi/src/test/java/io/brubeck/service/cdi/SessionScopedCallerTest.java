package io.brubeck.service.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.engine.RouteTable;
import io.brubeck.service.engine.ServiceWorker;
import io.brubeck.service.engine.WorkerConfig;
import jakarta.enterprise.context.SessionScoped;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.jboss.weld.context.bound.BoundLiteral;
import org.jboss.weld.context.bound.BoundSessionContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A bean of a passivating scope that holds an injected client, in a real container (Weld SE) whose session
 * is written out and read back as a server does when it passivates or replicates sessions: the container
 * injects the client, and the client read back calls the service through the application's endpoint.
 */
@Timeout(30)
class SessionScopedCallerTest {
    private static final String SERVICE = "session";
    private static final String SECRET = "secret";
    private static final Duration ANSWER = Duration.ofSeconds(10);

    private SeContainer container;
    private ServiceWorker worker;

    @SessionScoped
    public static class Cart implements Serializable {
        private static final long serialVersionUID = 1L;

        @Inject
        @Service(SERVICE)
        ServiceClient client;

        String checkOut() {
            return client.request("/check-out").timeout(ANSWER).send().response().statusMessage();
        }

        ServiceClient client() {
            return client;
        }
    }

    @BeforeEach
    void start() {
        FakeBootstrap.installConfig(Map.of("brubeck.service." + SERVICE + ".endpoint", "tcp://127.0.0.1:*",
                "brubeck.service." + SERVICE + ".passphrase", SECRET));
        container = SeContainerInitializer.newInstance().disableDiscovery()
                .addExtensions(new BrubeckServiceExtension()).addBeanClasses(Cart.class).initialize();
        String endpoint = container.select(ServiceRuntime.class).get().boundEndpoint(SERVICE).orElseThrow();
        RouteTable<RequestHandler> routes = RouteTable.<RequestHandler>builder()
                .route("^/check-out$", Method.REQUEST, request -> ServiceReply.ok("checked out")).build();
        worker = ServiceWorker.start(WorkerConfig.builder(SERVICE).endpoints(endpoint).passphrase(SECRET)
                .routes(routes).build());
    }

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.close();
        }
        if (container != null) {
            container.close();
        }
        FakeBootstrap.uninstallConfig();
    }

    @Test
    void aSessionScopedBeanCallsThroughItsClientBeforeAndAfterTheSessionIsReadBack() throws Exception {
        BoundSessionContext sessions = container.select(BoundSessionContext.class, BoundLiteral.INSTANCE).get();
        Map<String, Object> session = new HashMap<>();
        sessions.associate(session);
        sessions.activate();
        ServiceClient injected;
        try {
            Cart cart = container.select(Cart.class).get();
            assertEquals("checked out", cart.checkOut());
            injected = cart.client();
        } finally {
            sessions.deactivate();
            sessions.dissociate(session);
        }

        Map<String, Object> readBack = copy(session);
        sessions.associate(readBack);
        sessions.activate();
        try {
            Cart cart = container.select(Cart.class).get();
            assertNotSame(injected, cart.client(), "the bean was read back, with its client");
            assertEquals(SERVICE, cart.client().serviceName());
            assertEquals("checked out", cart.checkOut());
        } finally {
            sessions.deactivate();
            sessions.dissociate(readBack);
        }
    }

    /** The value written out and read back, as a server passivates a session. */
    @SuppressWarnings("unchecked")
    private static <T> T copy(T value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
