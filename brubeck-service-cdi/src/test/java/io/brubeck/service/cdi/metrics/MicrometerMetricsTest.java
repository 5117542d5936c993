package io.brubeck.service.cdi.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.brubeck.it.support.Await;
import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceTimeoutException;
import io.brubeck.service.engine.ClientConfig;
import io.brubeck.service.engine.RouteTable;
import io.brubeck.service.engine.ServiceClientEndpoint;
import io.brubeck.service.engine.ServiceWorker;
import io.brubeck.service.engine.WorkerConfig;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Micrometer metrics, as Quarkus gets them, with a real registry bean in a real container and a real client
 * and worker: created from the application's {@link MeterRegistry} bean, they read what the engine counted, the
 * levels as gauges and the counts as function counters, and are all removed again.
 */
@Timeout(60)
class MicrometerMetricsTest {
    private static final String SERVICE = "metered";
    private static final String SECRET = "secret";
    private static final Duration CHANGE = Duration.ofSeconds(10);

    /** The application's registry, as Quarkus's Micrometer extension makes it injectable. */
    @ApplicationScoped
    public static class Registry {
        static final MeterRegistry REGISTRY = new SimpleMeterRegistry();

        @Produces
        MeterRegistry registry() {
            return REGISTRY;
        }
    }

    /** A bean of an application that has no registry. */
    @ApplicationScoped
    public static class Unrelated {
    }

    @Test
    void theMetricsCountRealCallsAndAreRemovedWhenTheRuntimeStops() {
        MeterRegistry registry = Registry.REGISTRY;
        RuntimeMetrics metrics;
        try (SeContainer container = SeContainerInitializer.newInstance().disableDiscovery()
                .addBeanClasses(Registry.class).initialize()) {
            metrics = new MicrometerMetrics.Creator().create(container, null);
        }
        RouteTable<RequestHandler> routes = RouteTable.<RequestHandler>builder()
                .route("^/work$", Method.REQUEST, request -> ServiceReply.ok("done")).build();
        try (ServiceClientEndpoint client = ServiceClientEndpoint.start(
                ClientConfig.builder(SERVICE).endpoint("tcp://127.0.0.1:*").passphrase(SECRET).build());
             ServiceWorker worker = ServiceWorker.start(WorkerConfig.builder(SERVICE).endpoints(client.endpoint())
                     .passphrase(SECRET).routes(routes).build())) {
            metrics.clientStarted(client);
            metrics.workerStarted(worker);
            Await.until(CHANGE, "the worker to join", () -> gauge(registry, "brubeck.client.workers", null, null) == 1);
            for (int i = 0; i < 3; i++) {
                assertEquals(200, client.request("/work").send().response().statusCode());
            }
            assertEquals(404, client.request("/elsewhere").send().response().statusCode());

            // the socket thread publishes its counts as it finishes a turn, which may be after the caller returned
            Await.until(CHANGE, "the client to count the 404", () -> counter(registry, "brubeck.client.calls.answered",
                    "status", "4xx") == 1);
            assertEquals(4, counter(registry, "brubeck.client.calls", null, null));
            assertEquals(3, counter(registry, "brubeck.client.calls.answered", "status", "2xx"));
            assertEquals(1, counter(registry, "brubeck.client.calls.answered", "status", "4xx"));
            assertEquals(0, counter(registry, "brubeck.client.calls.failed", "reason", "timeout"));
            Await.until(CHANGE, "the worker to count 4 requests handled",
                    () -> counter(registry, "brubeck.worker.requests.handled", null, null) == 4);
            assertEquals(1, gauge(registry, "brubeck.worker.clients", null, null));
            assertEquals(new TreeSet<>(Set.of("brubeck.client.workers", "brubeck.client.calls.queued",
                    "brubeck.client.calls.inflight", "brubeck.client.calls", "brubeck.client.calls.sent",
                    "brubeck.client.calls.retried", "brubeck.client.calls.answered", "brubeck.client.calls.failed",
                    "brubeck.worker.clients", "brubeck.worker.requests.running", "brubeck.worker.requests",
                    "brubeck.worker.requests.refused", "brubeck.worker.requests.handled",
                    "brubeck.worker.requests.failed")), names(registry));
            assertEquals(19, registry.getMeters().size(),
                    "13 of the client's (answers by four status classes, failures by three reasons), 6 of the worker's");

            metrics.removeAll();
            assertEquals(List.of(), registry.getMeters());
        }
    }

    /**
     * Two applications in one JVM may share a registry: the second one's metrics of a service of the same name
     * leave the first one's alone.
     */
    @Test
    void metricsAnotherApplicationRegisteredAreNeitherTakenOverNorRemoved() {
        RuntimeMetrics first;
        RuntimeMetrics second;
        try (SeContainer container = SeContainerInitializer.newInstance().disableDiscovery()
                .addBeanClasses(Registry.class).initialize()) {
            first = new MicrometerMetrics.Creator().create(container, null);
            second = new MicrometerMetrics.Creator().create(container, null);
        }
        ClientConfig config = ClientConfig.builder(SERVICE).endpoint("tcp://127.0.0.1:*").passphrase(SECRET).build();
        try (ServiceClientEndpoint firstClient = ServiceClientEndpoint.start(config);
             ServiceClientEndpoint secondClient = ServiceClientEndpoint.start(config)) {
            first.clientStarted(firstClient);
            second.clientStarted(secondClient);
            assertEquals(13, Registry.REGISTRY.getMeters().size(), "one of each, the first application's");

            assertThrows(ServiceTimeoutException.class,
                    () -> secondClient.request("/work").timeout(Duration.ofMillis(50)).send());
            second.removeAll();

            assertEquals(13, Registry.REGISTRY.getMeters().size(), "the first application's are still registered");
            assertEquals(0, counter(Registry.REGISTRY, "brubeck.client.calls", null, null),
                    "the second application's call is not counted");
            first.removeAll();
            assertEquals(List.of(), Registry.REGISTRY.getMeters());
        }
    }

    @Test
    void withoutARegistryBeanNothingIsRegistered() {
        try (SeContainer container = SeContainerInitializer.newInstance().disableDiscovery()
                .addBeanClasses(Unrelated.class).initialize()) {
            assertSame(RuntimeMetrics.NONE, new MicrometerMetrics.Creator().create(container, null));
        }
    }

    private static double gauge(MeterRegistry registry, String name, String tag, String value) {
        return search(registry, name, tag, value).gauge().value();
    }

    private static double counter(MeterRegistry registry, String name, String tag, String value) {
        return search(registry, name, tag, value).functionCounter().count();
    }

    private static RequiredSearch search(MeterRegistry registry, String name, String tag, String value) {
        RequiredSearch search = registry.get(name).tag("service", SERVICE);
        return tag == null ? search : search.tag(tag, value);
    }

    private static Set<String> names(MeterRegistry registry) {
        return registry.getMeters().stream().map(Meter::getId).map(Meter.Id::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
