package io.brubeck.service.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.api.ServiceUnavailableException;
import io.brubeck.service.wire.MalformedMessageException;
import io.brubeck.service.wire.MessageAuthenticator;
import io.brubeck.service.wire.MessageCodec;
import io.brubeck.service.wire.WireMessage;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZEvent;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;
import org.zeromq.ZMonitor;

/**
 * Wrong secrets, garbage frames and oversized messages sent to both ends of a service, while good
 * traffic runs through the same endpoints: nothing may crash, nothing hostile may be dispatched, and
 * every good call must get its own answer. Also what follows from malformed input where it comes
 * from a registered worker (the client drops that worker and settles its calls), the bound both
 * ends keep on a message's total size, and the refusals a worker answers with instead of starting
 * work it has no room for, or while it drains.
 *
 * <p>The client and worker run in ZeroMQ contexts of the test's own, so that the test sees every
 * thread they start (JeroMQ's I/O threads too) and every exception that escapes one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostilePeerTest {
    private static final String SERVICE = "hostile";
    private static final String WRONG_SECRET = Fixtures.SECRET + "-but-wrong";
    private static final int MAX_MESSAGE_SIZE = 64 * 1024;
    private static final long SEED = 20_261_123L;
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** A send that waits longer than this means the peer stopped reading: fail rather than hang. */
    private static final int SEND_TIMEOUT_MILLIS = (int) WAIT.toMillis();
    /** Heartbeats every 100 ms, so that reconnections and drops show quickly. */
    private static final Duration HEARTBEAT = Duration.ofMillis(100);
    private static final int HEARTBEAT_MILLIS = (int) HEARTBEAT.toMillis();
    /**
     * A peer is given thirty heartbeats (three seconds) before it counts as gone: these tests are
     * about bad input, not liveness, and must not fail because a busy, shared machine kept a socket
     * thread off the CPU for a second or two.
     */
    private static final int LIVENESS = 30;

    private final Fixtures fixtures = new Fixtures(HEARTBEAT, LIVENESS);
    private final MessageAuthenticator goodAuthenticator = new MessageAuthenticator(Fixtures.SECRET);
    private final MessageCodec goodCodec = new MessageCodec(goodAuthenticator);
    private final MessageCodec wrongCodec = new MessageCodec(new MessageAuthenticator(WRONG_SECRET));
    private final Queue<String> uncaught = new ConcurrentLinkedQueue<>();
    private final List<Thread> zmqThreads = Collections.synchronizedList(new ArrayList<>());
    /** IDs of every request a handler ran, and how many ran. */
    private final Set<String> handled = ConcurrentHashMap.newKeySet();
    private final AtomicInteger handlerRuns = new AtomicInteger();
    private Thread.UncaughtExceptionHandler previousDefaultHandler;

    @BeforeEach
    void watchForDyingThreads() {
        previousDefaultHandler = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> uncaught.add(thread.getName() + ": " + error));
    }

    @AfterEach
    void closeAll() throws Exception {
        try {
            fixtures.close();
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previousDefaultHandler);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The client endpoint under attack

    @Test
    void hostilePeerAtTheClientEndpointGetsNothingAndGoodTrafficIsUnaffected() throws Exception {
        ZContext clientContext = watchedContext("client");
        ZContext workerContext = watchedContext("worker");
        ZContext attackerContext = fixtures.track(new ZContext(1));
        ServiceClientEndpoint client = fixtures.track(ServiceClientEndpoint.start(
                fixtures.clientConfig(SERVICE).liveness(LIVENESS).maxMessageSize(MAX_MESSAGE_SIZE).build(),
                clientContext));
        fixtures.track(ServiceWorker.start(fixtures.workerConfig(client, echoRoutes()).label("good-worker")
                .liveness(LIVENESS).maxMessageSize(MAX_MESSAGE_SIZE).build(), workerContext));
        Fixtures.awaitWorkers(client, 1);

        try (GoodTraffic traffic = new GoodTraffic(client, 2);
             Intruder first = new Intruder(attackerContext, client.endpoint(), "first");
             Intruder second = new Intruder(attackerContext, client.endpoint(), "second")) {
            traffic.awaitSuccesses(20);
            List<Thread> engineThreads = engineThreads();
            Random random = new Random(SEED);

            // 1. garbage
            for (int i = 0; i < 400; i++) {
                first.send(garbage(random));
            }
            // 2. well-formed, but signed with a wrong passphrase
            first.send(wrongCodec.encode(new WireMessage.Ready(1000, 100, MAX_MESSAGE_SIZE, SERVICE, "intruder")));
            first.send(wrongCodec.encode(new WireMessage.Heartbeat(100)));
            // Replies for the ids the client has given its calls so far and the next few hundred
            // (it numbers them 1, 2, 3…), trying to answer good calls falsely.
            for (long id = 1, last = traffic.sent() + 300L; id <= last; id++) {
                first.send(wrongCodec.encode(forgedReply(id)));
            }
            first.send(wrongCodec.encode(new WireMessage.Refuse(1)));
            first.send(wrongCodec.encode(new WireMessage.Disconnect()));
            // 3. correctly signed, from a connection the client does not know. Anything but READY is
            //    answered with DISCONNECT ("announce yourself") and has no other effect: a REQUEST
            //    (the wrong role), replies and refusals for ids of the good calls, and a goodbye.
            first.sendAnswered(goodCodec.encode(request(1, "wrong-role")));
            for (long id = Math.max(1, traffic.sent() - 2), last = traffic.sent() + 2; id <= last; id++) {
                first.sendAnswered(goodCodec.encode(forgedReply(id)));
                first.sendAnswered(goodCodec.encode(new WireMessage.Refuse(id)));
            }
            first.sendAnswered(goodCodec.encode(new WireMessage.Disconnect()));
            // A READY for another service is not answered.
            first.send(goodCodec.encode(new WireMessage.Ready(1, 100, MAX_MESSAGE_SIZE, "another-service", "lost")));
            // 4. larger in all than the client's maxMessageSize, although each frame is within it:
            //    dropped before it is decoded, so not answered; the same message a little smaller is.
            first.send(goodCodec.encode(paddedReply(1, MAX_MESSAGE_SIZE / 2 + 1024)));
            first.sendAnswered(goodCodec.encode(paddedReply(1, MAX_MESSAGE_SIZE / 2 - 1024)));
            // 5. a valid message with frames added
            byte[][] heartbeat = goodCodec.encode(new WireMessage.Heartbeat(100));
            first.send(new byte[][] {heartbeat[0], new byte[0], new byte[0], heartbeat[1]});
            first.sendAnswered(heartbeat);
            first.awaitAnswers();
            traffic.awaitSuccesses(traffic.succeeded() + 20);

            // 6. a frame bigger than the client accepts: the client's ZeroMQ drops the connection
            second.sendAnswered(heartbeat);
            second.awaitAnswers();
            byte[] oversized = new byte[MAX_MESSAGE_SIZE * 2];
            random.nextBytes(oversized);
            second.noteEvents(); // only a disconnection from now on counts
            second.send(new byte[][] {oversized});
            second.awaitEvent(ZMonitor.Event.DISCONNECTED);
            second.awaitEvent(ZMonitor.Event.CONNECTED); // the DEALER reconnects by itself
            for (int i = 0; i < 100; i++) {
                second.send(garbage(random));
            }
            second.send(wrongCodec.encode(new WireMessage.Ready(1000, 100, MAX_MESSAGE_SIZE, SERVICE, "intruder-2")));
            second.sendAnswered(heartbeat);
            second.awaitAnswers();
            traffic.awaitSuccesses(traffic.succeeded() + 20);

            traffic.stop();
            traffic.assertAllSucceeded();
            ClientStatus status = client.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertEquals(List.of("good-worker"), status.workers().stream().map(ClientStatus.WorkerStatus::label).toList(),
                    "the good worker is still the only worker");
            assertEquals(0, status.inFlight());
            assertEquals(0, status.queued());
            assertEquals(traffic.sent(), handlerRuns.get(), "the handler ran once per good call and never else");
            assertEquals(traffic.ids(), handled, "the handler saw exactly the good calls");
            assertEngineThreadsAlive(engineThreads);

            // The hostile peer was never given work: all it ever got was "announce yourself", once
            // for each message that called for it.
            first.assertNothingElseWasSent(client);
            second.assertNothingElseWasSent(client);
            assertEquals(List.of("good-worker"), client.status().toCompletableFuture().get(5, TimeUnit.SECONDS)
                    .workers().stream().map(ClientStatus.WorkerStatus::label).toList());
        }
        // and the client still serves after the attack
        assertEcho(client, "after-the-attack");
        assertTrue(uncaught.isEmpty(), "no thread died: " + uncaught);
    }

    // ---------------------------------------------------------------------------------------------
    // The worker under attack, from a "client" endpoint it was told to connect to

    @Test
    void hostileClientEndpointGetsOnlyRepliesToValidRequestsAndTheWorkerKeepsServing() throws Exception {
        ZContext clientContext = watchedContext("client");
        ZContext workerContext = watchedContext("worker");
        ZContext attackerContext = fixtures.track(new ZContext(1));
        ServiceClientEndpoint client = fixtures.track(ServiceClientEndpoint.start(
                fixtures.clientConfig(SERVICE).liveness(LIVENESS).build(), clientContext));

        ZMQ.Socket router = attackerContext.createSocket(SocketType.ROUTER);
        router.setLinger(0);
        router.setRouterMandatory(true);
        router.setReceiveTimeOut(20);
        ZMQ.Socket monitor = monitor(attackerContext, router, "inproc://attacker-router");
        router.bind("tcp://127.0.0.1:*");
        RawClient raw = new RawClient(router, monitor);
        try {
            // The worker serves a real client and the hostile endpoint at once.
            ServiceWorker worker = fixtures.track(ServiceWorker.start(WorkerConfig.builder(SERVICE)
                    .endpoints(client.endpoint(), router.getLastEndpoint()).passphrase(Fixtures.SECRET)
                    .heartbeatInterval(HEARTBEAT).liveness(LIVENESS).concurrency(2)
                    .maxMessageSize(MAX_MESSAGE_SIZE)
                    .label("victim").routes(echoRoutes()).build(), workerContext));
            raw.pumpUntil("READY from the worker", () -> raw.readyCount() == 1);
            assertEquals(new WireMessage.Ready(2, HEARTBEAT_MILLIS, MAX_MESSAGE_SIZE, SERVICE, "victim"), raw.lastReady());
            // A connection whose handshake stalled and was redone (see Intruder) may have been counted.
            int disconnectsBefore = raw.disconnects();
            // keep heartbeating the worker while the real client takes it on
            raw.pumpUntil("the worker to join the real client",
                    () -> client.status().toCompletableFuture().join().workers().size() == 1);

            try (GoodTraffic traffic = new GoodTraffic(client, 2)) {
                raw.pumpUntil("good calls", () -> traffic.succeededOrFailed(20));
                List<Thread> engineThreads = engineThreads();
                Random random = new Random(SEED + 1);

                // 1. garbage, with a heartbeat now and then as a real client would send
                for (int i = 0; i < 400; i++) {
                    raw.send(garbage(random));
                    if (i % 50 == 49) {
                        raw.send(raw.heartbeat);
                    }
                }
                // 2. requests and control messages signed with a wrong passphrase
                for (int i = 0; i < 200; i++) {
                    raw.send(wrongCodec.encode(request(1_000 + i, "forged-" + i)));
                }
                raw.send(wrongCodec.encode(new WireMessage.Heartbeat(1))); // accepted, the worker would soon reconnect
                raw.send(wrongCodec.encode(new WireMessage.Disconnect())); // accepted, it would reconnect at once
                // 3. correctly signed messages a client never sends: ignored
                raw.send(goodCodec.encode(forgedReply(5)));
                raw.send(goodCodec.encode(new WireMessage.Refuse(5)));
                raw.send(goodCodec.encode(new WireMessage.Ready(5, 100, MAX_MESSAGE_SIZE, SERVICE, "not-a-worker")));
                // 4. valid requests the worker must not take: larger in all than its maxMessageSize
                //    though each frame is within it, and one with a frame too many. The worker drops
                //    them unanswered and keeps its connection; a request a little smaller is answered.
                raw.send(goodCodec.encode(paddedRequest(10, "too-large", MAX_MESSAGE_SIZE / 2 + 1024)));
                byte[][] extraFrame = goodCodec.encode(request(12, "extra-frame"));
                raw.send(new byte[][] {extraFrame[0], extraFrame[1], new byte[0], extraFrame[2]});
                raw.send(goodCodec.encode(paddedRequest(11, "within-limit", MAX_MESSAGE_SIZE / 2 - 1024)));
                WireMessage.Reply withinLimit = raw.awaitReply(11);
                assertEquals(200, withinLimit.statusCode());
                assertArrayEquals(paddedRequest(11, "within-limit", MAX_MESSAGE_SIZE / 2 - 1024).body(), withinLimit.body());
                // 5. a valid request
                raw.send(goodCodec.encode(request(1, "valid-1")));
                assertValidEcho(raw.awaitReply(1), "valid-1");
                int before = traffic.succeeded();
                raw.pumpUntil("more good calls", () -> traffic.succeededOrFailed(before + 20));
                assertEquals(1, raw.readyCount(), "no forged or dropped message made the worker reconnect");
                assertEquals(disconnectsBefore, raw.disconnects(), "nor did the worker's ZeroMQ close the connection");
                assertEquals(List.of(11L, 1L), raw.replyIds(), "only the valid requests were answered");

                // 6. a frame bigger than the worker accepts. ZeroMQ treats it as a protocol error and
                //    closes that connection for good (no automatic reconnect); the worker's next send
                //    on it fails, long before the silence limit, and it reconnects, announcing itself again.
                try (KeptLog workerLog = KeptLog.of(WorkerLoop.class)) {
                    byte[] oversized = new byte[MAX_MESSAGE_SIZE * 2];
                    random.nextBytes(oversized);
                    raw.send(new byte[][] {oversized});
                    raw.pumpUntil("the worker's connection to drop", () -> raw.disconnects() == disconnectsBefore + 1);
                    raw.pumpUntil("the worker to announce itself again", () -> raw.readyCount() == 2);
                    assertTrue(workerLog.has("reconnects to " + router.getLastEndpoint() + " because a send failed: "
                            + WorkerLoop.SEND_FAILED), workerLog.messages().toString());
                }
                assertEquals(new WireMessage.Ready(2, HEARTBEAT_MILLIS, MAX_MESSAGE_SIZE, SERVICE, "victim"),
                        raw.lastReady());
                for (int i = 0; i < 100; i++) {
                    raw.send(garbage(random));
                    if (i % 50 == 49) {
                        raw.send(raw.heartbeat);
                    }
                }
                raw.send(wrongCodec.encode(request(2_000, "forged-after-reconnect")));
                // 7. the worker still answers valid requests
                raw.send(goodCodec.encode(request(2, "valid-2")));
                assertValidEcho(raw.awaitReply(2), "valid-2");
                int after = traffic.succeeded();
                raw.pumpUntil("more good calls", () -> traffic.succeededOrFailed(after + 20));

                traffic.stop();
                traffic.assertAllSucceeded();
                ClientStatus status = client.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
                assertEquals(List.of("victim"),
                        status.workers().stream().map(ClientStatus.WorkerStatus::label).toList());
                assertEngineThreadsAlive(engineThreads);
                assertEcho(client, "after-the-attack");

                // Closing the worker lets every handler it started finish and sends their replies, so
                // once its connection to us has closed, the records below are complete.
                worker.close();
                raw.pumpUntil("the worker to disconnect", () -> raw.disconnects() == disconnectsBefore + 2);
                raw.drain();
                assertEquals(List.of(11L, 1L, 2L), raw.replyIds(), "replies only to the valid requests, once each");
                assertTrue(raw.refusals().isEmpty(), "nothing was refused: " + raw.refusals());
                assertTrue(raw.undecodable().isEmpty(), "the worker sent only valid messages: " + raw.undecodable());
                Set<String> expected = new HashSet<>(traffic.ids());
                expected.add("within-limit");
                expected.add("valid-1");
                expected.add("valid-2");
                expected.add("after-the-attack");
                assertEquals(expected, handled, "the handler ran for the good and the valid requests only");
                assertEquals(expected.size(), handlerRuns.get());
            }
        } finally {
            monitor.close();
            router.close();
        }
        assertTrue(uncaught.isEmpty(), "no thread died: " + uncaught);
    }

    // ---------------------------------------------------------------------------------------------
    // An oversized message made of frames that are each under the limit

    /**
     * {@link ClientConfig#maxMessageSize()} is "the largest message, in bytes, the client sends or
     * accepts". ZeroMQ's own limit, which the client sets to the same value, applies to each frame,
     * so the client bounds the sum of a message's frames itself. Here a worker with a larger limit of
     * its own answers with a reply of about twice the client's limit, in frames that are each under
     * it. The client drops the message unread and, since it came from a registered worker, drops that
     * worker: the call, which is not idempotent, fails at once as unavailable (not with the reply, not
     * at its deadline) and is not sent again. The worker, told at its next heartbeat that it is
     * unknown, joins again on a new connection and serves calls that fit. An idempotent call is sent
     * again after each loss and fails the same way each time, until it has been sent maxAttempts
     * times (docs/PROTOCOL.md, section 13).
     */
    @Test
    void aReplyLargerThanTheClientsMaxMessageSizeIsNotAccepted() {
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig(SERVICE)
                .maxMessageSize(MAX_MESSAGE_SIZE).timeout(WAIT).build());
        int part = MAX_MESSAGE_SIZE - 1024;
        AtomicInteger bigRuns = new AtomicInteger();
        RouteTable<RequestHandler> routes = RouteTable.<RequestHandler>builder()
                .route("^/big$", Method.REQUEST, request -> {
                    bigRuns.incrementAndGet();
                    return ServiceReply.ok("big").with("PAD", "x".repeat(part - 20)).withBody(new byte[part]);
                })
                .route("^/small$", Method.REQUEST, request -> ServiceReply.ok("small"))
                .build();
        fixtures.worker(fixtures.workerConfig(client, routes).label("generous").build()); // 8 MiB limit
        Fixtures.awaitWorkers(client, 1);

        long begin = System.nanoTime();
        ServiceUnavailableException failure = assertThrows(ServiceUnavailableException.class,
                () -> client.request("/big").send(), "the reply of about twice the limit was not accepted");
        assertEquals("Worker generous of service '" + SERVICE + "' became unavailable while handling /big",
                failure.getMessage());
        assertTrue(System.nanoTime() - begin < WAIT.toNanos() / 2, "failed at once, not at the deadline");
        assertEquals(1, bigRuns.get(), "a call that is not idempotent is not sent again");

        // The worker comes back on a new connection.
        assertEquals("small", client.request("/small").send().response().statusMessage());
        Fixtures.awaitWorkers(client, 1);

        ServiceUnavailableException again = assertThrows(ServiceUnavailableException.class,
                () -> client.request("/big").idempotent().send());
        assertTrue(again.getMessage().contains("became unavailable while handling /big"), again.getMessage());
        assertEquals(1 + 3, bigRuns.get(), "the idempotent call was sent maxAttempts (3) times");
        assertEquals("small", client.request("/small").send().response().statusMessage());
    }

    /** The bound is on the whole message, the HMAC frame included; a reply of exactly the limit is fine. */
    @Test
    void aReplyOfExactlyTheClientsMaxMessageSizeIsAccepted() throws Exception {
        ZContext rawContext = fixtures.track(new ZContext(1));
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig(SERVICE)
                .maxMessageSize(MAX_MESSAGE_SIZE).timeout(WAIT).build());
        RawWorker raw = fixtures.track(new RawWorker(rawContext, client.endpoint(), "exact", 1));

        CompletableFuture<ServiceResult> call = client.request("/exact").sendAsync().toCompletableFuture();
        WireMessage.Request request = raw.awaitRequest(0);
        byte[][] frames = goodCodec.encode(replyOfTotalSize(request.correlationId(), MAX_MESSAGE_SIZE));
        assertEquals(MAX_MESSAGE_SIZE, Arrays.stream(frames).mapToInt(frame -> frame.length).sum());
        raw.send(frames);
        raw.pumpUntil("the call to complete", call::isDone);
        ServiceResult result = call.get();
        assertEquals(200, result.response().statusCode());
        assertEquals(frames[1].length, result.response().body().length);
        assertEquals(0, raw.count(WireMessage.Disconnect.class), "the worker was not dropped");
    }

    /** One byte over the limit is not accepted: the routing id does not count towards the message. */
    @Test
    void aReplyOneByteOverTheClientsMaxMessageSizeIsNotAccepted() throws Exception {
        ZContext rawContext = fixtures.track(new ZContext(1));
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig(SERVICE)
                .maxMessageSize(MAX_MESSAGE_SIZE).timeout(WAIT).build());
        RawWorker raw = fixtures.track(new RawWorker(rawContext, client.endpoint(), "over", 1));

        CompletableFuture<ServiceResult> call = client.request("/over").sendAsync().toCompletableFuture();
        WireMessage.Request request = raw.awaitRequest(0);
        byte[][] frames = goodCodec.encode(replyOfTotalSize(request.correlationId(), MAX_MESSAGE_SIZE + 1));
        assertEquals(MAX_MESSAGE_SIZE + 1, Arrays.stream(frames).mapToInt(frame -> frame.length).sum());
        raw.send(frames);
        raw.pumpUntil("the call to settle", call::isDone);
        ExecutionException failure = assertThrows(ExecutionException.class, call::get);
        assertInstanceOf(ServiceUnavailableException.class, failure.getCause());
        raw.pumpUntil("DISCONNECT for the dropped worker", () -> raw.count(WireMessage.Disconnect.class) > 0);
    }

    /**
     * A REPLY whose frames add up to {@code total} bytes, each well within {@code total}: half of it a
     * status message in the header, the rest (but for the fixed part, METHOD, a {@code {}} payload and
     * the HMAC) the body.
     */
    private static WireMessage.Reply replyOfTotalSize(long id, int total) {
        int overhead = 47 + "response".length() + 2 + MessageAuthenticator.CODE_LENGTH;
        byte[] status = "x".repeat(total / 2).getBytes(UTF_8);
        return new WireMessage.Reply(id, 200, 0, 0, status, "response".getBytes(UTF_8), new byte[0],
                "{}".getBytes(UTF_8), new byte[total - overhead - status.length]);
    }

    // ---------------------------------------------------------------------------------------------
    // A registered worker that sends something malformed

    static Stream<String> malformedMessages() {
        return Stream.of("garbage", "wrong passphrase", "other version", "unknown command", "bad shape",
                "status out of range", "too many frames", "larger than maxMessageSize", "a REQUEST");
    }

    /** One of {@link #malformedMessages()}, sent as the answer to the call with the given id. */
    private byte[][] malformed(String kind, long id) {
        WireMessage.Reply reply = new WireMessage.Reply(id, 200, 0, 0, "OK".getBytes(UTF_8), "response".getBytes(UTF_8),
                new byte[0], "{\"ID\":\"plain\"}".getBytes(UTF_8), new byte[0]);
        byte[][] frames = goodCodec.encode(reply);
        switch (kind) {
            case "garbage":
                return new byte[][] {"not a message".getBytes(UTF_8)};
            case "wrong passphrase":
                return wrongCodec.encode(reply);
            case "other version":
                frames[0][3] = 2;
                return resigned(frames);
            case "unknown command":
                frames[0][4] = 7;
                return resigned(frames);
            case "bad shape":
                frames[0] = Arrays.copyOf(frames[0], frames[0].length + 1);
                return resigned(frames);
            case "status out of range":
                return goodCodec.encode(new WireMessage.Reply(id, 700, 0, 0, new byte[0], new byte[0], new byte[0],
                        new byte[0], new byte[0]));
            case "too many frames":
                return resigned(new byte[][] {frames[0], frames[1], new byte[0], frames[2]});
            case "larger than maxMessageSize":
                return goodCodec.encode(paddedReply(id, MAX_MESSAGE_SIZE / 2 + 1024));
            case "a REQUEST":
                return goodCodec.encode(request(id, "wrong-role"));
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    private byte[][] resigned(byte[][] frames) {
        byte[][] copy = frames.clone();
        copy[copy.length - 1] = goodAuthenticator.sign(copy, copy.length - 1);
        return copy;
    }

    /**
     * A registered worker whose connection sends anything malformed (or a REQUEST, which only clients
     * send) is dropped at once, not when its calls reach their deadlines: its calls settle as if it had
     * died (the idempotent one goes to another worker, the other fails as unavailable), only that
     * connection is affected, and the client no longer knows it.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedMessages")
    void aRegisteredWorkerThatSendsAnythingMalformedIsDroppedAndItsCallsSettle(String kind) throws Exception {
        ZContext rawContext = fixtures.track(new ZContext(1));
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig(SERVICE)
                .maxMessageSize(MAX_MESSAGE_SIZE).timeout(WAIT).build());
        RawWorker raw = fixtures.track(new RawWorker(rawContext, client.endpoint(), "raw", 2));
        CompletableFuture<ServiceResult> plain = client.request("/work").argument("ID", "plain")
                .sendAsync().toCompletableFuture();
        CompletableFuture<ServiceResult> idempotent = client.request("/work").argument("ID", "idempotent")
                .idempotent().sendAsync().toCompletableFuture();
        WireMessage.Request first = raw.awaitRequest(0);
        WireMessage.Request second = raw.awaitRequest(1);
        long plainId = new String(first.arguments(), UTF_8).contains("plain") ? first.correlationId()
                : second.correlationId();
        // Another worker joins; the raw one keeps heartbeating meanwhile.
        fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/work$",
                request -> ServiceReply.ok("done by good").with("ID", request.argument("ID", "?"))))
                .label("good").maxMessageSize(MAX_MESSAGE_SIZE).build());
        raw.pumpUntil("the good worker to join",
                () -> client.status().toCompletableFuture().join().workers().size() == 2);
        assertEquals(0, raw.count(WireMessage.Disconnect.class));
        assertFalse(plain.isDone() || idempotent.isDone(), "both calls wait on the raw worker");

        raw.send(malformed(kind, plainId));
        raw.pumpUntil("the calls to settle", () -> plain.isDone() && idempotent.isDone());
        ExecutionException failure = assertThrows(ExecutionException.class, plain::get);
        assertInstanceOf(ServiceUnavailableException.class, failure.getCause());
        assertEquals("Worker raw of service '" + SERVICE + "' became unavailable while handling /work",
                failure.getCause().getMessage());
        ServiceResult retried = idempotent.get();
        assertEquals("done by good", retried.response().statusMessage());
        assertEquals("idempotent", retried.response().payload().getString("ID"));
        assertEquals(List.of("good"), client.status().toCompletableFuture().get(5, TimeUnit.SECONDS).workers().stream()
                .map(ClientStatus.WorkerStatus::label).toList(), "only the sender's connection was dropped");
        // The client no longer knows the connection: its next heartbeat is answered with "announce yourself".
        raw.pumpUntil("DISCONNECT for the dropped worker", () -> raw.count(WireMessage.Disconnect.class) > 0);
        assertEquals("done by good", client.request("/work").send().response().statusMessage());
    }

    /**
     * Valid messages that do not fit the client's state are not malformed: a REPLY or REFUSE for an id
     * not in flight on that connection is ignored, and a HEARTBEAT may change the interval. None of them
     * costs the worker its registration. (A second READY starts a new session: see SecondReadyTest.)
     */
    @Test
    void validButUnexpectedMessagesFromARegisteredWorkerDoNotDropIt() throws Exception {
        ZContext rawContext = fixtures.track(new ZContext(1));
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig(SERVICE)
                .maxMessageSize(MAX_MESSAGE_SIZE).timeout(WAIT).build());
        RawWorker raw = fixtures.track(new RawWorker(rawContext, client.endpoint(), "raw", 1));
        CompletableFuture<ServiceResult> call = client.request("/work").sendAsync().toCompletableFuture();
        long id = raw.awaitRequest(0).correlationId();

        raw.send(goodCodec.encode(forgedReply(id + 1000)));
        raw.send(goodCodec.encode(new WireMessage.Refuse(id + 1000)));
        raw.send(goodCodec.encode(new WireMessage.Heartbeat(HEARTBEAT_MILLIS * 2)));
        raw.send(goodCodec.encode(new WireMessage.Reply(id, 201, 0, 0, "real".getBytes(UTF_8),
                "response".getBytes(UTF_8), new byte[0], new byte[0], new byte[0])));
        raw.pumpUntil("the call to complete", call::isDone);
        assertEquals("real", call.get().response().statusMessage());
        // a second answer for the same id is ignored too
        raw.send(goodCodec.encode(new WireMessage.Reply(id, 200, 0, 0, "late".getBytes(UTF_8),
                "response".getBytes(UTF_8), new byte[0], new byte[0], new byte[0])));
        // The worker is still registered, with the capacity of its READY, and is still given work.
        CompletableFuture<ServiceResult> next = client.request("/work").sendAsync().toCompletableFuture();
        long nextId = raw.awaitRequest(1).correlationId();
        ClientStatus status = client.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(List.of(new ClientStatus.WorkerStatus("raw", 1, 1, false)), status.workers());
        raw.send(goodCodec.encode(new WireMessage.Refuse(nextId)));
        // a refused call goes back to the queue and, this being the only worker, to it again
        assertEquals(nextId, raw.awaitRequest(2).correlationId());
        raw.send(goodCodec.encode(new WireMessage.Reply(nextId, 200, 0, 0, "second".getBytes(UTF_8),
                "response".getBytes(UTF_8), new byte[0], new byte[0], new byte[0])));
        raw.pumpUntil("the next call to complete", next::isDone);
        assertEquals("second", next.get().response().statusMessage());
        assertEquals(0, raw.count(WireMessage.Disconnect.class), "the client never disowned the worker");
    }

    /**
     * A worker that refuses while it still has credit is the last choice for the refused call: the call goes
     * to another worker with a free slot, even a busier one, instead of bouncing back until maxAttempts.
     */
    @Test
    void aRefusedCallGoesToAnotherWorkerWithCreditRatherThanBackToTheOneThatRefusedIt() throws Exception {
        ZContext rawContext = fixtures.track(new ZContext(1));
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig(SERVICE)
                .maxMessageSize(MAX_MESSAGE_SIZE).timeout(WAIT).build());
        RawWorker refuser = fixtures.track(new RawWorker(rawContext, client.endpoint(), "refuser", 1));
        CompletableFuture<ServiceResult> call = client.request("/work").sendAsync().toCompletableFuture();
        long id = refuser.awaitRequest(0).correlationId();

        CountDownLatch blockStarted = new CountDownLatch(1);
        CountDownLatch releaseBlock = new CountDownLatch(1);
        fixtures.worker(fixtures.workerConfig(client, RouteTable.<RequestHandler>builder()
                        .route("^/work$", Method.REQUEST, request -> ServiceReply.ok("done by good"))
                        .route("^/block$", Method.REQUEST, request -> {
                            blockStarted.countDown();
                            releaseBlock.await();
                            return ServiceReply.ok("unblocked");
                        }).build())
                .label("good").concurrency(2).maxMessageSize(MAX_MESSAGE_SIZE).build());
        refuser.pumpUntil("the good worker to join",
                () -> client.status().toCompletableFuture().join().workers().size() == 2);
        // The good worker is now half loaded; once the refuser has its slot back it is the less loaded one.
        CompletableFuture<ServiceResult> blocked = client.request("/block").sendAsync().toCompletableFuture();
        refuser.pumpUntil("the good worker to start /block", () -> blockStarted.getCount() == 0);

        refuser.send(goodCodec.encode(new WireMessage.Refuse(id)));
        refuser.pumpUntil("the refused call to complete", call::isDone);
        assertEquals("done by good", call.get().response().statusMessage());
        assertEquals(1, refuser.count(WireMessage.Request.class), "the refused call was not sent back to the refuser");
        releaseBlock.countDown();
        assertEquals("unblocked", blocked.get(WAIT.toSeconds(), TimeUnit.SECONDS).response().statusMessage());
    }

    /** A label is for logs and status pages: the client keeps no more than its start, however long it is. */
    @Test
    void aWorkersLongLabelIsCutShort() throws Exception {
        ZContext rawContext = fixtures.track(new ZContext(1));
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig(SERVICE).maxMessageSize(MAX_MESSAGE_SIZE).build());
        String label = "é".repeat(ConnectedWorker.MAX_LABEL_CODE_POINTS) + "x".repeat(10_000);
        fixtures.track(new RawWorker(rawContext, client.endpoint(), label, 1));

        ClientStatus status = client.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(List.of("é".repeat(ConnectedWorker.MAX_LABEL_CODE_POINTS) + "…"),
                status.workers().stream().map(ClientStatus.WorkerStatus::label).toList());
    }

    /**
     * Correlation ids start at a random value at each start of an endpoint, so an answer recorded during
     * an earlier start cannot be replayed as the answer to a call of a later one (PROTOCOL §8.3). With ids
     * counted from 1 at every start, the replayed REPLY would answer the new call.
     */
    @Test
    void aReplyRecordedDuringAnEarlierStartAnswersNoCallOfALaterOne() throws Exception {
        ZContext rawContext = fixtures.track(new ZContext(1));
        ServiceClientEndpoint earlier = fixtures.client(fixtures.clientConfig(SERVICE).timeout(WAIT).build());
        byte[][] recorded;
        try (RawWorker raw = new RawWorker(rawContext, earlier.endpoint(), "raw", 1)) {
            CompletableFuture<ServiceResult> call = earlier.request("/work").sendAsync().toCompletableFuture();
            recorded = goodCodec.encode(forgedReply(raw.awaitRequest(0).correlationId()));
            raw.send(recorded);
            raw.pumpUntil("the earlier start's call to complete", call::isDone);
            assertEquals("forged", call.get().response().statusMessage());
        }
        earlier.close();

        ServiceClientEndpoint later = fixtures.client(fixtures.clientConfig(SERVICE).timeout(WAIT).build());
        try (RawWorker raw = new RawWorker(rawContext, later.endpoint(), "raw", 1)) {
            CompletableFuture<ServiceResult> call = later.request("/work").sendAsync().toCompletableFuture();
            long id = raw.awaitRequest(0).correlationId();
            raw.send(recorded);
            raw.send(goodCodec.encode(new WireMessage.Reply(id, 200, 0, 0, "real".getBytes(UTF_8),
                    "response".getBytes(UTF_8), new byte[0], new byte[0], new byte[0])));
            raw.pumpUntil("the later start's call to complete", call::isDone);
            assertEquals("real", call.get().response().statusMessage());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Refusals: admission per connection, and draining

    /**
     * A worker admits at most its capacity of requests per connection, whether or not a handler thread
     * is free, and answers any request beyond that with REFUSE at once, without starting it. While it
     * drains it says goodbye, refuses every new request, finishes what it admitted and says goodbye again.
     */
    @Test
    void theWorkerRefusesWhatItWillNotStartPerConnectionAndWhileDraining() throws Exception {
        ZContext rawContext = fixtures.track(new ZContext(1));
        RawClient a = fixtures.track(rawClient(rawContext, "a"));
        RawClient b = fixtures.track(rawClient(rawContext, "b"));
        CountDownLatch release = new CountDownLatch(1);
        Set<String> started = ConcurrentHashMap.newKeySet();
        RouteTable<RequestHandler> routes = Fixtures.routes("^/echo$", request -> {
            String id = request.argument("ID", "?");
            started.add(id);
            release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return ServiceReply.ok("echo").with("ID", id).withBody(request.body());
        });
        ServiceWorker worker = fixtures.worker(WorkerConfig.builder(SERVICE)
                .endpoints(a.endpoint(), b.endpoint()).passphrase(Fixtures.SECRET)
                .heartbeatInterval(HEARTBEAT).liveness(LIVENESS).concurrency(2).shutdownGrace(WAIT)
                .label("refuser").routes(routes).build());
        pumpAll("READY on both connections", () -> a.readyCount() == 1 && b.readyCount() == 1, a, b);
        assertEquals(2, a.lastReady().capacity());
        assertEquals(2, b.lastReady().capacity());

        // Requests 1 and 2 on A take both handler threads.
        a.send(goodCodec.encode(request(1, "a-1", 60_000)));
        a.send(goodCodec.encode(request(2, "a-2", 60_000)));
        pumpAll("both handler threads to be busy", () -> started.size() == 2, a, b);
        // B has slots of its own: 3 and 4 are admitted although no thread is free.
        b.send(goodCodec.encode(request(3, "b-3", 60_000)));
        b.send(goodCodec.encode(request(4, "b-4", 60_000)));
        // One more on either connection is beyond its capacity: refused at once.
        b.send(goodCodec.encode(request(5, "b-5", 60_000)));
        a.send(goodCodec.encode(request(6, "a-6", 60_000)));
        pumpAll("the refusals", () -> b.refusals().size() == 1 && a.refusals().size() == 1, a, b);
        assertEquals(List.of(5L), b.refusals());
        assertEquals(List.of(6L), a.refusals());
        assertTrue(a.replyIds().isEmpty() && b.replyIds().isEmpty(), "nothing is answered yet");
        StatisticsTest.awaitStatistics(worker::statistics, new WorkerStatistics(SERVICE, 2, 4, 4, 2, 0, 0));

        // Draining: goodbye on both connections, then every new request is refused.
        CompletableFuture<Void> closed = CompletableFuture.runAsync(worker::close);
        pumpAll("the first goodbyes", () -> a.goodbyes() == 1 && b.goodbyes() == 1, a, b);
        a.send(goodCodec.encode(request(7, "a-7", 60_000)));
        b.send(goodCodec.encode(request(8, "b-8", 60_000)));
        pumpAll("the refusals while draining", () -> a.refusals().size() == 2 && b.refusals().size() == 2, a, b);
        assertEquals(List.of(6L, 7L), a.refusals());
        assertEquals(List.of(5L, 8L), b.refusals());
        assertFalse(closed.isDone(), "the worker waits for what it admitted");

        release.countDown();
        pumpAll("the admitted requests' replies and the last goodbyes", () -> a.replyIds().size() == 2
                && b.replyIds().size() == 2 && a.goodbyes() == 2 && b.goodbyes() == 2, a, b);
        closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(Set.of(1L, 2L), Set.copyOf(a.replyIds()));
        assertEquals(Set.of(3L, 4L), Set.copyOf(b.replyIds()));
        for (WireMessage.Reply reply : b.replies) {
            assertEquals(200, reply.statusCode(), "admitted requests ran although they waited for a thread");
        }
        assertEquals(Set.of("a-1", "a-2", "b-3", "b-4"), started, "refused requests never started");
        assertEquals(new WorkerStatistics(SERVICE, 0, 0, 4, 4, 4, 0), worker.statistics(), "counted, and still readable once closed");
        assertTrue(a.undecodable().isEmpty() && b.undecodable().isEmpty());
    }

    @Test
    void anIdleWorkerThatShutsDownRefusesARequestThatCrossedItsGoodbye() throws Exception {
        ZContext rawContext = fixtures.track(new ZContext(1));
        RawClient client = fixtures.track(rawClient(rawContext, "crossing"));
        client.answerGoodbyes = false;
        Set<String> started = ConcurrentHashMap.newKeySet();
        ServiceWorker worker = fixtures.worker(WorkerConfig.builder(SERVICE).endpoints(client.endpoint())
                .passphrase(Fixtures.SECRET).heartbeatInterval(HEARTBEAT).liveness(LIVENESS).concurrency(1)
                .shutdownGrace(WAIT).label("idle").routes(Fixtures.routes("^/echo$", request -> {
                    started.add(request.argument("ID", "?"));
                    return ServiceReply.ok("echo");
                })).build());
        pumpAll("READY", () -> client.readyCount() == 1, client);

        // The worker has nothing to do when it is told to stop; the client sends a request before it
        // reads the worker's goodbye, and answers the goodbye only then, as a real client would.
        CompletableFuture<Void> closed = CompletableFuture.runAsync(worker::close);
        pumpAll("the goodbye", () -> client.goodbyes() == 1, client);
        client.send(goodCodec.encode(request(1, "crossing", 60_000)));
        client.send(client.goodbye);

        pumpAll("the refusal and the last goodbye", () -> client.refusals().size() == 1 && client.goodbyes() == 2, client);
        assertEquals(List.of(1L), client.refusals(), "refused, so the client can send it again");
        assertTrue(started.isEmpty(), "a request that arrives while the worker drains never starts");
        closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void theClientAnswersAWorkersGoodbyeSoThatTheWorkerKnowsNothingIsOnItsWay() throws Exception {
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig(SERVICE).timeout(WAIT).build());
        RawWorker leaving = fixtures.track(new RawWorker(fixtures.track(new ZContext(1)), client.endpoint(), "leaving", 1));
        CompletableFuture<ServiceResult> call = client.request("/work").sendAsync().toCompletableFuture();
        WireMessage.Request request = leaving.awaitRequest(0);

        // With a call on it, the worker is only marked leaving, so the answer is not the one an
        // unknown connection would get.
        leaving.send(goodCodec.encode(new WireMessage.Disconnect()));
        leaving.pumpUntil("the client's answer", () -> leaving.count(WireMessage.Disconnect.class) == 1);
        leaving.send(goodCodec.encode(forgedReply(request.correlationId())));
        leaving.pumpUntil("the call to complete", call::isDone);
        assertEquals("forged", call.get().response().statusMessage(), "the leaving worker's reply is taken");
    }

    // ---------------------------------------------------------------------------------------------
    // Handler, messages and checks

    private RouteTable<RequestHandler> echoRoutes() {
        return Fixtures.routes("^/echo$", request -> {
            handlerRuns.incrementAndGet();
            String id = request.argument("ID", "?");
            handled.add(id);
            return ServiceReply.ok("echo").with("ID", id).withBody(request.body());
        });
    }

    private static WireMessage.Request request(long id, String echoId) {
        return request(id, echoId, 5_000);
    }

    private static WireMessage.Request request(long id, String echoId, int ttlMillis) {
        return new WireMessage.Request(id, ttlMillis, System.currentTimeMillis(), "request".getBytes(UTF_8),
                "/echo".getBytes(UTF_8), new byte[0], ("{\"ID\":\"" + echoId + "\"}").getBytes(UTF_8),
                echoId.getBytes(UTF_8));
    }

    private static WireMessage.Reply forgedReply(long id) {
        return new WireMessage.Reply(id, 200, 0, 0, "forged".getBytes(UTF_8), "response".getBytes(UTF_8), new byte[0],
                "{\"ID\":\"forged\"}".getBytes(UTF_8), "forged".getBytes(UTF_8));
    }

    /** An echo REQUEST with {@code half} bytes of arguments in its header and {@code half} bytes of body. */
    private static WireMessage.Request paddedRequest(long id, String echoId, int half) {
        String start = "{\"ID\":\"" + echoId + "\",\"PAD\":\"";
        byte[] arguments = (start + "x".repeat(half - start.length() - 2) + "\"}").getBytes(UTF_8);
        byte[] body = new byte[half];
        new Random(id).nextBytes(body);
        return new WireMessage.Request(id, 5_000, System.currentTimeMillis(), "request".getBytes(UTF_8),
                "/echo".getBytes(UTF_8), new byte[0], arguments, body);
    }

    /** A REPLY with {@code half} bytes of payload in its header and {@code half} bytes of body. */
    private static WireMessage.Reply paddedReply(long id, int half) {
        byte[] payload = ("{\"PAD\":\"" + "x".repeat(half - 10) + "\"}").getBytes(UTF_8);
        return new WireMessage.Reply(id, 200, 0, 0, new byte[0], "response".getBytes(UTF_8), new byte[0], payload,
                new byte[half]);
    }

    /**
     * A random multipart message: 0 to 20 frames (0 frames is sent as one empty frame, the least
     * ZeroMQ can send) of varied sizes below the limit; some start like a real frame 0, so that the
     * version, signature and shape checks are reached too.
     */
    private static byte[][] garbage(Random random) {
        int count = random.nextInt(21);
        if (count == 0) {
            return new byte[][] {new byte[0]};
        }
        byte[][] frames = new byte[count][];
        for (int i = 0; i < count; i++) {
            int size = switch (random.nextInt(8)) {
                case 0 -> 0;
                case 1 -> 32;
                case 2 -> random.nextInt(MAX_MESSAGE_SIZE / 16);
                default -> random.nextInt(64);
            };
            frames[i] = new byte[size];
            random.nextBytes(frames[i]);
        }
        if (random.nextBoolean() && frames[0].length >= 5) {
            frames[0][0] = 'B';
            frames[0][1] = 'R';
            frames[0][2] = 'B';
            frames[0][3] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : MessageCodec.VERSION;
            frames[0][4] = (byte) random.nextInt(7);
        }
        return frames;
    }

    private static void send(ZMQ.Socket socket, byte[] identity, byte[][] frames) {
        if (identity != null) {
            assertTrue(socket.send(identity, ZMQ.SNDMORE), "send identity");
        }
        for (int i = 0; i < frames.length; i++) {
            assertTrue(socket.send(frames[i], i < frames.length - 1 ? ZMQ.SNDMORE : 0), "send frame " + i);
        }
    }

    /** One whole message, or null when none came within the socket's receive timeout. */
    private static List<byte[]> receiveMessage(ZMQ.Socket socket) {
        byte[] first = socket.recv(0);
        if (first == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>();
        frames.add(first);
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv(0));
        }
        return frames;
    }

    private static void assertValidEcho(WireMessage.Reply reply, String id) {
        assertEquals(200, reply.statusCode());
        assertEquals("echo", new String(reply.statusMessage(), UTF_8));
        JsonObject payload = Json.createReader(new ByteArrayInputStream(reply.payload())).readObject();
        assertEquals(id, payload.getString("ID"));
        assertArrayEquals(id.getBytes(UTF_8), reply.body());
    }

    private static void assertEcho(ServiceClientEndpoint client, String id) {
        ServiceResult result = client.request("/echo").argument("ID", id).body(id.getBytes(UTF_8))
                .timeout(Duration.ofSeconds(5)).send();
        assertEquals(200, result.response().statusCode());
        assertEquals(id, result.response().payload().getString("ID"));
        assertArrayEquals(id.getBytes(UTF_8), result.response().body());
    }

    // ---------------------------------------------------------------------------------------------
    // Threads and contexts

    /** A ZeroMQ context whose threads the test records and whose thread failures it collects. */
    private ZContext watchedContext(String name) {
        ZContext context = new ZContext(1);
        context.setUncaughtExceptionHandler((thread, error) -> uncaught.add(thread.getName() + ": " + error));
        context.setNotificationExceptionHandler((thread, error) -> uncaught.add(thread.getName() + " (notification): "
                + error));
        context.setThreadFactor((runnable, threadName) -> {
            Thread thread = new Thread(runnable, name + "-" + threadName);
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler(context.getUncaughtExceptionHandler());
            zmqThreads.add(thread);
            return thread;
        });
        return fixtures.track(context);
    }

    /** The socket loops and handler threads of the engine, and the JeroMQ threads of its contexts. */
    private List<Thread> engineThreads() {
        List<Thread> threads = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName();
            if (name.equals("brubeck-client-" + SERVICE) || name.equals("brubeck-worker-" + SERVICE)
                    || name.startsWith("brubeck-handler-" + SERVICE)) {
                threads.add(thread);
            }
        }
        assertTrue(threads.stream().anyMatch(t -> t.getName().startsWith("brubeck-client-")), "client loop found");
        assertTrue(threads.stream().anyMatch(t -> t.getName().startsWith("brubeck-worker-")), "worker loop found");
        synchronized (zmqThreads) {
            assertFalse(zmqThreads.isEmpty(), "JeroMQ threads recorded");
            threads.addAll(zmqThreads);
        }
        return threads;
    }

    private static void assertEngineThreadsAlive(List<Thread> threads) {
        for (Thread thread : threads) {
            assertTrue(thread.isAlive(), "thread " + thread.getName() + " is still alive");
        }
    }

    private static ZMQ.Socket monitor(ZContext context, ZMQ.Socket socket, String address) {
        assertTrue(socket.monitor(address, ZMQ.EVENT_ALL));
        ZMQ.Socket monitor = context.createSocket(SocketType.PAIR);
        monitor.setLinger(0);
        monitor.setReceiveTimeOut(50);
        monitor.connect(address);
        return monitor;
    }

    /** Socket events seen by {@link #awaitEvent}, printed when a test fails. */
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    private void awaitEvent(ZMQ.Socket monitor, ZMonitor.Event event) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            ZEvent received = ZEvent.recv(monitor);
            if (received != null) {
                events.add(received.getEvent() + " " + received.getAddress());
                if (received.getEvent() == event) {
                    return;
                }
            }
        }
        failWithThreadDump("no socket event " + event + " within " + WAIT);
    }

    /** Records the socket events that came since the last look. */
    private void noteEvents(ZMQ.Socket monitor) {
        ZEvent received;
        while ((received = ZEvent.recv(monitor, ZMQ.DONTWAIT)) != null) {
            events.add(received.getEvent() + " " + received.getAddress());
        }
    }

    /** Fails, first printing what every thread is doing, so that a stall can be told from a crash. */
    private void failWithThreadDump(String message) {
        StringBuilder dump = new StringBuilder("Thread dump at failure: ").append(message).append('\n');
        dump.append("Socket events seen: ").append(events).append('\n');
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            dump.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
            for (StackTraceElement frame : stack) {
                dump.append("    at ").append(frame).append('\n');
            }
        });
        System.err.println(dump);
        fail(message);
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * A hostile peer at the client endpoint: a raw DEALER that counts the messages the client must
     * answer, and can prove at the end that the client sent it nothing else. Used only by the test thread.
     */
    private final class Intruder implements AutoCloseable {
        private final ZMQ.Socket dealer;
        private final ZMQ.Socket monitor;
        private final List<WireMessage> received = new ArrayList<>();
        private int expectedAnswers;

        Intruder(ZContext context, String endpoint, String name) {
            dealer = context.createSocket(SocketType.DEALER);
            dealer.setLinger(0);
            dealer.setReceiveTimeOut(50);
            dealer.setSendTimeOut(SEND_TIMEOUT_MILLIS); // never block the test on a peer that stopped reading
            // JeroMQ 0.6.0 sometimes leaves a freshly connected socket without its ZMTP handshake
            // (zeromq/jeromq#1022); a short handshake interval makes it drop and redo such a
            // connection, keeping the queued messages, instead of waiting 30 s.
            dealer.setHandshakeIvl(1_000);
            monitor = monitor(context, dealer, "inproc://intruder-" + name);
            dealer.connect(endpoint);
            awaitEvent(ZMonitor.Event.CONNECTED);
        }

        void send(byte[][] frames) {
            HostilePeerTest.send(dealer, null, frames);
        }

        /** Sends a message that the client, not knowing this connection, answers with DISCONNECT. */
        void sendAnswered(byte[][] frames) {
            send(frames);
            expectedAnswers++;
        }

        /** Waits for all the answers counted so far: each is "announce yourself". */
        void awaitAnswers() {
            receiveUntil("the answers to " + expectedAnswers + " messages", () -> received.size() >= expectedAnswers);
            for (WireMessage answer : received) {
                assertInstanceOf(WireMessage.Disconnect.class, answer, "the client sent the intruder " + answer);
            }
        }

        /**
         * Shows that the client sent nothing beyond the answers counted. Messages on one connection
         * keep their order, so this announces itself as a worker, which the client answers with a
         * HEARTBEAT, and checks what came before it. Then it sends garbage, for which the client drops
         * the worker it has just registered: the next heartbeat is answered as from an unknown connection.
         */
        void assertNothingElseWasSent(ServiceClientEndpoint client) throws Exception {
            send(goodCodec.encode(new WireMessage.Ready(1, HEARTBEAT_MILLIS, MAX_MESSAGE_SIZE, SERVICE, "marker")));
            receiveUntil("the client to register the intruder",
                    () -> !received.isEmpty() && received.get(received.size() - 1) instanceof WireMessage.Heartbeat);
            List<WireMessage> before = received.subList(0, received.size() - 1);
            assertEquals(expectedAnswers, before.size(), "the client answered only what called for it: " + before);
            before.forEach(answer -> assertInstanceOf(WireMessage.Disconnect.class, answer));
            assertTrue(client.status().toCompletableFuture().get(5, TimeUnit.SECONDS).workers().stream()
                    .anyMatch(worker -> worker.label().equals("marker")), "registered");

            received.clear();
            send(new byte[][] {"not a message".getBytes(UTF_8)});
            send(goodCodec.encode(new WireMessage.Heartbeat(HEARTBEAT_MILLIS)));
            // heartbeats the client sent while the marker was registered may come first
            receiveUntil("the client to drop the marker", () -> received.stream()
                    .anyMatch(message -> message instanceof WireMessage.Disconnect));
            received.forEach(message -> assertTrue(message instanceof WireMessage.Heartbeat
                    || message instanceof WireMessage.Disconnect, "the client sent the marker " + message));
        }

        private void receiveUntil(String what, BooleanSupplier condition) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!condition.getAsBoolean()) {
                List<byte[]> frames = receiveMessage(dealer);
                if (frames == null) {
                    noteEvents();
                    if (System.nanoTime() > deadline) {
                        failWithThreadDump("timed out waiting for " + what + "; received " + received);
                    }
                    continue;
                }
                try {
                    received.add(goodCodec.decode(frames.toArray(new byte[0][]), frames.size()));
                } catch (MalformedMessageException e) {
                    fail("the client sent a malformed message: " + e.getMessage());
                }
            }
        }

        void awaitEvent(ZMonitor.Event event) {
            HostilePeerTest.this.awaitEvent(monitor, event);
        }

        void noteEvents() {
            HostilePeerTest.this.noteEvents(monitor);
        }

        @Override
        public void close() {
            monitor.close();
            dealer.close();
        }
    }

    /** A raw ROUTER on a port of its own, standing in for a client endpoint. */
    private RawClient rawClient(ZContext context, String name) {
        ZMQ.Socket router = context.createSocket(SocketType.ROUTER);
        router.setLinger(0);
        router.setRouterMandatory(true);
        router.setReceiveTimeOut(20);
        ZMQ.Socket monitor = monitor(context, router, "inproc://raw-client-" + name);
        router.bind("tcp://127.0.0.1:*");
        return new RawClient(router, monitor);
    }

    /** Reads from and heartbeats every one of the raw clients until the condition holds. */
    private void pumpAll(String what, BooleanSupplier condition, RawClient... clients) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                failWithThreadDump("timed out waiting for " + what);
            }
            for (RawClient client : clients) {
                client.pump();
            }
        }
    }

    /**
     * A worker at the protocol level, driven by the test thread: announces itself, heartbeats while
     * the test waits on it, and records what the client sends. Registered once constructed.
     */
    private final class RawWorker implements AutoCloseable {
        private final ZMQ.Socket dealer;
        private final byte[][] heartbeat = goodCodec.encode(new WireMessage.Heartbeat(HEARTBEAT_MILLIS));
        private final List<WireMessage> received = new ArrayList<>();
        private long nextHeartbeatNanos;

        RawWorker(ZContext context, String endpoint, String label, int capacity) {
            dealer = context.createSocket(SocketType.DEALER);
            dealer.setLinger(0);
            dealer.setReceiveTimeOut(20);
            dealer.setSendTimeOut(SEND_TIMEOUT_MILLIS);
            dealer.setHandshakeIvl(1_000); // see Intruder
            dealer.connect(endpoint);
            send(goodCodec.encode(new WireMessage.Ready(capacity, HEARTBEAT_MILLIS, 8 * 1024 * 1024, SERVICE, label)));
            nextHeartbeatNanos = System.nanoTime() + HEARTBEAT.toNanos();
            pumpUntil("the client to register " + label, () -> count(WireMessage.Heartbeat.class) > 0);
        }

        void send(byte[][] frames) {
            HostilePeerTest.send(dealer, null, frames);
        }

        private void pump() {
            if (System.nanoTime() - nextHeartbeatNanos >= 0) {
                nextHeartbeatNanos = System.nanoTime() + HEARTBEAT.toNanos();
                send(heartbeat);
            }
            List<byte[]> frames = receiveMessage(dealer);
            if (frames == null) {
                return;
            }
            try {
                received.add(goodCodec.decode(frames.toArray(new byte[0][]), frames.size()));
            } catch (MalformedMessageException e) {
                fail("the client sent a malformed message: " + e.getMessage());
            }
        }

        void pumpUntil(String what, BooleanSupplier condition) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    failWithThreadDump("timed out waiting for " + what + "; the raw worker received " + received);
                }
                pump();
            }
        }

        long count(Class<? extends WireMessage> type) {
            return received.stream().filter(type::isInstance).count();
        }

        /** The {@code index}-th REQUEST received (from 0), waiting for it. */
        WireMessage.Request awaitRequest(int index) {
            pumpUntil("request " + index, () -> count(WireMessage.Request.class) > index);
            return received.stream().filter(WireMessage.Request.class::isInstance).map(WireMessage.Request.class::cast)
                    .skip(index).findFirst().orElseThrow();
        }

        @Override
        public void close() {
            dealer.close();
        }
    }

    /**
     * The hostile "client": a raw ROUTER that, like a real client, accepts the worker's READY and
     * sends it heartbeats while the test waits, and records what the worker sends and which
     * connections it drops. Used only by the test thread.
     */
    private final class RawClient implements AutoCloseable {
        private final ZMQ.Socket router;
        private final ZMQ.Socket monitor;
        private final byte[][] heartbeat = goodCodec.encode(new WireMessage.Heartbeat(HEARTBEAT_MILLIS));
        private final List<WireMessage.Reply> replies = new ArrayList<>();
        private final List<Long> refusals = new ArrayList<>();
        private final List<String> undecodable = new ArrayList<>();
        /** DISCONNECT messages from the worker (not the socket events counted in {@link #disconnects}). */
        private int goodbyes;
        private final byte[][] goodbye = goodCodec.encode(new WireMessage.Disconnect());
        /** Whether a goodbye from the worker is answered at once, as a real client answers it. */
        private boolean answerGoodbyes = true;
        private byte[] identity;
        private int readyCount;
        private WireMessage.Ready lastReady;
        private int disconnects;
        private long nextHeartbeatNanos;

        RawClient(ZMQ.Socket router, ZMQ.Socket monitor) {
            this.router = router;
            this.monitor = monitor;
        }

        String endpoint() {
            return router.getLastEndpoint();
        }

        @Override
        public void close() {
            monitor.close();
            router.close();
        }

        /**
         * Sends to the worker's current connection. While the connection's queue is full the test
         * keeps reading and heartbeating, as a real client would, rather than block.
         */
        void send(byte[][] frames) {
            assertNotNull(identity, "the worker has connected");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!trySend(identity, frames)) {
                if (System.nanoTime() > deadline) {
                    fail("the worker stopped reading from its connection for " + WAIT);
                }
                pump();
            }
        }

        private boolean trySend(byte[] to, byte[][] frames) {
            try {
                if (!router.send(to, ZMQ.SNDMORE | ZMQ.DONTWAIT)) {
                    return false; // queue full: nothing was sent
                }
            } catch (ZMQException e) {
                fail("the worker's connection is gone: " + e);
            }
            // Once a ROUTER takes the identity frame, it takes the rest of the message.
            for (int i = 0; i < frames.length; i++) {
                router.send(frames[i], i < frames.length - 1 ? ZMQ.SNDMORE | ZMQ.DONTWAIT : ZMQ.DONTWAIT);
            }
            return true;
        }

        /** Heartbeats the worker, reads one message if any comes soon; false when none came. */
        private boolean pump() {
            if (identity != null && System.nanoTime() - nextHeartbeatNanos >= 0) {
                heartbeat();
            }
            ZEvent event;
            while ((event = ZEvent.recv(monitor, ZMQ.DONTWAIT)) != null) {
                events.add(event.getEvent() + " " + event.getAddress());
                if (event.getEvent() == ZMonitor.Event.DISCONNECTED) {
                    disconnects++;
                }
            }
            List<byte[]> frames = receiveMessage(router);
            if (frames == null) {
                return false;
            }
            byte[] from = frames.remove(0);
            WireMessage message;
            try {
                message = goodCodec.decode(frames.toArray(new byte[0][]), frames.size());
            } catch (MalformedMessageException e) {
                undecodable.add(e.toString());
                return true;
            }
            if (message instanceof WireMessage.Ready ready) {
                readyCount++;
                lastReady = ready;
                identity = from;
                heartbeat(); // accept the worker at once, as a real client does
            } else if (message instanceof WireMessage.Reply reply) {
                replies.add(reply);
            } else if (message instanceof WireMessage.Refuse refuse) {
                refusals.add(refuse.correlationId());
            } else if (message instanceof WireMessage.Disconnect) {
                goodbyes++;
                if (answerGoodbyes) {
                    answerGoodbye(from);
                }
            }
            return true;
        }

        /**
         * Answers a goodbye as a real client does (nothing it sent before is still on its way), without
         * waiting: after its last goodbye the worker may already have closed the connection.
         */
        private void answerGoodbye(byte[] to) {
            sendIfConnected(to, goodbye);
        }

        /** Sends a heartbeat without waiting; a dropped connection is left to the worker to replace. */
        private void heartbeat() {
            nextHeartbeatNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HEARTBEAT_MILLIS);
            sendIfConnected(identity, heartbeat); // a dropped connection is the worker's to replace
        }

        /** Sends a two-frame message without waiting, unless the connection is gone. */
        private void sendIfConnected(byte[] to, byte[][] frames) {
            try {
                if (router.send(to, ZMQ.SNDMORE | ZMQ.DONTWAIT)) {
                    router.send(frames[0], ZMQ.SNDMORE | ZMQ.DONTWAIT);
                    router.send(frames[1], ZMQ.DONTWAIT);
                }
            } catch (ZMQException gone) {
                // nothing to do: the worker announces itself again on a new connection, or has closed
            }
        }

        void pumpUntil(String what, BooleanSupplier condition) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    failWithThreadDump("timed out waiting for " + what);
                }
                pump();
            }
        }

        /** Reads whatever is still queued, without waiting. */
        void drain() {
            router.setReceiveTimeOut(0);
            while (pump()) {
                // keep reading
            }
            router.setReceiveTimeOut(20);
        }

        WireMessage.Reply awaitReply(long id) {
            Predicate<WireMessage.Reply> wanted = reply -> reply.correlationId() == id;
            pumpUntil("REPLY " + id, () -> replies.stream().anyMatch(wanted));
            return replies.stream().filter(wanted).findFirst().orElseThrow();
        }

        /** The correlation ids of the replies received, in order. */
        List<Long> replyIds() {
            return replies.stream().map(WireMessage.Reply::correlationId).toList();
        }

        int readyCount() {
            return readyCount;
        }

        /** The correlation ids of the refusals received, in order. */
        List<Long> refusals() {
            return refusals;
        }

        int goodbyes() {
            return goodbyes;
        }

        WireMessage.Ready lastReady() {
            return lastReady;
        }

        int disconnects() {
            return disconnects;
        }

        List<String> undecodable() {
            return undecodable;
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** Threads that call the service in a loop, each call with a unique payload that must come back. */
    private static final class GoodTraffic implements AutoCloseable {
        private final ServiceClientEndpoint client;
        private final AtomicInteger succeeded = new AtomicInteger();
        private final AtomicInteger sent = new AtomicInteger();
        private final Set<String> ids = ConcurrentHashMap.newKeySet();
        private final Queue<String> failures = new ConcurrentLinkedQueue<>();
        private final List<Thread> threads = new ArrayList<>();
        private static final long PACE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
        private volatile boolean stop;

        GoodTraffic(ServiceClientEndpoint client, int threadCount) {
            this.client = client;
            for (int t = 0; t < threadCount; t++) {
                int index = t;
                Thread thread = new Thread(() -> run(index), "good-traffic-" + t);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }

        private void run(int index) {
            for (int n = 0; !stop; n++) {
                String id = "good-" + index + "-" + n;
                ids.add(id);
                sent.incrementAndGet();
                try {
                    ServiceResult result = client.request("/echo").argument("ID", id).body(id.getBytes(UTF_8))
                            .timeout(Duration.ofSeconds(5)).send();
                    String echoed = result.response().payload().getString("ID", null);
                    if (result.response().statusCode() != 200 || !id.equals(echoed)
                            || !Arrays.equals(id.getBytes(UTF_8), result.response().body())) {
                        failures.add(id + ": got " + result.response().statusCode() + " "
                                + result.response().statusMessage() + " " + echoed);
                    } else {
                        succeeded.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    failures.add(id + ": " + e);
                }
                // A steady stream, not a flood: leave the machine's cores to the engine's threads.
                LockSupport.parkNanos(PACE_NANOS);
            }
        }

        int succeeded() {
            return succeeded.get();
        }

        int sent() {
            return sent.get();
        }

        Set<String> ids() {
            return Set.copyOf(ids);
        }

        /** Whether {@code count} calls succeeded, or any failed (so a waiting test stops at once). */
        boolean succeededOrFailed(int count) {
            return succeeded.get() >= count || !failures.isEmpty();
        }

        void awaitSuccesses(int count) {
            Fixtures.awaitCondition(WAIT, count + " good calls (failures: " + failures + ")",
                    () -> succeeded.get() >= count || !failures.isEmpty());
            assertAllSucceeded();
        }

        void assertAllSucceeded() {
            assertTrue(failures.isEmpty(), "good calls failed: " + failures);
        }

        /** Stops the callers and waits for their last calls. */
        void stop() {
            stop = true;
            for (Thread thread : threads) {
                try {
                    thread.join(TimeUnit.SECONDS.toMillis(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while stopping " + thread.getName(), e);
                }
                assertFalse(thread.isAlive(), thread.getName() + " stopped");
            }
        }

        @Override
        public void close() {
            stop();
        }
    }

}
