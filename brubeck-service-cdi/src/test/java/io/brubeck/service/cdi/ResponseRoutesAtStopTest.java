package io.brubeck.service.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.Await;
import io.brubeck.it.support.KeptLog;
import io.brubeck.it.support.LibraryThreads;
import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.api.ServiceUnavailableException;
import io.brubeck.service.engine.ClientStatus;
import io.brubeck.service.engine.RouteTable;
import io.brubeck.service.engine.ServiceClientEndpoint;
import io.brubeck.service.engine.ServiceWorker;
import io.brubeck.service.engine.WorkerConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.concurrent.ContextService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import jakarta.inject.Inject;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No response route runs once the application has stopped, when its beans are destroyed: an answer whose route
 * had not started fails its asynchronous caller with a {@link ServiceUnavailableException} or, for a nowait
 * call, is dropped with one line in the log; a route running as the application stops finishes before the
 * beans are destroyed.
 */
@Timeout(60)
class ResponseRoutesAtStopTest {
    private static final String SERVICE = "stopping";
    private static final String SECRET = "a long enough secret";

    /** What the routes and beans saw; reset before each test. */
    static volatile CountDownLatch storeDestroyed;
    static volatile CountDownLatch slowRouteEntered;
    static final AtomicInteger ROUTES_RUNNING = new AtomicInteger();
    static final AtomicInteger ROUTES_STARTED = new AtomicInteger();
    static volatile int routesRunningWhenDestroyed;

    private SeContainer container;
    private ServiceWorker worker;

    @BeforeEach
    void reset() {
        storeDestroyed = new CountDownLatch(1);
        slowRouteEntered = new CountDownLatch(1);
        ROUTES_RUNNING.set(0);
        ROUTES_STARTED.set(0);
        routesRunningWhenDestroyed = -1;
        FakeBootstrap.installConfig(Map.of("brubeck.service." + SERVICE + ".endpoint", "tcp://127.0.0.1:*",
                "brubeck.service." + SERVICE + ".passphrase", SECRET));
    }

    @AfterEach
    void stop() {
        if (container != null && container.isRunning()) {
            container.close();
        }
        if (worker != null) {
            worker.close();
        }
        FakeBootstrap.uninstallConfig();
        TestNamingFactory.uninstall();
    }

    @ApplicationScoped
    public static class Store {
        private volatile boolean alive = true;

        public String get() {
            return alive ? "store ok" : "store destroyed";
        }

        @PreDestroy
        void destroy() {
            routesRunningWhenDestroyed = ROUTES_RUNNING.get();
            alive = false;
            storeDestroyed.countDown();
        }
    }

    @ApplicationScoped
    public static class Caller {
        @Inject
        @Service(SERVICE)
        ServiceClient client;

        ServiceClient client() {
            return client;
        }
    }

    @ServiceRoute("^/r")
    public static class Responses {
        @Inject
        Store store;

        public String response(ServiceResponse response) throws InterruptedException {
            ROUTES_STARTED.incrementAndGet();
            ROUTES_RUNNING.incrementAndGet();
            try {
                if (response.path().equals("/r/slow")) {
                    slowRouteEntered.countDown();
                    // Longer than the stop took before it waited for running routes, well within how long it waits.
                    storeDestroyed.await(2, TimeUnit.SECONDS);
                }
                return store.get();
            } finally {
                ROUTES_RUNNING.decrementAndGet();
            }
        }
    }

    /** Starts the application, and a worker of its service that answers every call at once. */
    private ServiceClient start() {
        container = SeContainerInitializer.newInstance().disableDiscovery().addExtensions(new BrubeckServiceExtension())
                .addBeanClasses(Store.class, Caller.class, Responses.class).initialize();
        ServiceRuntime runtime = container.select(ServiceRuntime.class).get();
        RequestHandler answer = request -> ServiceReply.ok("done");
        worker = ServiceWorker.start(WorkerConfig.builder(SERVICE).endpoints(runtime.boundEndpoint(SERVICE).orElseThrow())
                .passphrase(SECRET).concurrency(8)
                .routes(RouteTable.<RequestHandler>builder().route("^/", Method.REQUEST, answer).build()).build());
        Await.until(Duration.ofSeconds(10), "the worker to join", () -> status(runtime).workers().size() == 1);
        return container.select(Caller.class).get().client();
    }

