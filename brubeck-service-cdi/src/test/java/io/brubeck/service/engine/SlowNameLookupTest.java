package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.ServiceReply;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A name service that does not answer holds up only the connection whose name it is asked for: while
 * a worker waits to learn where one client went, it goes on serving its other clients, which keep it.
 * Only the lookup is played by the test; the clients, worker and sockets are real.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlowNameLookupTest {
    private static final String HOST = "client.test";
    private static final String SERVICE = "lookup";

    private final Fixtures fixtures = new Fixtures(Duration.ofMillis(100), 10);
    /** Lets the lookups that hang answer. */
    private final CountDownLatch nameServiceAnswers = new CountDownLatch(1);
    private final AtomicBoolean nameServiceHangs = new AtomicBoolean();
    private final AtomicInteger hangingLookups = new AtomicInteger();

    @AfterEach
    void closeAll() throws Exception {
        nameServiceAnswers.countDown();
        fixtures.close();
    }

    @Test
    void aWorkerWaitingForOneClientsNameToResolveServesItsOtherClients() throws Exception {
        ServiceClientEndpoint named = fixtures.client(SERVICE);
        ServiceClientEndpoint other = fixtures.client(SERVICE);
        String port = named.endpoint().substring(named.endpoint().lastIndexOf(':') + 1);
        WorkerConfig config = fixtures.workerConfig(named, Fixtures.routes("^/ping$", request -> ServiceReply.ok("pong")))
                .endpoints("tcp://" + HOST + ":" + port, other.endpoint()).build();
        fixtures.track(ServiceWorker.start(config, this::loopbackAddressOf));
        Fixtures.awaitWorkers(named, 1);
        Fixtures.awaitWorkers(other, 1);

        nameServiceHangs.set(true);
        named.close(); // the worker connects again, and has to look the name up again
        Fixtures.awaitCondition(Duration.ofSeconds(10), "the worker to look the name up", () -> hangingLookups.get() == 1);

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
        assertEquals(1, hangingLookups.get(), "one lookup at a time for a connection");

        nameServiceAnswers.countDown();
        ServiceClientEndpoint restarted = fixtures.client(fixtures.clientConfig(SERVICE).endpoint(named.endpoint()).build());
        Fixtures.awaitWorkers(restarted, 1);
        assertEquals("pong", restarted.request("/ping").timeout(Duration.ofSeconds(5)).send().response().statusMessage());
    }

    /** Every name is the loopback address; while the name service hangs, a lookup waits until it answers. */
    private InetAddress[] loopbackAddressOf(String host) throws UnknownHostException {
        if (nameServiceHangs.get()) {
            hangingLookups.incrementAndGet();
            try {
                nameServiceAnswers.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnknownHostException(host + ": interrupted");
            }
        }
        return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
    }
}
