package io.brubeck.service.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.brubeck.it.support.KeptLog;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
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
 * from a registered worker (the client drops that worker and settles its calls) or from the client
 * that registered a worker (the worker replaces that connection), what the sessions
 * of protocol version 2 protect against (messages recorded in one session and replayed in another:
 * a worker's READY and HEARTBEATs to a client, a client's REQUEST to a worker), the bound both ends
 * keep on a message's total size, and the refusals a worker answers with instead of starting work it
 * has no room for, or while it drains.
 *
 * <p>The client and worker run in ZeroMQ contexts of the test's own, so that the test sees every
 * thread they start (JeroMQ's I/O threads too) and every exception that escapes one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostilePeerTest {
    private static final String SERVICE = "hostile";
    private static final String WRONG_SECRET = Fixtures.SECRET + "-but-wrong";
    private static final int MAX_MESSAGE_SIZE = 64 * 1024;
    /** A REPLY header's bytes before its variable fields: the prefix with both nonces, and the fixed fields. */
    private static final int REPLY_FIXED_PART = 47;
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
            first.send(wrongCodec.encode(new WireMessage.Ready(1000, 100, MAX_MESSAGE_SIZE, SERVICE, "intruder"),
                    SessionNonces.draw(), 0));
            first.send(fromOutside(wrongCodec, new WireMessage.Heartbeat(100)));
            // Replies for the ids the client has given its calls so far and the next few hundred
            // (it numbers them 1, 2, 3…), trying to answer good calls falsely.
            for (long id = 1, last = traffic.sent() + 300L; id <= last; id++) {
                first.send(fromOutside(wrongCodec, forgedReply(id)));
            }
            first.send(fromOutside(wrongCodec, new WireMessage.Refuse(1)));
            first.send(fromOutside(wrongCodec, WireMessage.Disconnect.INSTANCE));
            // 3. correctly signed, from a connection the client does not know, in sessions of others.
            //    Anything but READY is answered with DISCONNECT ("announce yourself", in the session the
            //    message names) and has no other effect: a REQUEST (the wrong role), replies and
            //    refusals for ids of the good calls, and a goodbye.
            first.sendAnswered(fromOutside(goodCodec, request(1, "wrong-role")));
            for (long id = Math.max(1, traffic.sent() - 2), last = traffic.sent() + 2; id <= last; id++) {
                first.sendAnswered(fromOutside(goodCodec, forgedReply(id)));
                first.sendAnswered(fromOutside(goodCodec, new WireMessage.Refuse(id)));
            }
            first.sendAnswered(fromOutside(goodCodec, WireMessage.Disconnect.INSTANCE));
            // A READY for another service is not answered.
            first.send(goodCodec.encode(new WireMessage.Ready(1, 100, MAX_MESSAGE_SIZE, "another-service", "lost"),
                    SessionNonces.draw(), 0));
            // 4. larger in all than the client's maxMessageSize, although each frame is within it:
            //    dropped before it is decoded, so not answered; the same message a little smaller is.
            first.send(fromOutside(goodCodec, paddedReply(1, MAX_MESSAGE_SIZE / 2 + 1024)));
            first.sendAnswered(fromOutside(goodCodec, paddedReply(1, MAX_MESSAGE_SIZE / 2 - 1024)));
            // 5. a valid message with frames added; and one of a worker that has not read a client's nonce
            byte[][] heartbeat = goodCodec.encode(new WireMessage.Heartbeat(100), SessionNonces.draw(), 0);
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
            second.send(wrongCodec.encode(new WireMessage.Ready(1000, 100, MAX_MESSAGE_SIZE, SERVICE, "intruder-2"),
                    SessionNonces.draw(), 0));
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
            // for each message that called for it, each in the session its message named.
            first.assertNothingElseWasSent(client);
            second.assertNothingElseWasSent(client);
            assertEquals(List.of("good-worker"), client.status().toCompletableFuture().get(5, TimeUnit.SECONDS)
                    .workers().stream().map(ClientStatus.WorkerStatus::label).toList());
        }
        // and the client still serves after the attack
        assertEcho(client, "after-the-attack");
        assertTrue(uncaught.isEmpty(), "no thread died: " + uncaught);
    }

    /**
     * The client's answer to a message from a connection it does not know is a DISCONNECT that names the
     * worker's nonce of the session the message named (its sender nonce) and no nonce of the client's. So
     * the worker of that session takes it and announces itself again, a recording of it works against that
     * session only, and it can never pass for a message of a worker, whose messages carry their own nonce.
     * A message that names no sender, which only a client's own answer does, is not answered.
     */
    @Test
    void theClientAnswersAnUnknownConnectionNamingOnlyTheSendersNonce() throws Exception {
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig(SERVICE).maxMessageSize(MAX_MESSAGE_SIZE)
                .build());
        long a = SessionNonces.draw();
        long b = SessionNonces.draw();
        long c = SessionNonces.draw();
        try (Intruder intruder = new Intruder(fixtures.track(new ZContext(1)), client.endpoint(), "echoed")) {
            // A client's own answer played back names no worker: it is not answered (else a first answer here).
            intruder.send(goodCodec.encode(WireMessage.Disconnect.INSTANCE, 0, a));
            intruder.sendAnswered(goodCodec.encode(new WireMessage.Heartbeat(HEARTBEAT_MILLIS), a, b));
            intruder.sendAnswered(goodCodec.encode(new WireMessage.Heartbeat(HEARTBEAT_MILLIS), a, 0));
            intruder.sendAnswered(goodCodec.encode(forgedReply(1), b, c));
            intruder.sendAnswered(goodCodec.encode(new WireMessage.Refuse(1), c, a));
            intruder.sendAnswered(goodCodec.encode(WireMessage.Disconnect.INSTANCE, c, b));
            intruder.awaitAnswers();
            assertEquals(List.of(new Nonces(0, a), new Nonces(0, a), new Nonces(0, b), new Nonces(0, c),
                    new Nonces(0, c)), intruder.heard().stream().map(Heard::nonces).toList());
        }
        assertEquals(List.of(), client.status().toCompletableFuture().get(5, TimeUnit.SECONDS).workers(),
                "none of the messages made a worker of the intruder");
    }

    /**
     * A READY recorded from a real worker, replayed on a connection of the attacker's own with the
     * HEARTBEATs that worker sent before any client answered it (its nonce, none of the client's): the
     * client takes the READY, as it cannot tell it from a new worker's, and answers it with its nonce.
     * The replayer cannot name that nonce in a message of the passphrase, so the worker never joins:
     * it gets no call although calls wait, the status never lists it, and the replayed HEARTBEATs are no
     * sign of life, so the client drops it at its silence limit counted from the READY (a replayed READY
     * holds a slot of maxWorkers no longer). Then a real worker serves the waiting calls.
     */
    @Test
    void aReplayedReadyNeverGetsACallAndIsDroppedAtItsSilenceLimit() throws Exception {
        ZContext rawContext = fixtures.track(new ZContext(1));
        RawClient recorder = fixtures.track(rawClient(rawContext, "recorder"));
        recorder.acceptWorkers = false; // so the worker's HEARTBEATs name no client nonce
        ServiceWorker recordedWorker = fixtures.worker(WorkerConfig.builder(SERVICE).endpoints(recorder.endpoint())
                .passphrase(Fixtures.SECRET).heartbeatInterval(HEARTBEAT).liveness(LIVENESS).label("recorded")
                .routes(echoRoutes()).build());
        pumpAll("the worker's READY and a HEARTBEAT after it", () -> recorder.heard().stream()
                .anyMatch(heard -> heard.message() instanceof WireMessage.Heartbeat), recorder);
        Heard ready = recorder.heard().get(0);
        assertInstanceOf(WireMessage.Ready.class, ready.message());
        long workerNonce = ready.nonces().sender();
        Heard beat = recorder.heard().stream().filter(heard -> heard.message() instanceof WireMessage.Heartbeat)
                .findFirst().orElseThrow();
        assertEquals(new Nonces(workerNonce, 0), beat.nonces(), "a HEARTBEAT of the READY's session, to no client yet");
        CompletableFuture<Void> recordedClosed = CompletableFuture.runAsync(recordedWorker::close);
        pumpAll("the recorded worker to close", recordedClosed::isDone, recorder); // its goodbye is answered

        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig(SERVICE).timeout(WAIT).build());
        List<CompletableFuture<ServiceResult>> calls = Stream.of("waiting-1", "waiting-2")
                .map(id -> client.request("/echo").argument("ID", id).body(id.getBytes(UTF_8)).sendAsync()
                        .toCompletableFuture())
                .toList();
        Duration silenceLimit = HEARTBEAT.multipliedBy(LIVENESS); // the READY's interval times the client's liveness
        try (Intruder replayer = new Intruder(rawContext, client.endpoint(), "replayer")) {
            long start = System.nanoTime();
            replayer.send(ready.frames());
            long[] nextBeat = {start};
            replayer.receiveUntil("the client to drop the replayed worker", () -> replayer.heard().stream()
                    .anyMatch(heard -> heard.message() instanceof WireMessage.Disconnect), () -> {
                        if (System.nanoTime() - nextBeat[0] >= 0) {
                            nextBeat[0] += HEARTBEAT.toNanos();
                            replayer.send(beat.frames());
                        }
                        assertEquals(List.of(), client.status().toCompletableFuture().join().workers(),
                                "the client never lists the replayed worker");
                    });
            long dropped = System.nanoTime() - start;
            assertTrue(dropped > silenceLimit.toNanos(), "dropped after " + TimeUnit.NANOSECONDS.toMillis(dropped)
                    + " ms, not before its silence limit");

            List<Heard> heard = replayer.heard();
            long clientNonce = heard.get(0).nonces().sender();
            assertTrue(clientNonce != 0, "the client answered the READY with a nonce of its own");
            for (Heard message : heard.subList(0, heard.size() - 1)) {
                assertInstanceOf(WireMessage.Heartbeat.class, message.message(), "only heartbeats, never a call");
                assertEquals(new Nonces(clientNonce, workerNonce), message.nonces());
            }
            assertEquals(new Nonces(0, workerNonce), heard.get(heard.size() - 1).nonces(),
                    "the replayed HEARTBEAT, from a connection it no longer knows, answered in its session");
            assertTrue(calls.stream().noneMatch(CompletableFuture::isDone), "the calls still wait for a worker");
        }

        fixtures.worker(fixtures.workerConfig(client, echoRoutes()).label("good").build());
        for (int i = 0; i < calls.size(); i++) {
            ServiceResult result = calls.get(i).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals("waiting-" + (i + 1), result.response().payload().getString("ID"));
        }
        assertEquals(Set.of("waiting-1", "waiting-2"), handled, "the recorded worker ran nothing");
    }

    // ---------------------------------------------------------------------------------------------
    // The worker under attack, from a "client" endpoint it was told to connect to

    /**
     * A hostile endpoint that the worker was told to connect to, while the worker serves a real client
     * with good traffic. Until the endpoint registers the worker, whatever it sends that fails
     * validation (garbage, wrong passphrase, messages too large or with too many frames, messages of
     * another session) is dropped and changes nothing: the connection stays, and serves the valid
     * requests sent on it. Once it has registered the worker, each such message makes the worker
     * replace the connection and announce itself again (docs/PROTOCOL.md, section 6), as does a frame
     * that ZeroMQ refuses. Throughout, nothing but the valid requests is dispatched or answered, the
     * real client's calls all succeed, and no thread dies.
     */
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
        raw.registerWorkers = false;
        Set<Long> validIds = new HashSet<>();
        Set<String> validEchoes = new HashSet<>();
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
            // A valid request is a sign of life that does not register the connection: one now and then
            // keeps the worker from taking the unregistered connection for a silent one.
            Runnable signOfLife = () -> {
                long id = 100 + validIds.size();
                String echo = "alive-" + id;
                raw.send(request(id, echo));
                assertValidEcho(raw.awaitReply(id), echo);
                validIds.add(id);
                validEchoes.add(echo);
            };
            signOfLife.run();
            raw.pumpUntil("the worker to join the real client",
                    () -> client.status().toCompletableFuture().join().workers().size() == 1);

            try (GoodTraffic traffic = new GoodTraffic(client, 2)) {
                raw.pumpUntil("good calls", () -> traffic.succeededOrFailed(20));
                List<Thread> engineThreads = engineThreads();
                Random random = new Random(SEED + 1);

                // Before registration, on the one connection:
                // 1. garbage
                for (int i = 0; i < 400; i++) {
                    raw.send(garbage(random));
                    if (i % 50 == 49) {
                        signOfLife.run();
                    }
                }
                // 2. requests and control messages of the session, signed with a wrong passphrase
                for (int i = 0; i < 200; i++) {
                    raw.send(raw.encode(wrongCodec, request(1_000 + i, "forged-" + i)));
                }
                raw.send(raw.encode(wrongCodec, new WireMessage.Heartbeat(1)));
                raw.send(raw.encode(wrongCodec, WireMessage.Disconnect.INSTANCE));
                // 3. correctly signed messages a client never sends: ignored (a READY names no
                //    receiver, so the worker drops it as of another session)
                raw.send(forgedReply(5));
                raw.send(new WireMessage.Refuse(5));
                raw.send(goodCodec.encode(new WireMessage.Ready(5, 100, MAX_MESSAGE_SIZE, SERVICE, "not-a-worker"),
                        raw.ownNonce(), 0));
                // 4. a request of another session, and valid requests the worker must not take: larger in
                //    all than its maxMessageSize though each frame is within it, and one with a frame too
                //    many. The worker drops them unanswered; a request a little smaller is answered.
                raw.send(goodCodec.encode(request(13, "other-session"), SessionNonces.draw(), raw.workerNonce()));
                raw.send(paddedRequest(10, "too-large", MAX_MESSAGE_SIZE / 2 + 1024));
                byte[][] extraFrame = raw.encode(goodCodec, request(12, "extra-frame"));
                raw.send(new byte[][] {extraFrame[0], extraFrame[1], new byte[0], extraFrame[2]});
                raw.send(paddedRequest(11, "within-limit", MAX_MESSAGE_SIZE / 2 - 1024));
                WireMessage.Reply withinLimit = raw.awaitReply(11);
                assertEquals(200, withinLimit.statusCode());
                assertArrayEquals(paddedRequest(11, "within-limit", MAX_MESSAGE_SIZE / 2 - 1024).body(), withinLimit.body());
                validIds.add(11L);
                validEchoes.add("within-limit");
                // 5. a valid request
                raw.send(request(1, "valid-1"));
                assertValidEcho(raw.awaitReply(1), "valid-1");
                validIds.add(1L);
                validEchoes.add("valid-1");
                int before = traffic.succeeded();
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (!traffic.succeededOrFailed(before + 20)) { // signs of life meanwhile, on a slow machine too
                    assertTrue(System.nanoTime() - deadline < 0, "timed out waiting for more good calls");
                    signOfLife.run();
                }
                assertEquals(1, raw.readyCount(), "no message dropped before registration made the worker reconnect");
                assertEquals(disconnectsBefore, raw.disconnects(), "nor did the worker's ZeroMQ close the connection");
                assertEquals(validIds, Set.copyOf(raw.replyIds()), "only the valid requests were answered");

                // 6. Registered, each dropped message makes the worker replace the connection: it
                //    announces itself again on a new one, which this endpoint registers in turn.
                raw.register();
                List<Map.Entry<String, Supplier<byte[][]>>> badMessages = List.of(
                        Map.entry("garbage", () -> garbage(random)),
                        Map.entry("a wrong passphrase", () -> raw.encode(wrongCodec, request(3_000, "forged"))),
                        Map.entry("another session", () -> goodCodec.encode(request(3_001, "other-session"),
                                SessionNonces.draw(), raw.workerNonce())),
                        Map.entry("too large", () -> goodCodec.encode(paddedRequest(3_002, "too-large",
                                MAX_MESSAGE_SIZE / 2 + 1024), raw.ownNonce(), raw.workerNonce())),
                        Map.entry("a frame too many", () -> {
                            byte[][] frames = raw.encode(goodCodec, request(3_003, "extra-frame"));
                            return new byte[][] {frames[0], frames[1], new byte[0], frames[2]};
                        }));
                int reconnects = 0;
                try (KeptLog workerLog = KeptLog.of(WorkerLoop.class)) {
                    for (Map.Entry<String, Supplier<byte[][]>> bad : badMessages) {
                        int readies = raw.readyCount();
                        raw.send(bad.getValue().get());
                        raw.pumpUntil("the worker to announce itself again after " + bad.getKey(),
                                () -> raw.readyCount() == readies + 1 && raw.workerKnowsUs());
                        reconnects++;
                    }
                    assertTrue(workerLog.has("reconnects to " + router.getLastEndpoint()
                            + " because the client sent a message that was dropped"), workerLog.messages().toString());
                }

                // 7. a frame bigger than the worker accepts. ZeroMQ treats it as a protocol error and
                //    closes that connection for good (no automatic reconnect); the worker learns that it
                //    broke, and reconnects at once, announcing itself again.
                try (KeptLog workerLog = KeptLog.of(WorkerLoop.class)) {
                    int readies = raw.readyCount();
                    int disconnectsExpected = disconnectsBefore + reconnects + 1;
                    byte[] oversized = new byte[MAX_MESSAGE_SIZE * 2];
                    random.nextBytes(oversized);
                    raw.send(new byte[][] {oversized});
                    raw.pumpUntil("the worker's connection to drop", () -> raw.disconnects() >= disconnectsExpected);
                    raw.pumpUntil("the worker to announce itself again", () -> raw.readyCount() == readies + 1);
                    assertTrue(workerLog.has("reconnects to " + router.getLastEndpoint()
                            + " because its connection to the client broke"), workerLog.messages().toString());
                    reconnects++;
                }
                assertEquals(new WireMessage.Ready(2, HEARTBEAT_MILLIS, MAX_MESSAGE_SIZE, SERVICE, "victim"),
                        raw.lastReady());
                // 8. the worker still answers valid requests, in the new connection's session
                raw.send(request(2, "valid-2"));
                assertValidEcho(raw.awaitReply(2), "valid-2");
                validIds.add(2L);
                validEchoes.add("valid-2");
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
                int disconnectsAtClose = disconnectsBefore + reconnects + 1;
                raw.pumpUntil("the worker to disconnect", () -> raw.disconnects() >= disconnectsAtClose);
                raw.drain();
                assertEquals(validIds, Set.copyOf(raw.replyIds()), "replies only to the valid requests");
                assertEquals(validIds.size(), raw.replyIds().size(), "each answered once: " + raw.replyIds());
                assertTrue(raw.refusals().isEmpty(), "nothing was refused: " + raw.refusals());
                assertTrue(raw.undecodable().isEmpty(), "the worker sent only valid messages: " + raw.undecodable());
                Set<String> expected = new HashSet<>(traffic.ids());
                expected.addAll(validEchoes);
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

    /**
     * A REQUEST recorded in one session with a worker and replayed to it in a later session names the
     * earlier worker nonce, so the worker drops it: the handler does not run and nothing answers it.
     * Messages that name another session are dropped as well, and no request of them runs. On a
     * connection the client has not registered they have no other effect: no goodbye of them makes the
     * worker reconnect, and it keeps serving the session's requests on it. On a registered connection a
     * dropped message means a faulty client, and the worker replaces the connection (docs/PROTOCOL.md,
     * section 6).
     */
    @Test
    void theWorkerDropsARequestReplayedInALaterSessionAndEverythingOfAnotherSession() throws Exception {
        ZContext rawContext = fixtures.track(new ZContext(1));
        RawClient raw = fixtures.track(rawClient(rawContext, "replaying"));
        ServiceWorker worker = fixtures.worker(WorkerConfig.builder(SERVICE).endpoints(raw.endpoint())
                .passphrase(Fixtures.SECRET).heartbeatInterval(HEARTBEAT).liveness(LIVENESS).concurrency(2)
                .shutdownGrace(WAIT).label("victim").routes(echoRoutes()).build());
        pumpAll("the worker to join", raw::workerKnowsUs, raw);
        byte[][] recorded = raw.encode(goodCodec, request(1, "recorded"));
        raw.send(recorded);
        assertValidEcho(raw.awaitReply(1), "recorded");

        // A goodbye in the session: the worker announces itself again on a new connection, a new session,
        // which this time the client does not register.
        raw.registerWorkers = false;
        raw.send(WireMessage.Disconnect.INSTANCE);
        pumpAll("the worker to announce itself again", () -> raw.readyCount() == 2, raw);
        raw.send(request(2, "fresh")); // a sign of life in the session, which fixes the client's nonce
        assertValidEcho(raw.awaitReply(2), "fresh");
        raw.send(recorded);

        long workerNonce = raw.workerNonce();
        long clientNonce = raw.ownNonce();
        long other = SessionNonces.draw();
        raw.send(goodCodec.encode(request(3, "from-another-client"), other, workerNonce));
        raw.send(goodCodec.encode(request(4, "to-another-worker"), clientNonce, other));
        raw.send(goodCodec.encode(request(5, "from-no-client"), 0, workerNonce));
        // A goodbye it took would make it reconnect at once, as above. (One naming its nonce and none of
        // the client's is how a client that does not know the connection says so: that one it takes.)
        raw.send(goodCodec.encode(WireMessage.Disconnect.INSTANCE, other, workerNonce));
        raw.send(goodCodec.encode(WireMessage.Disconnect.INSTANCE, clientNonce, other));
        raw.send(request(6, "in-the-session"));
        pumpAll("REPLY 6, a refusal, or the worker to announce itself again",
                () -> raw.replyIds().contains(6L) || !raw.refusals().isEmpty() || raw.readyCount() > 2, raw);
        assertEquals(2, raw.readyCount(), "nothing of another session made the worker reconnect");
        assertEquals(List.of(), raw.refusals(), "no request of another session took a slot");
        assertValidEcho(raw.awaitReply(6), "in-the-session");

        // Registered (the HEARTBEAT reaches the worker first), the connection is replaced at the replay.
        byte[] connection = raw.identity();
        raw.register();
        raw.send(recorded);
        pumpAll("the worker to announce itself again", () -> raw.readyCount() == 3 && raw.workerKnowsUs(), raw);
        assertFalse(Arrays.equals(connection, raw.identity()), "a new connection");
        raw.send(request(7, "after-the-replay"));
        assertValidEcho(raw.awaitReply(7), "after-the-replay");

        // Once closed, the worker has sent every reply of the handlers it started, before its last goodbye.
        CompletableFuture<Void> closed = CompletableFuture.runAsync(worker::close);
        pumpAll("the worker to close", closed::isDone, raw);
        raw.drain();
        assertEquals(List.of(1L, 2L, 6L, 7L), raw.replyIds(), "replies to the requests of the sessions only");
        assertEquals(Set.of("recorded", "fresh", "in-the-session", "after-the-replay"), handled);
        assertEquals(4, handlerRuns.get(), "the replayed request did not run again");
        assertTrue(raw.undecodable().isEmpty(), "the worker sent only valid messages: " + raw.undecodable());
    }

    /** Kinds of message a faulty or hostile client may send a worker that the worker drops (docs/PROTOCOL.md, section 6). */
    static Stream<String> messagesAWorkerDrops() {
        return Stream.of("a body changed after signing", "a wrong passphrase", "garbage", "too many frames", "too large",
                "another session");
    }

    /** A message of the given kind, sent on the raw client's current connection; it would otherwise be request 9. */
    private byte[][] messageTheWorkerDrops(String kind, RawClient raw) {
        return switch (kind) {
            case "a body changed after signing" -> {
                byte[][] frames = raw.encode(goodCodec, request(9, "tampered"));
                frames[1][0] ^= 1;
                yield frames;
            }
            case "a wrong passphrase" -> raw.encode(wrongCodec, request(9, "forged"));
            case "garbage" -> new byte[][] {"not a".getBytes(UTF_8), "message".getBytes(UTF_8)};
            case "too many frames" -> {
                byte[][] frames = raw.encode(goodCodec, request(9, "extra-frame"));
                yield new byte[][] {frames[0], frames[1], new byte[0], frames[2]};
            }
            case "too large" -> raw.encode(goodCodec, paddedRequest(9, "too-large", MAX_MESSAGE_SIZE / 2 + 1024));
            case "another session" -> goodCodec.encode(request(9, "other-session"), SessionNonces.draw(), raw.workerNonce());
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private ServiceWorker workerOf(RawClient raw) {
        return fixtures.worker(WorkerConfig.builder(SERVICE).endpoints(raw.endpoint()).passphrase(Fixtures.SECRET)
                .heartbeatInterval(HEARTBEAT).liveness(LIVENESS).concurrency(2).maxMessageSize(MAX_MESSAGE_SIZE)
                .label("victim").routes(echoRoutes()).build());
    }

    /**
     * A message that the worker drops, on a connection the client has registered, comes from a faulty
     * client: had it been a REQUEST, the client would wait for its answer until its deadline and hold
     * the worker's slot. So the worker replaces the connection: it announces itself again with a new
     * nonce on a new connection, which the client can tell from the old one, and serves requests there.
     */
    @ParameterizedTest
    @MethodSource("messagesAWorkerDrops")
    void aMessageDroppedOnARegisteredConnectionMakesTheWorkerAnnounceItselfAgain(String kind) throws Exception {
        ZContext rawContext = fixtures.track(new ZContext(1));
        RawClient raw = fixtures.track(rawClient(rawContext, "faulty"));
        workerOf(raw);
        pumpAll("the worker to join", raw::workerKnowsUs, raw);
        raw.send(request(1, "before"));
        assertValidEcho(raw.awaitReply(1), "before");
        long nonce = raw.workerNonce();
        byte[] connection = raw.identity();

        try (KeptLog workerLog = KeptLog.of(WorkerLoop.class)) {
            raw.send(messageTheWorkerDrops(kind, raw));
            pumpAll("the worker to announce itself again", () -> raw.readyCount() == 2 && raw.workerKnowsUs(), raw);
            assertTrue(workerLog.has("reconnects to " + raw.endpoint() + " because the client sent a message that was"
                    + " dropped"), workerLog.messages().toString());
        }
        assertNotEquals(nonce, raw.workerNonce(), "a new session");
        assertFalse(Arrays.equals(connection, raw.identity()), "on a new connection");
        raw.send(request(2, "after"));
        assertValidEcho(raw.awaitReply(2), "after");
        assertEquals(Set.of("before", "after"), handled, "nothing of the dropped message ran");
        assertTrue(raw.refusals().isEmpty(), "nothing was refused: " + raw.refusals());
    }

    /**
     * Before the client registers the worker, a message the worker drops may come from whatever listens
     * at the address, and changes nothing: the connection stays, and serves the next valid request (on
     * one connection messages arrive in order, so a reply to it shows that the connection outlived the
     * dropped message). A connection nobody registers is left to the silence check.
     */
    @ParameterizedTest
    @MethodSource("messagesAWorkerDrops")
    void aMessageDroppedOnAConnectionNotRegisteredLeavesIt(String kind) throws Exception {
        ZContext rawContext = fixtures.track(new ZContext(1));
        RawClient raw = fixtures.track(rawClient(rawContext, "stranger"));
        raw.registerWorkers = false;
        workerOf(raw);
        pumpAll("the worker's READY", () -> raw.readyCount() == 1, raw);
        raw.send(request(1, "before")); // fixes the client's nonce: another nonce is then of another session
        assertValidEcho(raw.awaitReply(1), "before");

        raw.send(messageTheWorkerDrops(kind, raw));
        raw.send(request(2, "after"));
        assertValidEcho(raw.awaitReply(2), "after");
        assertEquals(1, raw.readyCount(), "the worker kept its connection");
        assertEquals(Set.of("before", "after"), handled, "nothing of the dropped message ran");
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
        assertEquals("Worker generous of service '" + SERVICE + "' became unavailable while handling /big; it was sent"
                + " 3 times (maxAttempts)", again.getMessage());
        assertEquals(1 + 3, bigRuns.get(), "the idempotent call was sent maxAttempts (3) times");
        assertEquals("small", client.request("/small").send().response().statusMessage());
    }

    /** The bound is on the whole message, the HMAC frame included; a reply of exactly the limit is fine. */
    @Test
    void aReplyOfExactlyTheClientsMaxMessageSizeIsAccepted() throws Exception {
        ZContext rawContext = fixtures.track(new ZContext(1));
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig(SERVICE)
                .maxMessageSize(MAX_MESSAGE_SIZE).timeout(WAIT).build());
        RawWorker raw = fixtures.track(new RawWorker(rawContext, client, "exact", 1));

        CompletableFuture<ServiceResult> call = client.request("/exact").sendAsync().toCompletableFuture();
        WireMessage.Request request = raw.awaitRequest(0);
        byte[][] frames = raw.encode(goodCodec, replyOfTotalSize(request.correlationId(), MAX_MESSAGE_SIZE));
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
        RawWorker raw = fixtures.track(new RawWorker(rawContext, client, "over", 1));

        CompletableFuture<ServiceResult> call = client.request("/over").sendAsync().toCompletableFuture();
        WireMessage.Request request = raw.awaitRequest(0);
        byte[][] frames = raw.encode(goodCodec, replyOfTotalSize(request.correlationId(), MAX_MESSAGE_SIZE + 1));
        assertEquals(MAX_MESSAGE_SIZE + 1, Arrays.stream(frames).mapToInt(frame -> frame.length).sum());
        raw.send(frames);
        raw.pumpUntil("the call to settle", call::isDone);
        ExecutionException failure = assertThrows(ExecutionException.class, call::get);
        assertInstanceOf(ServiceUnavailableException.class, failure.getCause());
        raw.pumpUntil("DISCONNECT for the dropped worker", () -> raw.count(WireMessage.Disconnect.class) > 0);
    }

    /**
     * A REPLY whose frames add up to {@code total} bytes, each well within {@code total}: half of it a
     * status message in the header, the rest (but for the fixed part, the lengths of the four variable
     * fields, METHOD, a {@code {}} payload and the HMAC) the body.
     */
    private static WireMessage.Reply replyOfTotalSize(long id, int total) {
        int overhead = REPLY_FIXED_PART + 4 * 4 + "response".length() + 2 + MessageAuthenticator.CODE_LENGTH;
        byte[] status = "x".repeat(total / 2).getBytes(UTF_8);
        return new WireMessage.Reply(id, 200, 0, 0, status, "response".getBytes(UTF_8), new byte[0],
                "{}".getBytes(UTF_8), new byte[total - overhead - status.length]);
    }

    // ---------------------------------------------------------------------------------------------
    // A registered worker that sends something malformed, or a message of another session

    static Stream<String> malformedMessages() {
        return Stream.of("garbage", "wrong passphrase", "other version", "unknown command", "bad shape",
                "status out of range", "too many frames", "larger than maxMessageSize", "a REQUEST");
    }

    /**
     * One of {@link #malformedMessages()}, from {@code raw}'s connection (in its session, but for the
     * malformation), as the answer to the call with the given id.
     */
    private byte[][] malformed(String kind, long id, RawWorker raw) {
        WireMessage.Reply reply = plainReply(id);
        byte[][] frames = raw.encode(goodCodec, reply);
        switch (kind) {
            case "garbage":
                return new byte[][] {"not a message".getBytes(UTF_8)};
            case "wrong passphrase":
                return raw.encode(wrongCodec, reply);
            case "other version":
                frames[0][3] = 1;
                return resigned(frames);
            case "unknown command":
                frames[0][4] = 7;
                return resigned(frames);
            case "bad shape":
                frames[0] = Arrays.copyOf(frames[0], frames[0].length + 1);
                return resigned(frames);
            case "status out of range":
                return raw.encode(goodCodec, new WireMessage.Reply(id, 700, 0, 0, new byte[0], new byte[0], new byte[0],
                        new byte[0], new byte[0]));
            case "too many frames":
                return resigned(new byte[][] {frames[0], frames[1], new byte[0], frames[2]});
            case "larger than maxMessageSize":
                return raw.encode(goodCodec, paddedReply(id, MAX_MESSAGE_SIZE / 2 + 1024));
            case "a REQUEST":
                return raw.encode(goodCodec, request(id, "wrong-role"));
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    static Stream<String> messagesOfAnotherSession() {
        return Stream.of("a REPLY from another worker nonce", "a REPLY to another client nonce",
                "a REPLY to no client nonce", "a HEARTBEAT from another worker nonce",
                "a DISCONNECT to another client nonce");
    }

    /**
     * One of {@link #messagesOfAnotherSession()}, from {@code raw}'s connection once it serves: valid and
     * correctly signed, the REPLY the answer to the call with the given id, but naming a session that
     * is not the connection's.
     */
    private byte[][] ofAnotherSession(String kind, long id, RawWorker raw) {
        long worker = raw.session.own();
        long client = raw.session.peer();
        long other = SessionNonces.draw();
        return switch (kind) {
            case "a REPLY from another worker nonce" -> goodCodec.encode(plainReply(id), other, client);
            case "a REPLY to another client nonce" -> goodCodec.encode(plainReply(id), worker, other);
            // no longer allowed once the worker has named the client's nonce
            case "a REPLY to no client nonce" -> goodCodec.encode(plainReply(id), worker, 0);
            case "a HEARTBEAT from another worker nonce" ->
                    goodCodec.encode(new WireMessage.Heartbeat(HEARTBEAT_MILLIS), other, client);
            case "a DISCONNECT to another client nonce" ->
                    goodCodec.encode(WireMessage.Disconnect.INSTANCE, worker, other);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** The answer a raw worker gives the call with the given id, its argument ID echoed. */
    private static WireMessage.Reply plainReply(long id) {
        return new WireMessage.Reply(id, 200, 0, 0, "OK".getBytes(UTF_8), "response".getBytes(UTF_8),
                new byte[0], "{\"ID\":\"plain\"}".getBytes(UTF_8), new byte[0]);
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
        assertARegisteredWorkerIsDroppedAtOnceFor((raw, id) -> malformed(kind, id, raw));
    }

    /**
     * A message of another session from a registered worker's connection fails validation as a malformed
     * one does (it was recorded elsewhere and replayed, or the peer is confused): the worker is dropped at
     * once and its calls settle, although the message would have been a good answer in the session.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("messagesOfAnotherSession")
    void aRegisteredWorkerThatSendsAMessageOfAnotherSessionIsDroppedAndItsCallsSettle(String kind) throws Exception {
        assertARegisteredWorkerIsDroppedAtOnceFor((raw, id) -> ofAnotherSession(kind, id, raw));
    }

    /**
     * A raw worker with two calls, a plain one and an idempotent one, sends {@code message} (given the
     * plain call's id) while a good worker also serves: the raw worker is dropped, the plain call fails
     * as unavailable at once, the idempotent one is done by the good worker, and the client answers the
     * raw worker's next heartbeat with "announce yourself", in the raw worker's session.
     */
    private void assertARegisteredWorkerIsDroppedAtOnceFor(BiFunction<RawWorker, Long, byte[][]> message)
            throws Exception {
        ZContext rawContext = fixtures.track(new ZContext(1));
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig(SERVICE)
                .maxMessageSize(MAX_MESSAGE_SIZE).timeout(WAIT).build());
        RawWorker raw = fixtures.track(new RawWorker(rawContext, client, "raw", 2));
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

        long begin = System.nanoTime();
        raw.send(message.apply(raw, plainId));
        raw.pumpUntil("the calls to settle", () -> plain.isDone() && idempotent.isDone());
        ExecutionException failure = assertThrows(ExecutionException.class, plain::get);
        assertInstanceOf(ServiceUnavailableException.class, failure.getCause());
        assertEquals("Worker raw of service '" + SERVICE + "' became unavailable while handling /work",
                failure.getCause().getMessage());
        assertTrue(System.nanoTime() - begin < WAIT.toNanos() / 2, "failed at once, not at the deadline");
        ServiceResult retried = idempotent.get();
        assertEquals("done by good", retried.response().statusMessage());
        assertEquals("idempotent", retried.response().payload().getString("ID"));
        assertEquals(List.of("good"), client.status().toCompletableFuture().get(5, TimeUnit.SECONDS).workers().stream()
                .map(ClientStatus.WorkerStatus::label).toList(), "only the sender's connection was dropped");
        // The client no longer knows the connection: its next heartbeat is answered with "announce
        // yourself", in its session (RawWorker checks that every message names it).
        raw.pumpUntil("DISCONNECT for the dropped worker", () -> raw.count(WireMessage.Disconnect.class) > 0);
        assertEquals("done by good", client.request("/work").send().response().statusMessage());
    }

    /**
     * Valid messages that do not fit the client's state are not malformed: a REPLY or REFUSE for an id
     * not in flight on that connection is ignored, a HEARTBEAT may change the interval, and a second READY
     * of the same session is ignored, its call in flight kept (version 1 took it for a new session). None
     * of them costs the worker its registration. (A READY of a new session starts one: see SecondReadyTest.)
     */
    @Test
    void validButUnexpectedMessagesFromARegisteredWorkerDoNotDropIt() throws Exception {
        ZContext rawContext = fixtures.track(new ZContext(1));
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig(SERVICE)
                .maxMessageSize(MAX_MESSAGE_SIZE).timeout(WAIT).build());
        RawWorker raw = fixtures.track(new RawWorker(rawContext, client, "raw", 1));
        CompletableFuture<ServiceResult> call = client.request("/work").sendAsync().toCompletableFuture();
        long id = raw.awaitRequest(0).correlationId();

        raw.send(forgedReply(id + 1000));
        raw.send(new WireMessage.Refuse(id + 1000));
        raw.send(new WireMessage.Heartbeat(HEARTBEAT_MILLIS * 2));
        raw.announceAgain();
        raw.send(new WireMessage.Reply(id, 201, 0, 0, "real".getBytes(UTF_8),
                "response".getBytes(UTF_8), new byte[0], new byte[0], new byte[0]));
        raw.pumpUntil("the call to complete", call::isDone);
        assertEquals("real", call.get().response().statusMessage());
        // a second answer for the same id is ignored too
        raw.send(new WireMessage.Reply(id, 200, 0, 0, "late".getBytes(UTF_8),
                "response".getBytes(UTF_8), new byte[0], new byte[0], new byte[0]));
        // The worker is still registered, with the capacity of its READY, and is still given work.
        CompletableFuture<ServiceResult> next = client.request("/work").sendAsync().toCompletableFuture();
        long nextId = raw.awaitRequest(1).correlationId();
        ClientStatus status = client.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(List.of(new ClientStatus.WorkerStatus("raw", 1, 1, false)), status.workers());
        raw.send(new WireMessage.Refuse(nextId));
        // a refused call goes back to the queue and, this being the only worker, to it again
        assertEquals(nextId, raw.awaitRequest(2).correlationId());
        raw.send(new WireMessage.Reply(nextId, 200, 0, 0, "second".getBytes(UTF_8),
                "response".getBytes(UTF_8), new byte[0], new byte[0], new byte[0]));
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
        RawWorker refuser = fixtures.track(new RawWorker(rawContext, client, "refuser", 1));
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

        refuser.send(new WireMessage.Refuse(id));
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
        String label = "é".repeat(PeerText.MAX_CODE_POINTS) + "x".repeat(10_000);
        fixtures.track(new RawWorker(rawContext, client, label, 1));

        ClientStatus status = client.status().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(List.of("é".repeat(PeerText.MAX_CODE_POINTS) + "… (10000 more characters cut)"),
                status.workers().stream().map(ClientStatus.WorkerStatus::label).toList());
    }

    /**
     * Correlation ids start at a random value at each start of an endpoint, so an answer recorded during
     * an earlier start cannot be replayed as the answer to a call of a later one (PROTOCOL §8.3). With ids
     * counted from 1 at every start, the replayed REPLY would answer the new call. The REPLY is sent again
     * in the later worker's own session, as a worker that kept it could: as recorded, it names the earlier
     * session, which alone would get the worker dropped (see
     * aRegisteredWorkerThatSendsAMessageOfAnotherSessionIsDroppedAndItsCallsSettle).
     */
    @Test
    void aReplyRecordedDuringAnEarlierStartAnswersNoCallOfALaterOne() throws Exception {
        ZContext rawContext = fixtures.track(new ZContext(1));
        ServiceClientEndpoint earlier = fixtures.client(fixtures.clientConfig(SERVICE).timeout(WAIT).build());
        WireMessage.Reply recorded;
        try (RawWorker raw = new RawWorker(rawContext, earlier, "raw", 1)) {
            CompletableFuture<ServiceResult> call = earlier.request("/work").sendAsync().toCompletableFuture();
            recorded = forgedReply(raw.awaitRequest(0).correlationId());
            raw.send(recorded);
            raw.pumpUntil("the earlier start's call to complete", call::isDone);
            assertEquals("forged", call.get().response().statusMessage());
        }
        earlier.close();

        ServiceClientEndpoint later = fixtures.client(fixtures.clientConfig(SERVICE).timeout(WAIT).build());
        try (RawWorker raw = new RawWorker(rawContext, later, "raw", 1)) {
            CompletableFuture<ServiceResult> call = later.request("/work").sendAsync().toCompletableFuture();
            long id = raw.awaitRequest(0).correlationId();
            raw.send(recorded);
            raw.send(new WireMessage.Reply(id, 200, 0, 0, "real".getBytes(UTF_8),
                    "response".getBytes(UTF_8), new byte[0], new byte[0], new byte[0]));
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
        a.send(request(1, "a-1", 60_000));
        a.send(request(2, "a-2", 60_000));
        pumpAll("both handler threads to be busy", () -> started.size() == 2, a, b);
        // B has slots of its own: 3 and 4 are admitted although no thread is free.
        b.send(request(3, "b-3", 60_000));
        b.send(request(4, "b-4", 60_000));
        // One more on either connection is beyond its capacity: refused at once.
        b.send(request(5, "b-5", 60_000));
        a.send(request(6, "a-6", 60_000));
        pumpAll("the refusals", () -> b.refusals().size() == 1 && a.refusals().size() == 1, a, b);
        assertEquals(List.of(5L), b.refusals());
        assertEquals(List.of(6L), a.refusals());
        assertTrue(a.replyIds().isEmpty() && b.replyIds().isEmpty(), "nothing is answered yet");
        StatisticsTest.awaitStatistics(worker::statistics, new WorkerStatistics(SERVICE, 2, 4, 4, 2, 0, 0));

        // Draining: goodbye on both connections, then every new request is refused.
        CompletableFuture<Void> closed = CompletableFuture.runAsync(worker::close);
        pumpAll("the first goodbyes", () -> a.goodbyes() == 1 && b.goodbyes() == 1, a, b);
        a.send(request(7, "a-7", 60_000));
        b.send(request(8, "b-8", 60_000));
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
        client.send(request(1, "crossing", 60_000));
        client.send(WireMessage.Disconnect.INSTANCE);

        pumpAll("the refusal and the last goodbye", () -> client.refusals().size() == 1 && client.goodbyes() == 2, client);
        assertEquals(List.of(1L), client.refusals(), "refused, so the client can send it again");
        assertTrue(started.isEmpty(), "a request that arrives while the worker drains never starts");
        closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void theClientAnswersAWorkersGoodbyeSoThatTheWorkerKnowsNothingIsOnItsWay() throws Exception {
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig(SERVICE).timeout(WAIT).build());
        RawWorker leaving = fixtures.track(new RawWorker(fixtures.track(new ZContext(1)), client, "leaving", 1));
        CompletableFuture<ServiceResult> call = client.request("/work").sendAsync().toCompletableFuture();
        WireMessage.Request request = leaving.awaitRequest(0);

        // With a call on it, the worker is only marked leaving, so the answer is not the one an
        // unknown connection would get.
        leaving.send(WireMessage.Disconnect.INSTANCE);
        leaving.pumpUntil("the client's answer", () -> leaving.count(WireMessage.Disconnect.class) == 1);
        leaving.send(forgedReply(request.correlationId()));
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

    /** The frames of a message of someone else's session: nonces this endpoint has no part in. */
    private static byte[][] fromOutside(MessageCodec codec, WireMessage message) {
        return codec.encode(message, SessionNonces.draw(), SessionNonces.draw());
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
    // Protocol-level peers

    /** The two nonces in a message's header: the session it names, from its sender's side. */
    private record Nonces(long sender, long receiver) {
        static Nonces of(byte[] header) {
            return new Nonces(MessageCodec.senderNonce(header), MessageCodec.receiverNonce(header));
        }

        /** What the client's answer to a connection it does not know carries: the sender's nonce only. */
        Nonces disowned() {
            return new Nonces(0, sender);
        }
    }

    /** A message a raw peer received, with its frames as they came. */
    private record Heard(WireMessage message, byte[][] frames) {
        Nonces nonces() {
            return Nonces.of(frames[0]);
        }
    }

    /** What a raw peer received, as counts of each command, in the order each first came. */
    private static Map<String, Long> summary(List<Heard> heard) {
        return heard.stream().collect(Collectors.groupingBy(message -> message.message().command().toString(),
                LinkedHashMap::new, Collectors.counting()));
    }

    /**
     * A hostile peer at the client endpoint: a raw DEALER that counts the messages the client must
     * answer, and can prove at the end that the client sent it nothing else. It sends what a test gives
     * it, with nonces of the test's choosing; only {@link #assertNothingElseWasSent} keeps a session of
     * its own. Used only by the test thread.
     */
    private final class Intruder implements AutoCloseable {
        private final ZMQ.Socket dealer;
        private final ZMQ.Socket monitor;
        private final PeerSession session = new PeerSession(goodCodec);
        /** Whether what comes is read in {@link #session} (once the intruder poses as a worker). */
        private boolean inSession;
        private final List<Heard> received = new ArrayList<>();
        /** For each message sent that the client must answer, the session the answer must name. */
        private final List<Nonces> expectedAnswers = new ArrayList<>();

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

        /**
         * Sends a message that the client, not knowing this connection, answers with a DISCONNECT in the
         * session the message names.
         */
        void sendAnswered(byte[][] frames) {
            send(frames);
            expectedAnswers.add(Nonces.of(frames[0]).disowned());
        }

        /** Waits for all the answers counted so far: each is "announce yourself", in its message's session. */
        void awaitAnswers() {
            receiveUntil("the answers to " + expectedAnswers.size() + " messages",
                    () -> received.size() >= expectedAnswers.size());
            for (int i = 0; i < received.size(); i++) {
                Heard answer = received.get(i);
                assertInstanceOf(WireMessage.Disconnect.class, answer.message(), "the client sent the intruder "
                        + answer.message());
                assertEquals(expectedAnswers.get(i), answer.nonces(), "answer " + i + " names its message's sender");
            }
        }

        /** What the client sent, in order. */
        List<Heard> heard() {
            return received;
        }

        /**
         * Shows that the client sent nothing beyond the answers counted. Messages on one connection
         * keep their order, so this announces itself as a worker, which the client answers with a
         * HEARTBEAT, and checks what came before it. It answers that HEARTBEAT in the session, which
         * makes it a worker the client lists. Then it sends garbage, for which the client drops the
         * worker it has just taken on: the next heartbeat is answered as from an unknown connection.
         */
        void assertNothingElseWasSent(ServiceClientEndpoint client) throws Exception {
            inSession = true;
            send(session.encode(new WireMessage.Ready(1, HEARTBEAT_MILLIS, MAX_MESSAGE_SIZE, SERVICE, "marker")));
            receiveUntil("the client to take the intruder on", () -> !received.isEmpty()
                    && received.get(received.size() - 1).message() instanceof WireMessage.Heartbeat);
            List<Heard> before = received.subList(0, received.size() - 1);
            assertEquals(expectedAnswers.size(), before.size(), "the client answered only what called for it: "
                    + before.stream().map(Heard::message).toList());
            before.forEach(answer -> assertInstanceOf(WireMessage.Disconnect.class, answer.message()));
            assertTrue(session.isOurs(received.get(received.size() - 1).frames()[0]),
                    "answered in the READY's session");
            send(session.encode(new WireMessage.Heartbeat(HEARTBEAT_MILLIS)));
            receiveUntil("the client to list the intruder", () -> client.status().toCompletableFuture().join()
                    .workers().stream().anyMatch(worker -> worker.label().equals("marker")));

            received.clear();
            send(new byte[][] {"not a message".getBytes(UTF_8)});
            send(session.encode(new WireMessage.Heartbeat(HEARTBEAT_MILLIS)));
            // heartbeats the client sent while the marker was registered may come first
            receiveUntil("the client to drop the marker", () -> received.stream()
                    .anyMatch(heard -> heard.message() instanceof WireMessage.Disconnect));
            for (Heard heard : received) {
                assertTrue(heard.message() instanceof WireMessage.Heartbeat
                        || heard.message() instanceof WireMessage.Disconnect,
                        "the client sent the marker " + heard.message());
                assertTrue(session.isForUs(heard.message(), heard.frames()[0]), "for the marker: " + heard.message());
            }
        }

        void receiveUntil(String what, BooleanSupplier condition) {
            receiveUntil(what, condition, () -> { });
        }

        /** Reads what the client sends until the condition holds, doing {@code meanwhile} before each read. */
        void receiveUntil(String what, BooleanSupplier condition, Runnable meanwhile) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!condition.getAsBoolean()) {
                meanwhile.run();
                List<byte[]> frames = receiveMessage(dealer);
                if (frames == null) {
                    noteEvents();
                    if (System.nanoTime() > deadline) {
                        failWithThreadDump("timed out waiting for " + what + "; received " + summary(received));
                    }
                    continue;
                }
                byte[][] message = frames.toArray(new byte[0][]);
                try {
                    received.add(new Heard(inSession ? session.decode(message, message.length)
                            : goodCodec.decode(message, message.length), message));
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
     * A worker at the protocol level, driven by the test thread: announces itself, answers the client's
     * first HEARTBEAT at once in the session (which makes the client give it work), heartbeats while the
     * test waits on it, and records what the client sends, all of which must name its session. Serving
     * (listed by the client) once constructed.
     */
    private final class RawWorker implements AutoCloseable {
        private final ZMQ.Socket dealer;
        private final PeerSession session = new PeerSession(goodCodec);
        private final WireMessage.Ready ready;
        private final List<WireMessage> received = new ArrayList<>();
        private long nextHeartbeatNanos;

        RawWorker(ZContext context, ServiceClientEndpoint client, String label, int capacity) {
            dealer = context.createSocket(SocketType.DEALER);
            dealer.setLinger(0);
            dealer.setReceiveTimeOut(20);
            dealer.setSendTimeOut(SEND_TIMEOUT_MILLIS);
            dealer.setHandshakeIvl(1_000); // see Intruder
            dealer.connect(client.endpoint());
            int serving = client.status().toCompletableFuture().join().workers().size();
            ready = new WireMessage.Ready(capacity, HEARTBEAT_MILLIS, 8 * 1024 * 1024, SERVICE, label);
            send(session.encode(ready));
            nextHeartbeatNanos = System.nanoTime() + HEARTBEAT.toNanos();
            pumpUntil("the client to take " + label + " on",
                    () -> client.status().toCompletableFuture().join().workers().size() > serving);
        }

        void send(byte[][] frames) {
            HostilePeerTest.send(dealer, null, frames);
        }

        /** Sends a message in this worker's session. */
        void send(WireMessage message) {
            send(session.encode(message));
        }

        /** The frames of a message in this worker's session, signed by {@code codec}. */
        byte[][] encode(MessageCodec codec, WireMessage message) {
            return codec.encode(message, session.own(), session.peer());
        }

        /** Sends its READY again, in the same session: its nonce, and none of the client's. */
        void announceAgain() {
            send(session.encode(ready, session.own(), 0));
        }

        private void heartbeat() {
            nextHeartbeatNanos = System.nanoTime() + HEARTBEAT.toNanos();
            send(new WireMessage.Heartbeat(HEARTBEAT_MILLIS));
        }

        private void pump() {
            if (System.nanoTime() - nextHeartbeatNanos >= 0) {
                heartbeat();
            }
            List<byte[]> frames = receiveMessage(dealer);
            if (frames == null) {
                return;
            }
            boolean knewClient = session.peer() != 0;
            WireMessage message;
            try {
                message = session.decode(frames.toArray(new byte[0][]), frames.size());
            } catch (MalformedMessageException e) {
                throw new AssertionError("the client sent a malformed message: " + e.getMessage(), e);
            }
            assertTrue(session.isForUs(message, frames.get(0)), "the client sent a " + message + " of another session");
            received.add(message);
            if (!knewClient) {
                heartbeat(); // names the client's nonce: from now on the client gives us work
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
     * The hostile "client": a raw ROUTER that, like a real client, accepts the worker's READY, starting a
     * session with it, and sends it heartbeats while the test waits, and records what the worker sends
     * and which connections it drops. Used only by the test thread.
     */
    private final class RawClient implements AutoCloseable {
        private final ZMQ.Socket router;
        private final ZMQ.Socket monitor;
        private final PeerSession session = new PeerSession(goodCodec);
        private final List<Heard> heard = new ArrayList<>();
        private final List<WireMessage.Reply> replies = new ArrayList<>();
        private final List<Long> refusals = new ArrayList<>();
        private final List<String> undecodable = new ArrayList<>();
        /** DISCONNECT messages from the worker (not the socket events counted in {@link #disconnects}). */
        private int goodbyes;
        /** Whether a goodbye from the worker is answered at once, as a real client answers it. */
        private boolean answerGoodbyes = true;
        /** Whether a READY is answered, as a real client answers it; if not, what the worker sends is only recorded. */
        private boolean acceptWorkers = true;
        /**
         * Whether an accepted READY is answered with a HEARTBEAT, and heartbeats follow, which registers the
         * worker's connection; if not, the session's nonces are known and requests can be sent in it, but the
         * connection stays unregistered at the worker.
         */
        private boolean registerWorkers = true;
        /** The worker has sent a message naming our nonce since its last READY: it knows the session. */
        private boolean workerKnowsUs;
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

        /** Sends a message in the session with the worker's current connection. */
        void send(WireMessage message) {
            send(session.encode(message));
        }

        /** The frames of a message in the session with the worker's current connection, signed by {@code codec}. */
        byte[][] encode(MessageCodec codec, WireMessage message) {
            return codec.encode(message, session.own(), session.peer());
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
            if (identity != null && registerWorkers && System.nanoTime() - nextHeartbeatNanos >= 0) {
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
            byte[][] messageFrames = frames.toArray(new byte[0][]);
            WireMessage message;
            try {
                message = session.decode(messageFrames, messageFrames.length);
            } catch (MalformedMessageException e) {
                undecodable.add(e.toString());
                return true;
            }
            heard.add(new Heard(message, messageFrames));
            if (message instanceof WireMessage.Ready ready) {
                readyCount++;
                lastReady = ready;
                workerKnowsUs = false;
                if (acceptWorkers) {
                    identity = from;
                    if (registerWorkers) {
                        heartbeat(); // accept the worker at once, as a real client does
                    }
                }
            } else if (message instanceof WireMessage.Heartbeat) {
                // a heartbeat of an earlier connection, still on its way, names an earlier nonce of ours
                workerKnowsUs |= MessageCodec.receiverNonce(messageFrames[0]) == session.own();
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
            sendIfConnected(to, session.encode(WireMessage.Disconnect.INSTANCE));
        }

        /** Sends a heartbeat without waiting; a dropped connection is left to the worker to replace. */
        private void heartbeat() {
            nextHeartbeatNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HEARTBEAT_MILLIS);
            sendIfConnected(identity, session.encode(new WireMessage.Heartbeat(HEARTBEAT_MILLIS)));
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

        /**
         * From now on registers the worker's connections as a real client does, starting with the current one:
         * the HEARTBEAT sent here reaches the worker before anything sent after it.
         */
        void register() {
            registerWorkers = true;
            heartbeat();
        }

        /** The routing id of the worker's current connection: a new one is a new connection. */
        byte[] identity() {
            return identity.clone();
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

        /** Every message the worker sent, in order, as it came. */
        List<Heard> heard() {
            return heard;
        }

        /** The correlation ids of the replies received, in order. */
        List<Long> replyIds() {
            return replies.stream().map(WireMessage.Reply::correlationId).toList();
        }

        int readyCount() {
            return readyCount;
        }

        boolean workerKnowsUs() {
            return workerKnowsUs;
        }

        /** The worker's nonce of the current session, from its last READY. */
        long workerNonce() {
            return session.peer();
        }

        /** Our nonce of the current session. */
        long ownNonce() {
            return session.own();
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