    private static ClientStatus status(ServiceRuntime runtime) {
        try {
            return runtime.statusesFromSocketThreads().get(SERVICE).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void answersWhoseRouteHadNotStartedFailOrAreDroppedOnceTheApplicationHasStopped() throws Exception {
        // The application's context (as a Jakarta EE server's) runs the callbacks; holding it holds them, as
        // callback threads busy until after the stop would.
        CountDownLatch releaseCallbacks = new CountDownLatch(1);
        TestNamingFactory.install();
        TestNamingFactory.bind(ApplicationContextCapture.CONTEXT_SERVICE, holdingContextService(releaseCallbacks));
        ServiceClient client = start();
        ServiceRuntime runtime = container.select(ServiceRuntime.class).get();

        try (KeptLog log = KeptLog.of(Level.WARNING, ServiceClientEndpoint.class, ServiceRuntime.class)) {
            holding = true;
            List<CompletableFuture<ServiceResult>> calls = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                calls.add(client.request("/r/async").sendAsync().toCompletableFuture());
            }
            for (int i = 0; i < 3; i++) {
                client.request("/r/nowait").sendNoWait();
            }
            Await.until(Duration.ofSeconds(10), "the five answers to come", () -> {
                ClientStatus status = status(runtime);
                return status.inFlight() == 0 && status.queued() == 0;
            });
            container.close();
            assertFalse(container.isRunning(), "the application has stopped, its beans destroyed");

            releaseCallbacks.countDown();
            for (CompletableFuture<ServiceResult> call : calls) {
                ExecutionException failure = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
                ServiceUnavailableException unavailable = assertInstanceOf(ServiceUnavailableException.class, failure.getCause());
                assertEquals("Service '" + SERVICE + "' answered /r/async (200), but its response route did not run: "
                        + "brubeck-service has stopped with the application", unavailable.getMessage());
            }
            Await.until(Duration.ofSeconds(10), "the callback threads to end, their callbacks run", () ->
                    LibraryThreads.alive().stream().noneMatch(name -> name.startsWith("brubeck-callback-" + SERVICE)));
            assertEquals(0, ROUTES_STARTED.get(), "no route ran");
            List<LogRecord> lines = log.records();
            assertEquals(1, lines.size(), "one line, for the dropped nowait answers: " + log.messages());
            assertTrue(lines.get(0).getMessage().startsWith("Service '" + SERVICE + "' answered /r/nowait (200), but its "
                    + "response route did not run: brubeck-service has stopped with the application"), lines.get(0).getMessage());
            assertNull(lines.get(0).getThrown(), "no stack trace");
        } finally {
            releaseCallbacks.countDown();
        }
    }

    /** Set once the test holds the callbacks: until then (the worker joining) they run. */
    private static volatile boolean holding;

    /** A context service whose executor runs each callback once it is released, while {@link #holding}. */
    private static ContextService holdingContextService(CountDownLatch release) {
        holding = false;
        Executor holdingExecutor = task -> {
            if (holding) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            task.run();
        };
        return (ContextService) Proxy.newProxyInstance(ContextService.class.getClassLoader(),
                new Class<?>[] {ContextService.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("currentContextExecutor")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return holdingExecutor;
                });
    }

    @Test
    void aRouteRunningAsTheApplicationStopsFinishesBeforeItsBeansAreDestroyed() throws Exception {
        ServiceClient client = start();

        try (KeptLog log = KeptLog.of(Level.WARNING, ServiceClientEndpoint.class, ServiceRuntime.class)) {
            CompletableFuture<ServiceResult> slow = client.request("/r/slow").sendAsync().toCompletableFuture();
            assertTrue(slowRouteEntered.await(10, TimeUnit.SECONDS));
            container.close();

            assertEquals(Optional.of("store ok"), slow.get(10, TimeUnit.SECONDS).handlerResponse(String.class));
            assertEquals(0, routesRunningWhenDestroyed, "no route ran when the beans were destroyed");
            assertEquals(List.of(), log.messages());
        }
    }
}
