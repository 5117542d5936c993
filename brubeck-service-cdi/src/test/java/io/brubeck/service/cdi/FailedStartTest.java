package io.brubeck.service.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.Await;
import io.brubeck.it.support.FreePort;
import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.api.ServiceRequest;
import io.brubeck.service.cdi.metrics.RuntimeMetrics;
import io.brubeck.service.engine.ServiceClientEndpoint;
import io.brubeck.service.engine.ServiceWorker;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A container whose start fails after the runtime started, because an observer of the application's
 * start that runs later throws, leaves nothing running: Weld SE then drops the container without
 * destroying its beans, so the runtime has to notice by itself. A start that succeeds is left alone.
 */
@Timeout(30)
class FailedStartTest {
    private static final Duration RELEASED = Duration.ofSeconds(10);
    private static final String SERVICE = "failed-start";
    /** After the runtime's own observer, which has the default priority. */
    private static final int LATER = Interceptor.Priority.APPLICATION + 1000;

    /** Where the client of {@link #SERVICE} was bound, noted by the observers below. */
    static volatile String boundEndpoint;

    @BeforeEach
    void configure() {
        boundEndpoint = null;
        // The worker connects to a port nothing listens on: connecting needs no listener.
        FakeBootstrap.installConfig(Map.of("brubeck.service." + SERVICE + ".endpoint", "tcp://127.0.0.1:*",
                "brubeck.service." + SERVICE + ".passphrase", "secret",
                "brubeck.worker.connect", "tcp://127.0.0.1:" + FreePort.pick(),
                "brubeck.worker.service", SERVICE, "brubeck.worker.passphrase", "secret"));
    }

    @AfterEach
    void uninstallConfig() {
        FakeBootstrap.uninstallConfig();
    }

    @ServiceRoute("^/work$")
    public static class WorkerRoute {
        public String request(ServiceRequest request) {
            return "done";
        }
    }

    /** Injects the service, so that its client is bound when the application starts. */
    @ApplicationScoped
    public static class Caller {
        @Inject
        @Service(SERVICE)
        Provider<ServiceClient> client;
    }

    @ApplicationScoped
    public static class FailingInitializedObserver {
        void fail(@Observes @Priority(LATER) @Initialized(ApplicationScoped.class) Object event, ServiceRuntime runtime) {
            failAfterNoting(runtime);
        }
    }

    @ApplicationScoped
    public static class FailingStartupObserver {
        void fail(@Observes @Priority(LATER) Startup event, ServiceRuntime runtime) {
            failAfterNoting(runtime);
        }
    }

    @ApplicationScoped
    public static class PassingObservers {
        void note(@Observes @Priority(LATER) @Initialized(ApplicationScoped.class) Object event, ServiceRuntime runtime) {
            boundEndpoint = runtime.boundEndpoint(SERVICE).orElseThrow();
        }

        void check(@Observes @Priority(LATER) Startup event, ServiceRuntime runtime) {
            assertTrue(runtime.workerRunning(), "the worker runs");
        }
    }

    private static void failAfterNoting(ServiceRuntime runtime) {
        boundEndpoint = runtime.boundEndpoint(SERVICE).orElseThrow();
        throw new IllegalStateException("the application cannot start");
    }

    private static SeContainerInitializer application(Class<?> observers) {
        return SeContainerInitializer.newInstance().disableDiscovery()
                .addExtensions(new BrubeckServiceExtension())
                .addBeanClasses(WorkerRoute.class, Caller.class, observers);
    }

    @ParameterizedTest
    @ValueSource(classes = {FailingInitializedObserver.class, FailingStartupObserver.class})
    void aStartThatFailsAfterTheRuntimeStartedLeavesNoThreadAndFreesThePort(Class<?> failing) {
        Set<Thread> before = libraryThreads();

        IllegalStateException error = assertThrows(IllegalStateException.class, application(failing)::initialize);

        assertEquals("the application cannot start", error.getMessage());
        assertNotNull(boundEndpoint, "the client was bound before the start failed");
        awaitReleased(before, "the failed application");
    }

