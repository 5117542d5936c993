package io.brubeck.service.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.Await;
import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceRequest;
import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.api.ServiceTimeoutException;
import io.brubeck.service.engine.ClientConfig;
import io.brubeck.service.engine.RouteTable;
import io.brubeck.service.engine.ServiceClientEndpoint;
import io.brubeck.service.engine.ServiceWorker;
import io.brubeck.service.engine.WorkerConfig;
import io.smallrye.metrics.SharedMetricRegistries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.microprofile.metrics.Gauge;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The metrics in a real container with a real MicroProfile Metrics implementation (SmallRye Metrics' application
 * registry, as a server would provide it) and real clients and workers: they are registered when a client binds
 * or the worker starts, read what the engine counted, and are removed when the runtime stops.
 */
@Timeout(60)
class MetricsTest {
    private static final String SERVICE = "metered";
    private static final String SECRET = "secret";
    private static final Duration CHANGE = Duration.ofSeconds(10);
    private static final Tag SERVICE_TAG = new Tag("service", SERVICE);
    private static final Set<String> CLIENT_METRICS = Set.of("brubeck.client.workers", "brubeck.client.calls.queued",
            "brubeck.client.calls.inflight", "brubeck.client.calls", "brubeck.client.calls.sent",
            "brubeck.client.calls.retried", "brubeck.client.calls.answered", "brubeck.client.calls.failed");
    private static final Set<String> WORKER_METRICS = Set.of("brubeck.worker.clients", "brubeck.worker.requests.running",
            "brubeck.worker.requests", "brubeck.worker.requests.refused", "brubeck.worker.requests.handled",
            "brubeck.worker.requests.failed");

    private SeContainer container;

    /** Injects the service, so that its client is bound when the application starts. */
    @ApplicationScoped
    public static class Caller {
        @Inject
        @Service(SERVICE)
        ServiceClient client;
    }

    /**
     * The application's registry, as a MicroProfile server makes it injectable: like Payara's producer, it reads
     * the annotations of the injection point, which a look-up through the BeanManager does not have.
     */
    @Dependent
    public static class Registry {
        @Produces
        MetricRegistry registry(InjectionPoint injectionPoint) {
            injectionPoint.getAnnotated().getAnnotations();
            return SharedMetricRegistries.getOrCreate(MetricRegistry.APPLICATION_SCOPE);
        }
    }

    @ServiceRoute("^/work$")
    public static class WorkerRoute {
        public String request(ServiceRequest request) {
            return "done";
        }
    }

    private static Map<String, String> config(Map<String, String> brubeck) {
        Map<String, String> config = new HashMap<>(brubeck);
        config.put("mp.metrics.prometheus.enabled", "false"); // SmallRye Metrics' simple registry will do
        return config;
    }

    @AfterEach
    void stop() {
        if (container != null) {
            container.close();
        }
        FakeBootstrap.uninstallConfig();
        SharedMetricRegistries.dropAll();
    }

    private void start(Class<?>... beans) {
        container = SeContainerInitializer.newInstance().disableDiscovery()
                .addExtensions(new BrubeckServiceExtension()).addBeanClasses(beans).initialize();
    }

    private void startCaller(Class<?>... beans) {
        FakeBootstrap.installConfig(config(Map.of("brubeck.service." + SERVICE + ".endpoint", "tcp://127.0.0.1:*",
                "brubeck.service." + SERVICE + ".passphrase", SECRET)));
        start(beans);
    }

    private static MetricRegistry registry() {
        return SharedMetricRegistries.getOrCreate(MetricRegistry.APPLICATION_SCOPE);
    }

    private static long value(String name, Tag... tags) {
        MetricID id = new MetricID(name, tags);
        Gauge<?> gauge = registry().getGauge(id);
        assertTrue(gauge != null, id + " is registered: " + registry().getMetricIDs());
        return gauge.getValue().longValue();
    }

    private static void awaitValue(long expected, String name, Tag... tags) {
        Await.until(CHANGE, name + " " + Set.of(tags) + " to be " + expected, () -> value(name, tags) == expected,
                () -> ", it is " + value(name, tags));
    }

