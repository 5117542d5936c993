package io.brubeck.service.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.Await;
import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.api.ServiceRequest;
import io.brubeck.service.cdi.health.ServiceLivenessCheck;
import io.brubeck.service.cdi.health.ServiceReadinessCheck;
import io.brubeck.service.engine.ClientConfig;
import io.brubeck.service.engine.SocketThreadTrap;
import io.brubeck.service.engine.RouteTable;
import io.brubeck.service.engine.ServiceClientEndpoint;
import io.brubeck.service.engine.ServiceWorker;
import io.brubeck.service.engine.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.proxy.WeldClientProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The health checks in a real container, with a real client endpoint and real workers: readiness follows
 * the connected workers, liveness only the library's own threads, and neither waits long.
 */
@Timeout(30)
class HealthChecksTest {
    private static final String SERVICE = "health";
    private static final String SECRET = "secret";
    private static final Duration CHANGE = Duration.ofSeconds(10);

    private SeContainer container;

    /** Injects the service, so that its client is bound when the application starts. */
    @ApplicationScoped
    public static class Caller {
        @Inject
        @Service(SERVICE)
        ServiceClient client;
    }

    @BeforeEach
    void configure() {
        FakeBootstrap.installConfig(Map.of("brubeck.service." + SERVICE + ".endpoint", "tcp://127.0.0.1:*",
                "brubeck.service." + SERVICE + ".passphrase", SECRET));
    }

    @AfterEach
    void stop() {
        if (container != null) {
            container.close();
        }
        FakeBootstrap.uninstallConfig();
    }

    private void start(Class<?>... beans) {
        container = SeContainerInitializer.newInstance().disableDiscovery()
                .addExtensions(new BrubeckServiceExtension()).addBeanClasses(beans).initialize();
    }

    private HealthCheck readiness() {
        return container.select(HealthCheck.class, Readiness.Literal.INSTANCE).get();
    }

    private HealthCheck liveness() {
        return container.select(HealthCheck.class, Liveness.Literal.INSTANCE).get();
    }

    private ServiceClient client() {
        return container.select(ServiceRuntime.class).get().client(SERVICE);
    }

    private ServiceWorker worker(String endpoint) {
        RouteTable<RequestHandler> routes = RouteTable.<RequestHandler>builder()
                .route("^/work$", Method.REQUEST, request -> ServiceReply.ok("done")).build();
        return ServiceWorker.start(WorkerConfig.builder(SERVICE).endpoints(endpoint).passphrase(SECRET)
                .routes(routes).build());
    }

    private static void awaitStatus(HealthCheck check, HealthCheckResponse.Status status) {
        Supplier<String> last = () -> ": " + describe(check.call());
        Await.until(CHANGE, "the check to be " + status, () -> check.call().getStatus() == status, last);
    }

    private static void awaitData(HealthCheck check, Map<String, Object> data) {
        Supplier<String> last = () -> ": " + describe(check.call());
        Await.until(CHANGE, "the check to report " + data, () -> data.equals(check.call().getData().orElse(Map.of())), last);
    }

    private static String describe(HealthCheckResponse response) {
        return response.getName() + " " + response.getStatus() + " " + response.getData().orElse(Map.of());
    }

    private static void assertResponse(HealthCheckResponse.Status status, Map<String, Object> data, HealthCheckResponse response) {
        assertEquals("brubeck-service", response.getName());
        assertEquals(status, response.getStatus(), describe(response));
        assertEquals(data, response.getData().orElseThrow(), describe(response));
    }

    @Test
    void bothChecksAreBeansWithTheirQualifiers() {
        start(Caller.class);

        BeanManager beans = container.getBeanManager();
        assertEquals(2, beans.getBeans(HealthCheck.class, Any.Literal.INSTANCE).size());
        Bean<?> readiness = beans.resolve(beans.getBeans(HealthCheck.class, Readiness.Literal.INSTANCE));
        assertEquals(Set.of(Readiness.Literal.INSTANCE, Any.Literal.INSTANCE), readiness.getQualifiers());
        assertEquals(ServiceReadinessCheck.class, readiness.getBeanClass(), "the class a server names it by");
        Bean<?> liveness = beans.resolve(beans.getBeans(HealthCheck.class, Liveness.Literal.INSTANCE));
        assertEquals(Set.of(Liveness.Literal.INSTANCE, Any.Literal.INSTANCE), liveness.getQualifiers());
        assertEquals(ServiceLivenessCheck.class, liveness.getBeanClass(), "the class a server names it by");
        assertEquals(HealthCheckResponse.Status.DOWN, readiness().call().getStatus(), "no worker is connected");
        assertEquals(HealthCheckResponse.Status.UP, liveness().call().getStatus());
    }

