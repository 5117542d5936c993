package io.brubeck.service.engine;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.api.ServiceTimeoutException;
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
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A session ends with its connection (PROTOCOL §7.5): when a connection closes or breaks, the client
 * settles the calls of the worker on it at once, and the worker announces itself again at once. Neither
 * waits for its next heartbeat, which here comes 10 s after it started (a send to a connection that is
 * gone fails), nor for the other's silence, of at least 10 s.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionLossTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Well within every silence limit here, and well beyond how long a loaded machine takes to notice a close. */
    private static final Duration AT_ONCE = Duration.ofSeconds(3);
    /** The interval the raw peers announce: with the client's liveness, a silence limit of 100 s. */
    private static final int RAW_HEARTBEAT_MILLIS = 1000;

    /** A fake worker beats every 100 ms, so that the client drops one that falls silent after 10 s. */
    private final Fixtures fixtures = new Fixtures(Duration.ofSeconds(10), 100);
    private final MessageCodec codec = new MessageCodec(new MessageAuthenticator(Fixtures.SECRET));
    private final ZContext rawContext = fixtures.track(new ZContext(1));

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    @Test
    void theCallOfAWorkerWhoseConnectionClosesFailsAtOnce() throws Exception {
        ServiceClientEndpoint client = fixtures.client("closing");
        FakeWorker fake = fixtures.track(new FakeWorker(client.endpoint(), "closing", Fixtures.SECRET, 1));
        Fixtures.awaitWorkers(client, 1);
        CompletableFuture<ServiceResult> call = client.request("/work").timeout(WAIT).sendAsync().toCompletableFuture();
        assertNotNull(fake.nextRequest(WAIT.toMillis()), "the fake worker got the call");

        long closedAt = System.nanoTime();
        fake.close(); // as a process that dies: its connection closes, without a goodbye

        ExecutionException failure = assertThrows(ExecutionException.class, () -> call.get(WAIT.toMillis(),
                TimeUnit.MILLISECONDS));
        assertInstanceOf(ServiceUnavailableException.class, failure.getCause());
        assertTrue(failure.getCause().getMessage().contains("became unavailable"), failure.getCause().getMessage());
        assertTookLessThan(AT_ONCE, closedAt, "the call to fail");
        assertEquals(List.of(), client.status().toCompletableFuture().join().workers());
    }

    @Test
    void anIdempotentCallOfAWorkerWhoseConnectionClosesGoesToAnotherWorkerAtOnce() throws Exception {
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
     * The network between a live client and a live worker breaks: the client fails the call in flight at once,
     * and the worker announces itself again at once through the repaired network.
     */
    @Test
    void aBrokenConnectionEndsTheSessionAtBothEndsAtOnce() throws Exception {
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
        fixtures.worker(fixtures.workerConfig(client, routes).endpoints(network.endpoint()).build());
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
            assertTookLessThan(AT_ONCE, brokenAt, "the call to fail");
            Fixtures.awaitCondition(AT_ONCE, "the worker to join again", () -> client.status().toCompletableFuture()
                    .join().workers().size() == 1);
            assertEquals("fast", client.request("/fast").send().response().statusMessage());
        } finally {
            release.countDown(); // before the worker closes, which waits for its handlers
        }
    }

    /**
     * A worker that sets a routing id of its own goes away: its session ends with its connection, so that a
     * new connection under the same routing id cannot take it up by playing back the session's HEARTBEAT (which
     * travels in the clear without CURVE). The client answers it as a connection it does not know, and the call
     * that comes meanwhile waits for a worker that has joined.
     */
    @Test
    void aSessionCannotBeTakenUpUnderTheSameRoutingIdOnceItsConnectionClosed() throws Exception {
        ServiceClientEndpoint client = fixtures.client("fixed");
        byte[] routingId = "fixed-routing-id".getBytes(US_ASCII);
        byte[][] recordedBeat;
        long workerNonce;
        try (RawWorker worker = new RawWorker(client.endpoint(), routingId)) {
            worker.join("fixed");
            Fixtures.awaitWorkers(client, 1);
            recordedBeat = worker.session.encode(new WireMessage.Heartbeat(RAW_HEARTBEAT_MILLIS));
            workerNonce = worker.session.own();
        }
        Fixtures.awaitCondition(AT_ONCE, "the client to drop the worker whose connection closed",
                () -> client.status().toCompletableFuture().join().workers().isEmpty());
        CompletableFuture<ServiceResult> call = client.request("/work").timeout(Duration.ofSeconds(2)).sendAsync()
                .toCompletableFuture();

        try (RawWorker impostor = new RawWorker(client.endpoint(), routingId)) {
            // Sent again until answered: ZeroMQ takes a connection under a routing id once the last one under it is gone.
            Received answer = impostor.awaitMessage(message -> true, recordedBeat);
            assertInstanceOf(WireMessage.Disconnect.class, answer.message(), "the client does not know the connection");
            assertEquals(0, MessageCodec.senderNonce(answer.header()));
            assertEquals(workerNonce, MessageCodec.receiverNonce(answer.header()));

            ExecutionException failure = assertThrows(ExecutionException.class, () -> call.get(WAIT.toMillis(),
                    TimeUnit.MILLISECONDS));
            assertInstanceOf(ServiceTimeoutException.class, failure.getCause());
            assertEquals(List.of(), impostor.drainReceived().stream()
                    .filter(message -> message instanceof WireMessage.Request).toList(), "the impostor got no call");
        }
    }

    /** The one-frame notice, sent by a peer itself, ends its own session only, as closing its connection would. */
    @Test
    void aPeerThatSendsTheNoticeItselfEndsOnlyItsOwnSession() throws Exception {
        ServiceClientEndpoint client = fixtures.client("noticed");
        fixtures.worker(client, Fixtures.routes("^/work$", request -> ServiceReply.ok("served")));
        Fixtures.awaitWorkers(client, 1);
        try (RawWorker peer = new RawWorker(client.endpoint(), null)) {
            peer.join("noticed");
            Fixtures.awaitWorkers(client, 2);

            peer.send(new byte[][] {"brubeck: connection lost".getBytes(US_ASCII)});

            Fixtures.awaitCondition(AT_ONCE, "the client to end the peer's session", () -> client.status()
                    .toCompletableFuture().join().workers().stream().noneMatch(worker -> worker.label().equals("raw")));
            Received answer = peer.awaitMessage(message -> message instanceof WireMessage.Disconnect,
                    peer.session.encode(new WireMessage.Heartbeat(RAW_HEARTBEAT_MILLIS)));
            assertEquals(0, MessageCodec.senderNonce(answer.header()), "answered as a connection the client does not know");
            assertEquals("served", client.request("/work").send().response().statusMessage());
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
                .passphrase(Fixtures.SECRET).heartbeatInterval(Duration.ofSeconds(10)).liveness(3)
                .shutdownGrace(Duration.ofSeconds(30)).routes(Fixtures.routes("^/work$", request -> ServiceReply.ok("")))
                .build());
        assertInstanceOf(WireMessage.Ready.class, awaitFromWorker(router).message());

        CompletableFuture<Void> closed = CompletableFuture.runAsync(worker::close);
        assertInstanceOf(WireMessage.Disconnect.class, awaitFromWorker(router).message(), "the worker says goodbye");
        long clientGoneAt = System.nanoTime();
        router.close(); // unanswered

        closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertTookLessThan(AT_ONCE, clientGoneAt, "the worker to stop");
    }

    private static void assertTookLessThan(Duration limit, long sinceNanos, String what) {
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
        assertTrue(tookMillis < limit.toMillis(), "it took " + tookMillis + " ms for " + what);
    }

    private Received awaitFromWorker(ZMQ.Socket router) throws MalformedMessageException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<byte[]> frames = receive(router);
            if (frames != null) {
                frames.remove(0); // the routing id
                return decode(frames);
            }
        }
        throw new AssertionError("nothing came from the worker in " + WAIT);
    }

    private Received decode(List<byte[]> frames) throws MalformedMessageException {
        byte[][] array = frames.toArray(new byte[0][]);
        return new Received(codec.decode(array, array.length), array[0]);
    }

    /** A whole message, or null if none came within the socket's receive timeout. */
    private static List<byte[]> receive(ZMQ.Socket socket) {
        byte[] first = socket.recv();
        if (first == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>(List.of(first));
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv());
        }
        return frames;
    }

    private static void send(ZMQ.Socket socket, byte[][] frames) {
        for (int i = 0; i < frames.length; i++) {
            assertTrue(socket.send(frames[i], i < frames.length - 1 ? ZMQ.SNDMORE : 0), "sent");
        }
    }

    private record Received(WireMessage message, byte[] header) {
    }

    /** A worker at the protocol level, on a connection of its own, optionally under a routing id of its choosing. */
    private final class RawWorker implements AutoCloseable {
        private final ZMQ.Socket dealer;
        private final PeerSession session = new PeerSession(codec);
        private final List<WireMessage> received = new ArrayList<>();

        RawWorker(String endpoint, byte[] routingId) {
            dealer = rawContext.createSocket(SocketType.DEALER);
            dealer.setLinger(0);
            dealer.setReceiveTimeOut(50);
            dealer.setHandshakeIvl(1000); // JeroMQ 0.6.0 now and then leaves a new connection without its handshake
            if (routingId != null) {
                dealer.setIdentity(routingId);
            }
            dealer.connect(endpoint);
        }

        /** Announces itself and answers the client's first HEARTBEAT, which names the client's nonce. */
        void join(String service) throws MalformedMessageException {
            send(session.encode(new WireMessage.Ready(1, RAW_HEARTBEAT_MILLIS, 1 << 20, service, "raw")));
            awaitMessage(message -> message instanceof WireMessage.Heartbeat, null);
            send(session.encode(new WireMessage.Heartbeat(RAW_HEARTBEAT_MILLIS)));
        }

        void send(byte[][] frames) {
            ConnectionLossTest.send(dealer, frames);
        }

        /** Waits for a message the client sends, sending {@code prompt} (if any) now and every 200 ms until then. */
        Received awaitMessage(Predicate<WireMessage> wanted, byte[][] prompt) throws MalformedMessageException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            long nextPrompt = System.nanoTime();
            while (System.nanoTime() < deadline) {
                if (prompt != null && System.nanoTime() - nextPrompt >= 0) {
                    send(prompt);
                    nextPrompt += TimeUnit.MILLISECONDS.toNanos(200);
                }
                List<byte[]> frames = receive(dealer);
                if (frames != null) {
                    Received message = new Received(session.decode(frames.toArray(new byte[0][]), frames.size()),
                            frames.get(0));
                    received.add(message.message());
                    if (wanted.test(message.message())) {
                        return message;
                    }
                }
            }
            throw new AssertionError("the client did not send the message awaited in " + WAIT);
        }

        /** Everything the client sent it so far. */
        List<WireMessage> drainReceived() throws MalformedMessageException {
            for (List<byte[]> frames; (frames = receive(dealer)) != null; ) {
                received.add(decode(frames).message());
            }
            return received;
        }

        @Override
        public void close() {
            dealer.close();
        }
    }
}
