package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.brubeck.service.api.ServiceReply;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Nothing interrupts a socket thread on purpose, but an interrupt that reaches one anyway (user code run on it, as
 * a callback at close) neither stops its client or worker nor keeps ZeroMQ from terminating its context.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketThreadInterruptTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Fixtures fixtures = new Fixtures();

    @AfterEach
    void closeAll() {
        fixtures.close();
    }

    @Test
    void aClientGoesOnServingAfterItsSocketThreadIsInterrupted() {
        ServiceClientEndpoint client = clientAndWorker("interrupted-client");

        Fixtures.thread("brubeck-client-interrupted-client").interrupt();

        assertCallsAreAnswered(client);
    }

    @Test
    void aWorkerGoesOnServingAfterItsSocketThreadIsInterrupted() {
        ServiceClientEndpoint client = clientAndWorker("interrupted-worker");

        Fixtures.thread("brubeck-worker-interrupted-worker").interrupt();

        assertCallsAreAnswered(client);
    }

    /**
     * A client whose socket thread is slow to stop has its callback pool shut down by close(), so the thread runs
     * the callbacks of the calls it fails itself; one of them keeps an interrupt, as code that caught an
     * InterruptedException does.
     */
    @Test
    void aCallbackThatLeavesTheSocketThreadInterruptedAtCloseDoesNotKeepTheContextRunning() throws Exception {
        Set<Thread> zeroMqThreadsBefore = zeroMqThreads();
        ServiceClientEndpoint client = fixtures.client("interrupting-callback");
        Set<Thread> ownZeroMqThreads = zeroMqThreads();
        ownZeroMqThreads.removeAll(zeroMqThreadsBefore);
        CompletableFuture<String> callbackThread = new CompletableFuture<>();
        client.request("/never-answered").sendAsync().whenComplete((result, failure) -> {
            callbackThread.complete(Thread.currentThread().getName());
            Thread.currentThread().interrupt();
        });
        Thread socketThread;
        try (SocketThreadTrap trap = SocketThreadTrap.hangingClient("interrupting-callback")) {
            socketThread = trap.socketThread();
            client.request("/work").timeout(Duration.ofMillis(50)).sendNoWait(); // no worker: its failure is logged
            trap.awaitSprung(WAIT);
            client.close(); // gives up waiting for the held thread, and shuts the callback pool down
        }

        assertEquals(socketThread.getName(), callbackThread.get(WAIT.toMillis(), TimeUnit.MILLISECONDS),
                "the callback ran on the socket thread, as the pool had been shut down");
        Fixtures.join(socketThread, WAIT.toMillis());
        assertFalse(socketThread.isAlive(), "the socket thread ended");
        Fixtures.awaitCondition(WAIT, "the client's ZeroMQ threads to end",
                () -> ownZeroMqThreads.stream().noneMatch(Thread::isAlive));
    }

    private ServiceClientEndpoint clientAndWorker(String service) {
        ServiceClientEndpoint client = fixtures.client(service);
        fixtures.worker(client, Fixtures.routes("^/work$", request -> ServiceReply.ok("done")));
        Fixtures.awaitWorkers(client, 1);
        return client;
    }

    private static void assertCallsAreAnswered(ServiceClientEndpoint client) {
        for (int i = 0; i < 10; i++) {
            assertEquals("done", client.request("/work").send().response().statusMessage());
        }
    }

    private static Set<Thread> zeroMqThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(thread -> thread.getName().startsWith("brubeck-zmq-"))
                .collect(Collectors.toSet());
    }
}