    @Test
    void bothChecksAnswerWhileTheRuntimeIsBusyStarting() throws Exception {
        start(Caller.class);
        HealthCheck readiness = readiness();
        HealthCheck liveness = liveness();
        // The runtime holds this lock while it binds its clients and connects its worker, which may wait
        // for the name service; readiness reads without it.
        Object runtime = ((WeldClientProxy) container.select(ServiceRuntime.class).get()).getMetadata().getContextualInstance();
        Field lockField = ServiceRuntime.class.getDeclaredField("lock");
        lockField.setAccessible(true);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<HealthCheckResponse> answer;
            synchronized (lockField.get(runtime)) {
                answer = other.submit(readiness::call);
                assertResponse(HealthCheckResponse.Status.DOWN,
                        Map.of("health.workers", 0L, "health.queued", 0L, "health.inFlight", 0L),
                        answer.get(CHANGE.toMillis(), TimeUnit.MILLISECONDS));
                assertResponse(HealthCheckResponse.Status.UP, Map.of("client.health", "running"),
                        other.submit(liveness::call).get(CHANGE.toMillis(), TimeUnit.MILLISECONDS));
            }
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void readinessIsDownWithoutAWorkerUpOnceOneConnectedAndDownAgainAfterItClosed() {
        start(Caller.class);
        HealthCheck readiness = readiness();
        assertResponse(HealthCheckResponse.Status.DOWN,
                Map.of("health.workers", 0L, "health.queued", 0L, "health.inFlight", 0L), readiness.call());

        String endpoint = container.select(ServiceRuntime.class).get().boundEndpoint(SERVICE).orElseThrow();
        ServiceWorker worker = worker(endpoint);
        try (worker) {
            awaitStatus(readiness, HealthCheckResponse.Status.UP);
            assertResponse(HealthCheckResponse.Status.UP,
                    Map.of("health.workers", 1L, "health.queued", 0L, "health.inFlight", 0L), readiness.call());
        }

        awaitStatus(readiness, HealthCheckResponse.Status.DOWN);
        assertResponse(HealthCheckResponse.Status.DOWN,
                Map.of("health.workers", 0L, "health.queued", 0L, "health.inFlight", 0L), readiness.call());
    }

    /** Injects a second service too, one whose workers readiness does not require. */
    @ApplicationScoped
    public static class CallerOfAnOptionalService {
        @Inject
        @Service(SERVICE)
        ServiceClient client;
        @Inject
        @Service("optional")
        ServiceClient optional;
    }

    @Test
    void aServiceWhoseWorkersReadinessDoesNotRequireIsReportedButDoesNotMakeItDown() {
        FakeBootstrap.installConfig(Map.of("brubeck.service." + SERVICE + ".endpoint", "tcp://127.0.0.1:*",
                "brubeck.service." + SERVICE + ".passphrase", SECRET,
                "brubeck.service.optional.endpoint", "tcp://127.0.0.1:*",
                "brubeck.service.optional.passphrase", SECRET,
                "brubeck.service.optional.readiness-requires-workers", "false"));
        start(CallerOfAnOptionalService.class);
        HealthCheck readiness = readiness();
        Map<String, Object> optional = Map.of("optional.workers", 0L, "optional.queued", 0L, "optional.inFlight", 0L,
                "optional.readinessRequiresWorkers", false);
        Map<String, Object> withoutWorker = new HashMap<>(optional);
        withoutWorker.putAll(Map.of("health.workers", 0L, "health.queued", 0L, "health.inFlight", 0L));
        assertResponse(HealthCheckResponse.Status.DOWN, withoutWorker, readiness.call());

        String endpoint = container.select(ServiceRuntime.class).get().boundEndpoint(SERVICE).orElseThrow();
        try (ServiceWorker worker = worker(endpoint)) {
            awaitStatus(readiness, HealthCheckResponse.Status.UP);
            Map<String, Object> withWorker = new HashMap<>(optional);
            withWorker.putAll(Map.of("health.workers", 1L, "health.queued", 0L, "health.inFlight", 0L));
            assertResponse(HealthCheckResponse.Status.UP, withWorker, readiness.call());
        }
    }

    @Test
    void livenessIsUpWithoutAnyWorker() {
        start(Caller.class);

        assertResponse(HealthCheckResponse.Status.UP, Map.of("client.health", "running"), liveness().call());
    }

    @Test
    void bothAreDownOnceAClientsSocketThreadDied() throws Exception {
        try (SocketThreadTrap trap = SocketThreadTrap.killingClient(SERVICE)) {
            start(Caller.class);
            Thread socketThread = trap.socketThread();

            client().request("/work").timeout(Duration.ofMillis(50)).sendNoWait();
            socketThread.join(CHANGE.toMillis());

            assertResponse(HealthCheckResponse.Status.DOWN, Map.of("client.health", "stopped"), liveness().call());
            assertResponse(HealthCheckResponse.Status.DOWN,
                    Map.of("health.reason", "The client of service 'health' stopped after a failure (see its log)"),
                    readiness().call());
        }
    }

    @Test
    void readinessWaitsASecondAtMostForAServiceThatDoesNotAnswerAndLivenessReportsTheStuckThreadOnceStalled() throws Exception {
        start(Caller.class);
        try (SocketThreadTrap trap = SocketThreadTrap.hangingClient(SERVICE)) {
            client().request("/work").timeout(Duration.ofMillis(50)).sendNoWait();
            trap.awaitSprung(CHANGE);

            long start = System.nanoTime();
            HealthCheckResponse ready = readiness().call();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertResponse(HealthCheckResponse.Status.DOWN, Map.of("health.reason", "no status within 1000 ms"), ready);
            // at least the wait; the upper bound only catches a check that waits for the thread itself
            assertTrue(took.compareTo(Duration.ofMillis(900)) > 0 && took.compareTo(Duration.ofSeconds(10)) < 0,
                    "took " + took);
            assertResponse(HealthCheckResponse.Status.UP, Map.of("client.health", "running"), liveness().call());

            // Alive but stuck past the stall limit (10 s at this heartbeat): liveness says so, so it is restarted.
            Await.until(Duration.ofSeconds(30), "liveness to report the stuck thread",
                    () -> liveness().call().getStatus() == HealthCheckResponse.Status.DOWN);
            assertResponse(HealthCheckResponse.Status.DOWN, Map.of("client.health", "stalled"), liveness().call());
        }
    }

    @ServiceRoute("^/work$")
    public static class WorkerRoute {
        public String request(ServiceRequest request) {
            return "done";
        }
    }

    @Test
    void aWorkerOnlyApplicationIsReadyWhetherOrNotAClientHasAcceptedItsWorkerAndSaysHowMany() {
        ServiceClientEndpoint client = ServiceClientEndpoint.start(
                ClientConfig.builder("jobs").endpoint("tcp://127.0.0.1:*").passphrase(SECRET).build());
        try (client) {
            FakeBootstrap.installConfig(Map.of("brubeck.worker.connect", client.endpoint(),
                    "brubeck.worker.service", "jobs", "brubeck.worker.passphrase", SECRET));
            start(WorkerRoute.class);

            awaitData(readiness(), Map.of("worker.jobs.clients", 1L));
            assertResponse(HealthCheckResponse.Status.UP, Map.of("worker.jobs.clients", 1L), readiness().call());
            assertResponse(HealthCheckResponse.Status.UP, Map.of("worker.jobs", "running"), liveness().call());
        }

        awaitData(readiness(), Map.of("worker.jobs.clients", 0L));
        assertResponse(HealthCheckResponse.Status.UP, Map.of("worker.jobs.clients", 0L), readiness().call());
        assertResponse(HealthCheckResponse.Status.UP, Map.of("worker.jobs", "running"), liveness().call());
    }

    @Test
    void whileTheWorkerDrainsReadinessIsDownSayingItIsStoppingAndLivenessIsUp() throws Exception {
        DrainedRoute.reset();
        ExecutorService closer = Executors.newSingleThreadExecutor();
        ServiceClientEndpoint client = ServiceClientEndpoint.start(
                ClientConfig.builder("jobs").endpoint("tcp://127.0.0.1:*").passphrase(SECRET).build());
        try (client) {
            FakeBootstrap.installConfig(Map.of("brubeck.worker.connect", client.endpoint(),
                    "brubeck.worker.service", "jobs", "brubeck.worker.passphrase", SECRET,
                    "brubeck.worker.shutdown-grace", "PT20S"));
            start(DrainedRoute.class);
            HealthCheck readiness = readiness();
            HealthCheck liveness = liveness();
            awaitData(readiness, Map.of("worker.jobs.clients", 1L));
            CompletionStage<ServiceResult> call = client.request("/slow")
                    .timeout(Duration.ofSeconds(20)).sendAsync();
            assertTrue(DrainedRoute.started.await(CHANGE.toSeconds(), TimeUnit.SECONDS), "the request runs");

            Future<?> closed = closer.submit(container::close);
            awaitData(readiness, Map.of("reason", "brubeck-service is stopping with the application"));
            assertEquals(HealthCheckResponse.Status.DOWN, readiness.call().getStatus());
            assertResponse(HealthCheckResponse.Status.UP, Map.of(), liveness.call());
            assertFalse(closed.isDone(), "the worker still drains its request");

            DrainedRoute.finish.countDown();
            assertEquals(200, call.toCompletableFuture().get(CHANGE.toSeconds(), TimeUnit.SECONDS).response().statusCode());
            closed.get(CHANGE.toSeconds(), TimeUnit.SECONDS);
            container = null;
            Map<String, Object> stopped = Map.of("reason", "brubeck-service has stopped with the application");
            assertResponse(HealthCheckResponse.Status.DOWN, stopped, readiness.call());
            assertResponse(HealthCheckResponse.Status.DOWN, stopped, liveness.call());
        } finally {
            DrainedRoute.finish.countDown();
            closer.shutdownNow();
        }
    }

    @Test
    void bothAreDownWithAReasonOnceTheRuntimeStopped() {
        start(Caller.class);
        ServiceRuntime runtime = container.select(ServiceRuntime.class).get();

        runtime.stop();

        Map<String, Object> stopped = Map.of("reason", "brubeck-service has stopped with the application");
        assertResponse(HealthCheckResponse.Status.DOWN, stopped, readiness().call());
        assertResponse(HealthCheckResponse.Status.DOWN, stopped, liveness().call());
    }
}
