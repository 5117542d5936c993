package io.brubeck.service.engine;

import io.brubeck.it.support.Await;
import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Builds clients and workers on loopback with short heartbeats, and closes them after each test. */
final class Fixtures implements AutoCloseable {
    static final String SECRET = "test-secret";
    private final List<AutoCloseable> open = new ArrayList<>();
    private final Duration heartbeat;
    private final int liveness;

    /** Fixtures with the default one-second heartbeat, which tolerates a loaded machine. */
    Fixtures() {
        this(Duration.ofSeconds(1), 3);
    }

    /** Fixtures with a short heartbeat, for tests about liveness. */
    Fixtures(Duration heartbeat, int liveness) {
        this.heartbeat = heartbeat;
        this.liveness = liveness;
    }

    /** How long a peer may stay silent before the other side gives up on it. */
    Duration livenessWindow() {
        return heartbeat.multipliedBy(liveness);
    }

    ClientConfig.Builder clientConfig(String service) {
        return ClientConfig.builder(service).endpoint("tcp://127.0.0.1:*").passphrase(SECRET)
                .heartbeatInterval(heartbeat).liveness(liveness).timeout(Duration.ofSeconds(10));
    }

    ServiceClientEndpoint client(ClientConfig config) {
        return track(ServiceClientEndpoint.start(config));
    }

    ServiceClientEndpoint client(String service) {
        return client(clientConfig(service).build());
    }

    WorkerConfig.Builder workerConfig(ServiceClientEndpoint client, RouteTable<RequestHandler> routes) {
        return WorkerConfig.builder(client.serviceName()).endpoints(client.endpoint()).passphrase(SECRET)
                .heartbeatInterval(heartbeat).liveness(liveness).concurrency(2).routes(routes);
    }

    ServiceWorker worker(WorkerConfig config) {
        return track(ServiceWorker.start(config));
    }

    ServiceWorker worker(ServiceClientEndpoint client, RouteTable<RequestHandler> routes) {
        return worker(workerConfig(client, routes).build());
    }

    static RouteTable<RequestHandler> routes(String pattern, RequestHandler handler) {
        return RouteTable.<RequestHandler>builder().route(pattern, Method.REQUEST, handler).build();
    }

    <T extends AutoCloseable> T track(T resource) {
        open.add(resource);
        return resource;
    }

    /** Waits until a worker has joined the client, so a test starts from a known topology. */
    static void awaitWorkers(ServiceClientEndpoint client, int count) {
        awaitCondition(Duration.ofSeconds(10), "" + count + " workers to join " + client.serviceName(),
                () -> client.status().toCompletableFuture().join().workers().size() == count);
    }

    /** The worker's handler pool, to see what waits in it. */
    static HandlerPool handlerPool(ServiceWorker worker) throws ReflectiveOperationException {
        Field handlers = ServiceWorker.class.getDeclaredField("handlers");
        handlers.setAccessible(true);
        return (HandlerPool) handlers.get(worker);
    }

    /** A running thread, found by its name. */
    static Thread thread(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(thread -> thread.getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no thread named " + name));
    }

    static void awaitCondition(Duration limit, String what, BooleanSupplier condition) {
        Await.until(limit, what, condition);
    }

    /**
     * Waits up to {@code millis} for a thread to end. An interrupt (a test's timeout) fails the caller
     * unchecked, with the interrupt kept, so that a close() need not declare InterruptedException.
     */
    static void join(Thread thread, long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for thread " + thread.getName() + " to end", e);
        }
    }

    @Override
    public void close() {
        for (int i = open.size() - 1; i >= 0; i--) {
            AutoCloseable resource = open.get(i);
            try {
                resource.close();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) { // an interrupt included: unchecked, so that closing needs no InterruptedException
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("Closing " + resource + " failed", e);
            }
        }
    }
}
