package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.brubeck.it.support.KeptLog;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.ZContext;

/**
 * How a worker looks up the host names of its clients when it connects to them again: off its socket
 * thread, so that a name service that does not answer holds up only the connection whose name it is
 * asked for; retried whatever the failure; with the address chosen as ZeroMQ would. Only the name
 * service is played by the tests; the clients, workers and sockets are real.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkerNameLookupTest {
    private static final String HOST = "client.test";
    private static final String SERVICE = "lookup";

    private final Fixtures fixtures = new Fixtures(Duration.ofMillis(100), 10);
    /** Lets the lookups that hang answer. */
    private final CountDownLatch nameServiceAnswers = new CountDownLatch(1);
    private final AtomicBoolean nameServiceHangs = new AtomicBoolean();
    private final AtomicInteger lookups = new AtomicInteger();
    private final KeptLog warnings = KeptLog.of(WorkerLoop.class, Level.WARNING);

    @AfterEach
    void closeAll() throws Exception {
        warnings.close();
        nameServiceAnswers.countDown();
        fixtures.close();
    }

    @Test
    void aWorkerWaitingForOneClientsNameToResolveServesItsOtherClients() throws Exception {
        ServiceClientEndpoint named = fixtures.client(SERVICE);
        ServiceClientEndpoint other = fixtures.client(SERVICE);
        fixtures.track(ServiceWorker.start(workerConfig(named).endpoints(endpointByName(named), other.endpoint()).build(),
                this::loopbackUnlessHanging));
        Fixtures.awaitWorkers(named, 1);
        Fixtures.awaitWorkers(other, 1);

        nameServiceHangs.set(true);
        named.close(); // the worker connects again, and has to look the name up again
        Fixtures.awaitCondition(Duration.ofSeconds(10), "the worker to look the name up again", () -> lookups.get() == 2);

        // Three liveness windows: a worker whose socket thread waited for the lookup would answer
        // nothing and be dropped by the other client within one.
        long until = System.nanoTime() + 3 * fixtures.livenessWindow().toNanos();
        int calls = 0;
        while (System.nanoTime() - until < 0) {
            assertEquals("pong", other.request("/ping").timeout(Duration.ofSeconds(1)).send().response().statusMessage());
            assertEquals(1, other.status().toCompletableFuture().join().workers().size(), "the other client keeps the worker");
            calls++;
        }
        assertTrue(calls > 0);
        assertEquals(2, lookups.get(), "one lookup at a time for a connection");
        Fixtures.awaitCondition(Duration.ofSeconds(5), "a warning about the slow lookup",
                () -> warnings.messages().stream().anyMatch(w -> w.contains("for the name service to look up the host of tcp://" + HOST)));

        nameServiceAnswers.countDown();
        ServiceClientEndpoint restarted = restart(named);
        Fixtures.awaitWorkers(restarted, 1);
        assertEquals("pong", restarted.request("/ping").timeout(Duration.ofSeconds(5)).send().response().statusMessage());
    }

    /**
     * A client whose name does not resolve yet as the worker starts (its container is not up) does not keep the
     * worker from starting and serving its other clients: the worker warns once, and joins that client once its
     * name resolves.
     */
    @Test
    void aWorkerStartsAndServesItsOtherClientsWhileOneClientsNameDoesNotResolveYet() throws Exception {
        ServiceClientEndpoint named = fixtures.client(SERVICE);
        ServiceClientEndpoint other = fixtures.client(SERVICE);
        AtomicBoolean resolves = new AtomicBoolean();
        fixtures.track(ServiceWorker.start(workerConfig(named).endpoints(endpointByName(named), other.endpoint()).build(),
                host -> {
                    lookups.incrementAndGet();
                    if (!resolves.get()) {
                        throw new UnknownHostException(host + ": not known yet");
                    }
                    return loopback(host);
                }));

        Fixtures.awaitWorkers(other, 1);
        assertEquals("pong", other.request("/ping").timeout(Duration.ofSeconds(5)).send().response().statusMessage());
        Fixtures.awaitCondition(Duration.ofSeconds(5), "the worker to look the name up again", () -> lookups.get() >= 2);
        assertEquals(0, named.status().toCompletableFuture().join().workers().size());
        assertEquals(1, warnings.messages().stream().filter(w -> w.contains("cannot connect to tcp://" + HOST)
                && w.contains("its host name does not resolve")).count(), warnings.messages().toString());

        resolves.set(true);
        Fixtures.awaitWorkers(named, 1);
        assertEquals("pong", named.request("/ping").timeout(Duration.ofSeconds(5)).send().response().statusMessage());
    }

    @Test
    void aLookupThatEndsInAnErrorIsTriedAgainLikeAnyFailedLookup() throws Exception {
        ServiceClientEndpoint first = fixtures.client(SERVICE);
        fixtures.track(ServiceWorker.start(workerConfig(first).endpoints(endpointByName(first)).build(), host -> {
            if (lookups.incrementAndGet() == 2) {
                throw new ExceptionInInitializerError("a name service provider failed to load");
            }
            return loopback(host);
        }));
        Fixtures.awaitWorkers(first, 1);

        first.close(); // the worker's second lookup fails with an Error
        ServiceClientEndpoint restarted = restart(first);

        Fixtures.awaitWorkers(restarted, 1);
        assertTrue(warnings.messages().stream().anyMatch(w -> w.contains("ExceptionInInitializerError")), warnings.messages().toString());
    }

    @Test
    void aFailedLookupIsTriedAgainAfterFiveSecondsWhenHeartbeatsAreFurtherApart() throws Exception {
        // Beats every 20 s: the worker's first beat after its start is 20 s away. The lookup that
        // follows the client's restart fails once; the next one is due 5 s later, not at that beat.
        Fixtures rare = new Fixtures(Duration.ofSeconds(20), 2);
        fixtures.track(rare);
        ServiceClientEndpoint first = rare.client(SERVICE);
        fixtures.track(ServiceWorker.start(rare.workerConfig(first, pong()).endpoints(endpointByName(first)).build(), host -> {
            if (lookups.incrementAndGet() == 2) {
                throw new UnknownHostException(host + ": not known just now");
            }
            return loopback(host);
        }));
        Fixtures.awaitWorkers(first, 1);

        first.close();
        Fixtures.awaitCondition(Duration.ofSeconds(5), "the lookup to fail", () -> lookups.get() == 2);
        long failedAt = System.nanoTime();
        ServiceClientEndpoint restarted = rare.client(rare.clientConfig(SERVICE).endpoint(first.endpoint()).build());

        Fixtures.awaitWorkers(restarted, 1);
        long rejoinedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - failedAt);
        assertTrue(rejoinedAfterMillis < 9_000, "rejoined " + rejoinedAfterMillis + " ms after the failed lookup");
    }

    @Test
    void aWorkerInAnIPv6ContextReachesAClientWhoseNameHasOnlyAnIPv6Address() throws Exception {
        assumeTrue(ipv6LoopbackWorks(), "this machine has no IPv6 loopback");
        ZContext context = fixtures.track(ZeroMqContexts.create());
        context.getContext().setIPv6(true);
        ServiceClientEndpoint client = fixtures.track(ServiceClientEndpoint.start(
                fixtures.clientConfig(SERVICE).endpoint("tcp://[::1]:*").build(), context));
        fixtures.track(ServiceWorker.start(workerConfig(client).endpoints(endpointByName(client)).build(), context,
                host -> new InetAddress[] {InetAddress.getByAddress(host, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})}));

        Fixtures.awaitWorkers(client, 1);
        assertEquals("pong", client.request("/ping").timeout(Duration.ofSeconds(5)).send().response().statusMessage());
    }

    /**
     * An IPv6 address needs nothing turned on: a client binds to one, and a worker connects to one, given as such
     * or as the only address of a name, in ZeroMQ contexts of their own whose IPv6 option is off.
     */
    @Test
    void clientsAndWorkersReachEachOtherOverIPv6WithoutTheContextsIPv6Option() throws Exception {
        assumeTrue(ipv6LoopbackWorks(), "this machine has no IPv6 loopback");
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig(SERVICE).endpoint("tcp://[::1]:*").build());
        fixtures.worker(workerConfig(client).label("literal").build());
        fixtures.track(ServiceWorker.start(workerConfig(client).endpoints(endpointByName(client)).label("named").build(),
                host -> new InetAddress[] {InetAddress.getByAddress(host, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})}));

        Fixtures.awaitWorkers(client, 2);
        assertEquals("pong", client.request("/ping").timeout(Duration.ofSeconds(5)).send().response().statusMessage());
    }

    private WorkerConfig.Builder workerConfig(ServiceClientEndpoint client) {
        return fixtures.workerConfig(client, pong());
    }

    private static RouteTable<RequestHandler> pong() {
        return Fixtures.routes("^/ping$", request -> ServiceReply.ok("pong"));
    }

    /** The client's endpoint with its host given by name. */
    private static String endpointByName(ServiceClientEndpoint client) {
        return "tcp://" + HOST + client.endpoint().substring(client.endpoint().lastIndexOf(':'));
    }

    /**
     * A client bound where {@code stopped} was, as after a restart: the same port, since the worker is
     * told where its client is. Another process could take the port meanwhile, as on any host.
     */
    private ServiceClientEndpoint restart(ServiceClientEndpoint stopped) {
        return fixtures.client(fixtures.clientConfig(SERVICE).endpoint(stopped.endpoint()).build());
    }

    /** Every name is the loopback address; while the name service hangs, a lookup waits until it answers. */
    private InetAddress[] loopbackUnlessHanging(String host) throws UnknownHostException {
        lookups.incrementAndGet();
        if (nameServiceHangs.get()) {
            try {
                nameServiceAnswers.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnknownHostException(host + ": interrupted");
            }
        }
        return loopback(host);
    }

    private static boolean ipv6LoopbackWorks() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static InetAddress[] loopback(String host) throws UnknownHostException {
        return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
    }
}
