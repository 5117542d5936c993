package io.brubeck.service.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.Failures;
import io.brubeck.service.api.Method;
import io.brubeck.service.api.ServiceRequest;
import io.brubeck.service.engine.ClientConfig;
import io.brubeck.service.engine.ServiceClientEndpoint;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A normal-scoped route bean the container cannot make a client proxy of fails the deployment (Weld SE): a
 * route bean is never injected, so Weld would otherwise find out only at the first call, and fail every
 * call. A bean it can proxy, and one whose scope needs no proxy, deploy and answer; the check makes no
 * instance.
 */
@Timeout(30)
class UnproxyableRoutesTest {
    private static final String SERVICE = "proxies";
    private static final String SECRET = "secret";
    /** Weld's default outside SE, as in Jakarta EE servers: a proxy needs a non-private no-argument constructor. */
    private static final String RELAXED = "org.jboss.weld.construction.relaxed";

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

    @ServiceRoute("^/final-class$")
    @ApplicationScoped
    public static final class FinalClass {
        public String get(ServiceRequest request) {
            return "final class";
        }
    }

    @ServiceRoute("^/final-helper$")
    @ApplicationScoped
    public static class FinalHelper {
        public String get(ServiceRequest request) {
            return format(3);
        }

        public final String format(int n) {
            return "#" + n;
        }
    }

    @ServiceRoute("^/final-handler$")
    @RequestScoped
    public static class FinalHandler {
        public final String get(ServiceRequest request) {
            return "final handler";
        }
    }

    @ApplicationScoped
    public static class Repository {
        public String find(int id) {
            return "order " + id;
        }
    }

    @ServiceRoute("^/orders$")
    @ApplicationScoped
    public static class InjectConstructorOnly {
        static final AtomicInteger MADE = new AtomicInteger();
        private final Repository repository;

        @Inject
        public InjectConstructorOnly(Repository repository) {
            this.repository = repository;
        }

        @PostConstruct
        void made() {
            MADE.incrementAndGet();
        }

        public String get(ServiceRequest request) {
            return repository.find(7);
        }
    }

    public interface Named {
        String name();
    }

    /** Its bean is not of the route class's type, which is its own problem, not one of proxies. */
    @ServiceRoute("^/typed-away$")
    @ApplicationScoped
    @Typed(Named.class)
    public static class TypedAway implements Named {
        @Override
        public String name() {
            return "typed away";
        }

        public String get(ServiceRequest request) {
            return name();
        }
    }

    /** Needs no proxy: a fresh instance per call. */
    @ServiceRoute("^/dependent$")
    public static final class DependentFinal {
        public final String get(ServiceRequest request) {
            return "dependent";
        }
    }

    /** Needs no proxy: a pseudo-scope. */
    @ServiceRoute("^/singleton$")
    @Singleton
    public static final class SingletonFinal {
        public final String get(ServiceRequest request) {
            return "singleton";
        }
    }

    private static String deploymentProblems(boolean relaxed, Class<?>... classes) {
        FakeBootstrap.installConfig(Map.of());
        SeContainerInitializer application = SeContainerInitializer.newInstance().disableDiscovery()
                .addProperty(RELAXED, relaxed).addExtensions(new BrubeckServiceExtension()).addBeanClasses(classes);
        return Failures.messages(assertThrows(DeploymentException.class, application::initialize));
    }

    private static void assertProblem(String messages, Class<?> route, String scope) {
        assertTrue(messages.contains("@ServiceRoute " + route.getName() + " is @" + scope + ", but the container "
                + "cannot make the client proxy that scope needs (WELD-"), messages);
        assertTrue(messages.contains("give it a non-private constructor without parameters and no final methods, "
                + "and do not make it final, or make it @Dependent or @Singleton, which need no proxy"), messages);
    }

    @Test
    void aFinalClassOrMethodFailsTheDeployment() {
        String messages = deploymentProblems(true, FinalClass.class, FinalHelper.class, FinalHandler.class);

        assertProblem(messages, FinalClass.class, "ApplicationScoped");
        assertProblem(messages, FinalHelper.class, "ApplicationScoped");
        assertTrue(messages.contains("format"), "names the final method: " + messages);
        assertProblem(messages, FinalHandler.class, "RequestScoped");
    }

    @Test
    void aRouteWhoseTypedLeavesItsClassOutIsToldSoAndNotAskedForAProxy() {
        String messages = deploymentProblems(true, TypedAway.class);

        assertTrue(messages.contains("@ServiceRoute " + TypedAway.class.getName() + " restricts its bean types with "
                + "@Typed"), messages);
        assertFalse(messages.contains("client proxy"), messages);
    }

    @Test
    void onlyAnInjectConstructorFailsTheDeploymentWhereProxiesNeedANoArgumentOne() {
        String messages = deploymentProblems(false, InjectConstructorOnly.class, Repository.class);

        assertProblem(messages, InjectConstructorOnly.class, "ApplicationScoped");
    }

    @Test
    void routesTheContainerCanServeDeployAndAnswer() {
        client = ServiceClientEndpoint.start(ClientConfig.builder(SERVICE).endpoint("tcp://127.0.0.1:*")
                .passphrase(SECRET).build());
        FakeBootstrap.installConfig(Map.of("brubeck.worker.connect", client.endpoint(),
                "brubeck.worker.service", SERVICE, "brubeck.worker.passphrase", SECRET));
        InjectConstructorOnly.MADE.set(0);
        // Weld SE's default: it proxies a class without a no-argument constructor its own way.
        container = SeContainerInitializer.newInstance().disableDiscovery().addProperty(RELAXED, true)
                .addExtensions(new BrubeckServiceExtension())
                .addBeanClasses(InjectConstructorOnly.class, Repository.class, DependentFinal.class, SingletonFinal.class)
                .initialize();

        assertEquals(0, InjectConstructorOnly.MADE.get(), "checking the proxy made no instance");
        assertEquals("order 7", call("/orders"));
        assertEquals("dependent", call("/dependent"));
        assertEquals("singleton", call("/singleton"));
    }

    private String call(String path) {
        return client.request(path).method(Method.GET).timeout(Duration.ofSeconds(10)).send().response()
                .payload().getString("result", "no result");
    }
}