    private static Set<String> brubeckMetrics() {
        return registry().getMetricIDs().stream().map(MetricID::getName).filter(name -> name.startsWith("brubeck."))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private ServiceRuntime runtime() {
        return container.select(ServiceRuntime.class).get();
    }

    @Test
    void theClientsMetricsCountRealCallsByOutcome() {
        startCaller(Caller.class, Registry.class);
        assertEquals(new TreeSet<>(CLIENT_METRICS), brubeckMetrics(), "registered when the client was bound");
        assertEquals(13, registry().getMetricIDs().size(), "eight names, answers by four status classes, failures by three reasons");
        assertEquals(0, value("brubeck.client.workers", SERVICE_TAG));
        assertEquals(0, value("brubeck.client.calls", SERVICE_TAG));

        String endpoint = runtime().boundEndpoint(SERVICE).orElseThrow();
        RouteTable<RequestHandler> routes = RouteTable.<RequestHandler>builder()
                .route("^/work$", Method.REQUEST, request -> ServiceReply.ok("done"))
                .route("^/broken$", Method.REQUEST, request -> {
                    throw new IllegalStateException("broken on purpose");
                }).build();
        ServiceWorker worker = ServiceWorker.start(WorkerConfig.builder(SERVICE).endpoints(endpoint).passphrase(SECRET)
                .routes(routes).build());
        try (worker) {
            awaitValue(1, "brubeck.client.workers", SERVICE_TAG);
            ServiceClient client = runtime().client(SERVICE);
            for (int i = 0; i < 3; i++) {
                assertEquals(200, client.request("/work").send().response().statusCode());
            }
            assertEquals(404, client.request("/nowhere").send().response().statusCode());
            assertEquals(500, client.request("/broken").send().response().statusCode());
            awaitValue(0, "brubeck.client.calls.inflight", SERVICE_TAG);
        }
        assertThrows(ServiceTimeoutException.class,
                () -> runtime().client(SERVICE).request("/work").timeout(Duration.ofMillis(50)).send());

        awaitValue(0, "brubeck.client.workers", SERVICE_TAG);
        assertEquals(6, value("brubeck.client.calls", SERVICE_TAG));
        assertEquals(5, value("brubeck.client.calls.sent", SERVICE_TAG));
        assertEquals(0, value("brubeck.client.calls.retried", SERVICE_TAG));
        awaitValue(0, "brubeck.client.calls.queued", SERVICE_TAG); // the timed out call leaves the queue just after it failed
        assertEquals(3, value("brubeck.client.calls.answered", SERVICE_TAG, new Tag("status", "2xx")));
        assertEquals(1, value("brubeck.client.calls.answered", SERVICE_TAG, new Tag("status", "4xx")));
        assertEquals(1, value("brubeck.client.calls.answered", SERVICE_TAG, new Tag("status", "5xx")));
        assertEquals(0, value("brubeck.client.calls.answered", SERVICE_TAG, new Tag("status", "other")));
        assertEquals(1, value("brubeck.client.calls.failed", SERVICE_TAG, new Tag("reason", "timeout")));
        assertEquals(0, value("brubeck.client.calls.failed", SERVICE_TAG, new Tag("reason", "unavailable")));
        assertEquals(0, value("brubeck.client.calls.failed", SERVICE_TAG, new Tag("reason", "rejected")));
    }

    @Test
    void theWorkersMetricsCountTheRequestsItHandled() {
        try (ServiceClientEndpoint client = ServiceClientEndpoint.start(
                ClientConfig.builder(SERVICE).endpoint("tcp://127.0.0.1:*").passphrase(SECRET).build())) {
            FakeBootstrap.installConfig(config(Map.of("brubeck.worker.connect", client.endpoint(),
                    "brubeck.worker.service", SERVICE, "brubeck.worker.passphrase", SECRET)));
            start(WorkerRoute.class, Registry.class);
            assertEquals(new TreeSet<>(WORKER_METRICS), brubeckMetrics(), "registered when the worker started");

            awaitValue(1, "brubeck.worker.clients", SERVICE_TAG);
            assertEquals(200, client.request("/work").send().response().statusCode());
            assertEquals(404, client.request("/elsewhere").send().response().statusCode());

            awaitValue(2, "brubeck.worker.requests.handled", SERVICE_TAG);
            assertEquals(2, value("brubeck.worker.requests", SERVICE_TAG));
            assertEquals(0, value("brubeck.worker.requests.failed", SERVICE_TAG), "a 404 is no failure of the worker");
            assertEquals(0, value("brubeck.worker.requests.refused", SERVICE_TAG));
            awaitValue(0, "brubeck.worker.requests.running", SERVICE_TAG); // a level, published at the end of a loop turn
            container.close();
            container = null;
        }
    }

    @Test
    void theMetricsAreRemovedWhenTheRuntimeStops() {
        startCaller(Caller.class, Registry.class);
        assertEquals(new TreeSet<>(CLIENT_METRICS), brubeckMetrics());

        runtime().stop();

        assertEquals(Set.of(), brubeckMetrics());
    }

    @Test
    void theWorkersMetricsStayWhileItDrainsAndGoOnceItHasClosed() throws Exception {
        DrainedRoute.reset();
        ExecutorService closer = Executors.newSingleThreadExecutor();
        try (ServiceClientEndpoint client = ServiceClientEndpoint.start(
                ClientConfig.builder(SERVICE).endpoint("tcp://127.0.0.1:*").passphrase(SECRET).build())) {
            FakeBootstrap.installConfig(config(Map.of("brubeck.worker.connect", client.endpoint(),
                    "brubeck.worker.service", SERVICE, "brubeck.worker.passphrase", SECRET,
                    "brubeck.worker.shutdown-grace", "PT20S")));
            start(DrainedRoute.class, Registry.class);
            awaitValue(1, "brubeck.worker.clients", SERVICE_TAG);
            CompletionStage<ServiceResult> call = client.request("/slow").timeout(Duration.ofSeconds(20)).sendAsync();
            assertTrue(DrainedRoute.started.await(CHANGE.toSeconds(), TimeUnit.SECONDS), "the request runs");
            awaitValue(1, "brubeck.worker.requests.running", SERVICE_TAG);
            ServiceRuntime runtime = runtime();

            Future<?> closed = closer.submit(container::close);
            Await.until(CHANGE, "the stop to begin", () -> {
                try {
                    runtime.statusesFromSocketThreads();
                    return false;
                } catch (IllegalStateException stopping) {
                    return true;
                }
            });
            assertEquals(new TreeSet<>(WORKER_METRICS), brubeckMetrics(), "still registered while the worker drains");
            assertEquals(1, value("brubeck.worker.requests.running", SERVICE_TAG));
            assertFalse(closed.isDone(), "the worker still drains its request");

            DrainedRoute.finish.countDown();
            assertEquals(200, call.toCompletableFuture().get(CHANGE.toSeconds(), TimeUnit.SECONDS).response().statusCode());
            closed.get(CHANGE.toSeconds(), TimeUnit.SECONDS);
            container = null;
            assertEquals(Set.of(), brubeckMetrics(), "removed once the worker has closed");
        } finally {
            DrainedRoute.finish.countDown();
            closer.shutdownNow();
        }
    }

    /**
     * Two applications in one JVM share the implementation's registry; the second one's client of a service of the
     * same name neither takes the first one's metrics over nor removes them when it stops.
     */
    @Test
    void anotherApplicationOfTheJvmNeitherTakesOverNorRemovesTheMetrics() {
        startCaller(Caller.class, Registry.class);
        try (SeContainer other = SeContainerInitializer.newInstance().disableDiscovery()
                .addExtensions(new BrubeckServiceExtension()).addBeanClasses(Caller.class, Registry.class)
                .initialize()) {
            ServiceClient othersClient = other.select(ServiceRuntime.class).get().client(SERVICE);
            assertThrows(ServiceTimeoutException.class,
                    () -> othersClient.request("/work").timeout(Duration.ofMillis(50)).send());
        }

        assertEquals(new TreeSet<>(CLIENT_METRICS), brubeckMetrics(), "the first application's are still registered");
        assertEquals(0, value("brubeck.client.calls", SERVICE_TAG), "the other application's call is not counted");
        assertThrows(ServiceTimeoutException.class,
                () -> runtime().client(SERVICE).request("/work").timeout(Duration.ofMillis(50)).send());
        assertEquals(1, value("brubeck.client.calls", SERVICE_TAG));
    }

    @Test
    void aServiceLookedUpByNameGetsItsMetricsAtTheFirstLookUp() {
        FakeBootstrap.installConfig(config(Map.of("brubeck.service.later.endpoint", "tcp://127.0.0.1:*",
                "brubeck.service.later.passphrase", SECRET)));
        start(Registry.class);
        assertEquals(Set.of(), brubeckMetrics(), "no client yet");

        runtime().client("later");

        assertEquals(0, value("brubeck.client.calls", new Tag("service", "later")));
    }

    @Test
    void withTheApiButNoRegistryTheApplicationWorksWithoutMetrics() {
        startCaller(Caller.class);

        assertTrue(runtime().clientRunning(SERVICE));
        assertNull(registry().getGauge(new MetricID("brubeck.client.calls", SERVICE_TAG)));
    }
}
