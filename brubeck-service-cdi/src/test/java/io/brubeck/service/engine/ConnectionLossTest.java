package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.api.ServiceUnavailableException;
import io.brubeck.service.wire.MalformedMessageException;
import io.brubeck.service.wire.MessageAuthenticator;
import io.brubeck.service.wire.MessageCodec;
import io.brubeck.service.wire.WireMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * When a connection closes or breaks, each side ends its session long before the other's silence limit
 * (PROTOCOL §7.5): the client drops the worker at its next send there, at the latest its next heartbeat,
 * and settles its calls; a registered worker learns from ZeroMQ that the connection broke and announces
 * itself again at once, rather than at its next heartbeat there, which these tests make 10 s.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionLossTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /**
     * Well within every silence limit here, and beyond how long a loaded machine takes to notice a close
     * (a connection whose handshake stalls is redone after 1 s).
     */
    private static final Duration AT_ONCE = Duration.ofSeconds(5);
    private static final Duration WORKER_HEARTBEAT = Duration.ofSeconds(10);

    /**
     * The client beats every 200 ms; a fake worker every 100 ms, so that the client drops one that falls
     * silent after 10 s.
     */
    private final Fixtures fixtures = new Fixtures(Duration.ofMillis(200), 100);
    private final MessageCodec codec = new MessageCodec(new MessageAuthenticator(Fixtures.SECRET));
    private final ZContext rawContext = fixtures.track(new ZContext(1));

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    @Test
    void theCallOfAWorkerWhoseConnectionClosesFailsLongBeforeItsSilenceLimit() throws Exception {
        ServiceClientEndpoint client = fixtures.client("closing");
        FakeWorker fake = fixtures.track(new FakeWorker(client.endpoint(), "closing", Fixtures.SECRET, 1));
        Fixtures.awaitWorkers(client, 1);
        CompletableFuture<ServiceResult> call = client.request("/work").timeout(WAIT).sendAsync().toCompletableFuture();
        assertNotNull(fake.nextRequest(WAIT.toMillis()), "the fake worker got the call");

        long closedAt = System.nanoTime();
        fake.close(); // as a process that dies: its connection closes, without a goodbye, and a send to it fails

        ExecutionException failure = assertThrows(ExecutionException.class, () -> call.get(WAIT.toMillis(),
                TimeUnit.MILLISECONDS));
        assertInstanceOf(ServiceUnavailableException.class, failure.getCause());
        assertTrue(failure.getCause().getMessage().contains("became unavailable"), failure.getCause().getMessage());
        assertTookLessThan(AT_ONCE, closedAt, "the call to fail");
        assertEquals(List.of(), client.status().toCompletableFuture().join().workers());
    }

    @Test
    void anIdempotentCallOfAWorkerWhoseConnectionClosesGoesToAnotherWorkerLongBeforeItsSilenceLimit() throws Exception {
        ServiceClientEndpoint client = fixtures.client("resending");
        FakeWorker fake = fixtures.track(new FakeWorker(client.endpoint(), "resending", Fixtures.SECRET, 1));
        Fixtures.awaitWorkers(client, 1);
        CompletableFuture<ServiceResult> call = client.request("/work").idempotent().timeout(WAIT).sendAsync()
                .toCompletableFuture();
        assertNotNull(fake.nextRequest(WAIT.toMillis()), "the fake worker got the call first");
        fixtures.worker(client, Fixtures.routes("^/work$", request -> ServiceReply.ok("done by the other")));
        Fixtures.awaitWorkers(client, 2);

        long closedAt = System.nanoTime();
        fake.close();

        assertEquals("done by the other", call.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).response().statusMessage());
        assertTookLessThan(AT_ONCE, closedAt, "the call to be answered by the other worker");
    }

    /**
     * The network between a live client and a live worker breaks: the client fails the call in flight, and the
     * worker announces itself again at once through the repaired network, so that the next call is answered.
     */
    @Test
    void aWorkerWhoseConnectionBreaksAnnouncesItselfAgainAtOnce() throws Exception {
        ServiceClientEndpoint client = fixtures.client("broken");
        RecordingRelay network = fixtures.track(new RecordingRelay(client.endpoint()));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RouteTable<RequestHandler> routes = RouteTable.<RequestHandler>builder()
                .route("^/slow$", Method.REQUEST, request -> {
                    started.countDown();
                    release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    return ServiceReply.ok("slow");
                })
                .route("^/fast$", Method.REQUEST, request -> ServiceReply.ok("fast"))
                .build();
        fixtures.worker(fixtures.workerConfig(client, routes).endpoints(network.endpoint())
                .heartbeatInterval(WORKER_HEARTBEAT).build());
        Fixtures.awaitWorkers(client, 1);
        try {
            CompletableFuture<ServiceResult> call = client.request("/slow").timeout(WAIT).sendAsync()
                    .toCompletableFuture();
            assertTrue(started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the worker started the call");

            long brokenAt = System.nanoTime();
            network.cutConnections();

            ExecutionException failure = assertThrows(ExecutionException.class, () -> call.get(WAIT.toMillis(),
                    TimeUnit.MILLISECONDS));
            assertInstanceOf(ServiceUnavailableException.class, failure.getCause());
            assertEquals("fast", client.request("/fast").timeout(WAIT).send().response().statusMessage());
            assertTookLessThan(AT_ONCE, brokenAt, "the worker to join again and answer");
        } finally {
            release.countDown(); // before the worker closes, which waits for its handlers
        }
    }

    /**
     * A worker that is stopping waits for the client to answer its goodbye; a client whose end of the connection
     * closes (it died) never will, and the worker stops at once rather than at its silence limit (30 s here).
     */
    @Test
    void aStoppingWorkerWhoseConnectionClosesDoesNotWaitForItsGoodbyeToBeAnswered() throws Exception {
        ZMQ.Socket router = rawContext.createSocket(SocketType.ROUTER);
        router.setLinger(0);
        router.setReceiveTimeOut(50);
        router.bind("tcp://127.0.0.1:*");
        ServiceWorker worker = fixtures.worker(WorkerConfig.builder("dying-client").endpoints(router.getLastEndpoint())
                .passphrase(Fixtures.SECRET).heartbeatInterval(WORKER_HEARTBEAT).liveness(3)
                .shutdownGrace(Duration.ofSeconds(30)).routes(Fixtures.routes("^/work$", request -> ServiceReply.ok("")))
                .build());
        assertInstanceOf(WireMessage.Ready.class, awaitFromWorker(router));

        CompletableFuture<Void> closed = CompletableFuture.runAsync(worker::close);
        assertInstanceOf(WireMessage.Disconnect.class, awaitFromWorker(router), "the worker says goodbye");
        long clientGoneAt = System.nanoTime();
        router.close(); // unanswered

        closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertTookLessThan(AT_ONCE, clientGoneAt, "the worker to stop");
    }

    private static void assertTookLessThan(Duration limit, long sinceNanos, String what) {
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
        assertTrue(tookMillis < limit.toMillis(), "it took " + tookMillis + " ms for " + what);
    }

    /** The next message the worker sends the raw client, decoded. */
    private WireMessage awaitFromWorker(ZMQ.Socket router) throws MalformedMessageException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            byte[] routingId = router.recv();
            if (routingId == null) {
                continue; // the socket's receive timeout
            }
            List<byte[]> frames = new ArrayList<>();
            while (router.hasReceiveMore()) {
                frames.add(router.recv());
            }
            return codec.decode(frames.toArray(new byte[0][]), frames.size());
        }
        throw new AssertionError("nothing came from the worker in " + WAIT);
    }
}