    /** Where the runtime registers its metrics: it fails, as a library of the wrong version would, once a client is bound. */
    @ApplicationScoped
    public static class BrokenMetrics implements RuntimeMetrics {
        @Override
        public void clientStarted(ServiceClientEndpoint client) {
            boundEndpoint = client.endpoint();
            throw new NoSuchMethodError("a metrics library of another version");
        }

        @Override
        public void workerStarted(ServiceWorker worker) {
        }

        @Override
        public void removeAll() {
        }
    }

    @Test
    void anErrorWhileTheRuntimeStartsLeavesNoThreadAndFreesThePort() {
        Set<Thread> before = libraryThreads();

        // Weld wraps the Error of an observer in an ObserverException.
        Throwable error = assertThrows(RuntimeException.class, SeContainerInitializer.newInstance()
                .disableDiscovery().addExtensions(new BrubeckServiceExtension())
                .addBeanClasses(WorkerRoute.class, Caller.class, BrokenMetrics.class)::initialize);

        while (error.getCause() != null && !(error instanceof NoSuchMethodError)) {
            error = error.getCause();
        }
        assertEquals("a metrics library of another version", error.getMessage());
        assertNotNull(boundEndpoint, "the client was bound before the start failed");
        awaitReleased(before, "the failed runtime");
    }

    /** A client the application asks for later, whose start fails in the same way, leaves nothing behind either. */
    @Test
    void anErrorWhileAClientStartsOnDemandLeavesNoClientThreadAndFreesThePort() {
        try (SeContainer container = SeContainerInitializer.newInstance().disableDiscovery()
                .addExtensions(new BrubeckServiceExtension()).addBeanClasses(WorkerRoute.class, BrokenMetrics.class)
                .initialize()) {
            ServiceRuntime runtime = container.select(ServiceRuntime.class).get();
            Set<Thread> before = libraryThreads();

            NoSuchMethodError error = assertThrows(NoSuchMethodError.class, () -> runtime.client(SERVICE));

            assertEquals("a metrics library of another version", error.getMessage());
            assertNotNull(boundEndpoint, "the client was bound before its start failed");
            awaitReleased(before, "the failed client");
            assertTrue(runtime.workerRunning(), "the rest of the runtime runs on");
        }
    }

    @Test
    void aStartThatSucceedsKeepsTheRuntimeRunningUntilTheContainerCloses() {
        Set<Thread> before = libraryThreads();

        try (SeContainer container = application(PassingObservers.class).initialize()) {
            ServiceRuntime runtime = container.select(ServiceRuntime.class).get();
            assertTrue(runtime.workerRunning(), "the worker runs");
            assertEquals(boundEndpoint, runtime.boundEndpoint(SERVICE).orElseThrow());
            assertNotNull(runtime.client(SERVICE));
            assertTrue(!startedSince(before).isEmpty(), "the runtime's threads run");
        }

        Await.until(RELEASED, "the closed application's threads to end", () -> startedSince(before).isEmpty(),
                () -> ": " + startedSince(before));
    }

    /** Waits until the threads started since {@code before} have ended and the client's port is free again. */
    private static void awaitReleased(Set<Thread> before, String what) {
        Await.until(RELEASED, what + "'s threads to end", () -> startedSince(before).isEmpty(),
                () -> ": " + startedSince(before));
        int port = Integer.parseInt(boundEndpoint.substring(boundEndpoint.lastIndexOf(':') + 1));
        Await.until(RELEASED, "port " + port + " to be free", () -> canBind(port));
    }

    private static Set<Thread> libraryThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("brubeck-"))
                .collect(Collectors.toSet());
    }

    /** The library's threads alive now that were not before, by name: this test's. */
    private static List<String> startedSince(Set<Thread> before) {
        return libraryThreads().stream().filter(thread -> !before.contains(thread)).map(Thread::getName).sorted().toList();
    }

    private static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
