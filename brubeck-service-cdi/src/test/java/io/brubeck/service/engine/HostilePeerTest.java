package io.brubeck.service.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceException;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResult;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZEvent;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;
import org.zeromq.ZMonitor;

/**
 * Wrong secrets, garbage frames and oversized messages sent to both ends of a service, while good
 * traffic runs through the same endpoints: nothing may crash, nothing hostile may be dispatched, and
 * every good call must get its own answer.
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
    /**
     * Heartbeats every 100 ms as in {@link Fixtures}, but a peer is given thirty of them (three
     * seconds) before it counts as gone: these tests are about bad input, not liveness, and must not
     * fail because a busy, shared machine kept a socket thread off the CPU for a second or two.
     */
    private static final int LIVENESS = 30;

    private final Fixtures fixtures = new Fixtures();
    private final MessageCodec goodCodec = new MessageCodec(new MessageAuthenticator(Fixtures.SECRET));
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

        try (GoodTraffic traffic = new GoodTraffic(client, 2)) {
            traffic.awaitSuccesses(20);
            List<Thread> engineThreads = engineThreads();

            ZMQ.Socket dealer = attackerContext.createSocket(SocketType.DEALER);
            dealer.setLinger(0);
            dealer.setReceiveTimeOut(50);
            dealer.setSendTimeOut(SEND_TIMEOUT_MILLIS); // never block the test on a peer that stopped reading
            // JeroMQ 0.6.0 sometimes leaves a freshly connected socket without its ZMTP handshake
            // (zeromq/jeromq#1022); a short handshake interval makes it drop and redo such a
            // connection, keeping the queued messages, instead of waiting 30 s.
            dealer.setHandshakeIvl(1_000);
            ZMQ.Socket monitor = monitor(attackerContext, dealer, "inproc://attacker-dealer");
            try {
                dealer.connect(client.endpoint());
                awaitEvent(monitor, ZMonitor.Event.CONNECTED);
                Random random = new Random(SEED);
                int signedWithOurSecret = 0;

                // 1. garbage
                for (int i = 0; i < 400; i++) {
                    send(dealer, null, garbage(random));
                }
                // 2. well-formed, but signed with a wrong passphrase
                send(dealer, null, wrongCodec.encode(new WireMessage.Ready(1000, 100, SERVICE, "intruder")));
                send(dealer, null, wrongCodec.encode(new WireMessage.Heartbeat(100)));
                // Replies for the ids the client has given its calls so far and the next few hundred
                // (it numbers them 1, 2, 3…), trying to answer good calls falsely.
                for (long id = 1, last = traffic.sent() + 300L; id <= last; id++) {
                    send(dealer, null, wrongCodec.encode(forgedReply(id)));
                }
                send(dealer, null, wrongCodec.encode(new WireMessage.Disconnect()));
                // 3. correctly signed, but a REQUEST sent to a client: the wrong role
                send(dealer, null, goodCodec.encode(request(1, "wrong-role")));
                signedWithOurSecret++;
                // A correctly signed message from a peer the client does not know is answered with
                // DISCONNECT ("announce yourself"), so this probe tells when the client has read all the above.
                send(dealer, null, goodCodec.encode(new WireMessage.Heartbeat(100)));
                signedWithOurSecret++;
                List<WireMessage> answers = receiveDecoded(dealer, monitor, signedWithOurSecret);
                traffic.awaitSuccesses(traffic.succeeded() + 20);

                // 4. a frame bigger than the client accepts: the client's ZeroMQ drops the connection
                byte[] oversized = new byte[MAX_MESSAGE_SIZE * 2];
                random.nextBytes(oversized);
                noteEvents(monitor); // only a disconnection from now on counts
                send(dealer, null, new byte[][] {oversized});
                awaitEvent(monitor, ZMonitor.Event.DISCONNECTED);
                awaitEvent(monitor, ZMonitor.Event.CONNECTED); // the DEALER reconnects by itself
                for (int i = 0; i < 100; i++) {
                    send(dealer, null, garbage(random));
                }
                send(dealer, null, wrongCodec.encode(new WireMessage.Ready(1000, 100, SERVICE, "intruder-2")));
                send(dealer, null, goodCodec.encode(new WireMessage.Heartbeat(100)));
                answers.addAll(receiveDecoded(dealer, monitor, 1));
                traffic.awaitSuccesses(traffic.succeeded() + 20);

                // The hostile peer was never given work: all it ever got was "announce yourself".
                for (WireMessage answer : answers) {
                    assertInstanceOf(WireMessage.Disconnect.class, answer, "the client sent the intruder " + answer);
                }
                assertNothingMoreFor(dealer, monitor);
            } finally {
                monitor.close();
                dealer.close();
            }

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
                    .heartbeatInterval(Fixtures.HEARTBEAT).liveness(LIVENESS).concurrency(2)
                    .maxMessageSize(MAX_MESSAGE_SIZE)
                    .label("victim").routes(echoRoutes()).build(), workerContext));
            raw.pumpUntil("READY from the worker", () -> raw.readyCount() == 1);
            assertEquals(new WireMessage.Ready(2, (int) Fixtures.HEARTBEAT.toMillis(), SERVICE, "victim"),
                    raw.lastReady());
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
                raw.send(goodCodec.encode(new WireMessage.Ready(5, 100, SERVICE, "not-a-worker")));
                // 4. a valid request: the only one that may run
                raw.send(goodCodec.encode(request(1, "valid-1")));
                assertValidEcho(raw.awaitReply(1), "valid-1");
                int before = traffic.succeeded();
                raw.pumpUntil("more good calls", () -> traffic.succeededOrFailed(before + 20));
                assertEquals(1, raw.readyCount(), "no forged message made the worker reconnect");
                assertEquals(List.of(1L), raw.replyIds(), "only the valid request was answered");

                // 5. a frame bigger than the worker accepts. ZeroMQ treats it as a protocol error and
                //    closes that connection for good (no automatic reconnect); the worker notices the
                //    silence and reconnects, announcing itself again.
                byte[] oversized = new byte[MAX_MESSAGE_SIZE * 2];
                random.nextBytes(oversized);
                raw.send(new byte[][] {oversized});
                raw.pumpUntil("the worker's connection to drop", () -> raw.disconnects() == 1);
                raw.pumpUntil("the worker to announce itself again", () -> raw.readyCount() == 2);
                assertEquals(new WireMessage.Ready(2, (int) Fixtures.HEARTBEAT.toMillis(), SERVICE, "victim"),
                        raw.lastReady());
                for (int i = 0; i < 100; i++) {
                    raw.send(garbage(random));
                    if (i % 50 == 49) {
                        raw.send(raw.heartbeat);
                    }
                }
                raw.send(wrongCodec.encode(request(2_000, "forged-after-reconnect")));
                // 6. the worker still answers valid requests
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
                raw.pumpUntil("the worker to disconnect", () -> raw.disconnects() == 2);
                raw.drain();
                assertEquals(List.of(1L, 2L), raw.replyIds(), "replies only to the valid requests, once each");
                assertTrue(raw.undecodable().isEmpty(), "the worker sent only valid messages: " + raw.undecodable());
                Set<String> expected = new HashSet<>(traffic.ids());
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
     * so a message of several frames that are each under it passes ZeroMQ whatever its total.
     * Here a worker (with a larger limit of its own) answers with a reply of about twice the
     * client's limit, in frames that are each under it: the client must not accept it.
     */
    @Test
    void aReplyLargerThanTheClientsMaxMessageSizeIsNotAccepted() {
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig(SERVICE).liveness(LIVENESS)
                .maxMessageSize(MAX_MESSAGE_SIZE).timeout(Duration.ofSeconds(3)).build());
        int part = MAX_MESSAGE_SIZE - 1024;
        fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/big$", request ->
                ServiceReply.ok("big").with("PAD", "x".repeat(part - 20)).withBody(new byte[part])))
                .liveness(LIVENESS).build());
        Fixtures.awaitWorkers(client, 1);

        ServiceResult result;
        try {
            result = client.request("/big").send();
        } catch (ServiceException refused) {
            return; // refused, in whatever way: the limit holds
        }
        int total = result.response().body().length + result.response().payload().toString().length();
        fail("the client accepted a reply of at least " + total + " bytes although its maxMessageSize is "
                + MAX_MESSAGE_SIZE + " (each frame was under the limit, the message was not)");
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
        return new WireMessage.Request(id, 5_000, System.currentTimeMillis(), "request".getBytes(UTF_8),
                "/echo".getBytes(UTF_8), new byte[0], ("{\"ID\":\"" + echoId + "\"}").getBytes(UTF_8),
                echoId.getBytes(UTF_8));
    }

    private static WireMessage.Reply forgedReply(long id) {
        return new WireMessage.Reply(id, 200, 0, 0, "forged".getBytes(UTF_8), "response".getBytes(UTF_8), new byte[0],
                "{\"ID\":\"forged\"}".getBytes(UTF_8), "forged".getBytes(UTF_8));
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

    /** Receives {@code count} messages on a DEALER and decodes them with the right secret. */
    private List<WireMessage> receiveDecoded(ZMQ.Socket dealer, ZMQ.Socket monitor, int count)
            throws MalformedMessageException {
        List<WireMessage> messages = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (messages.size() < count) {
            List<byte[]> frames = receiveMessage(dealer);
            if (frames == null) {
                noteEvents(monitor);
                if (System.nanoTime() > deadline) {
                    failWithThreadDump("expected " + count + " answers from the client, got " + messages);
                }
                continue;
            }
            messages.add(goodCodec.decode(frames.toArray(new byte[0][]), frames.size()));
        }
        return messages;
    }

    /** The client sent the intruder nothing more: checked after a further probe has been answered. */
    private void assertNothingMoreFor(ZMQ.Socket dealer, ZMQ.Socket monitor) throws MalformedMessageException {
        send(dealer, null, goodCodec.encode(new WireMessage.Heartbeat(100)));
        List<WireMessage> last = receiveDecoded(dealer, monitor, 1);
        assertInstanceOf(WireMessage.Disconnect.class, last.get(0));
        dealer.setReceiveTimeOut(0);
        assertNull(receiveMessage(dealer), "no further message for the intruder");
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
     * The hostile "client": a raw ROUTER that, like a real client, accepts the worker's READY and
     * sends it heartbeats while the test waits, and records what the worker sends and which
     * connections it drops. Used only by the test thread.
     */
    private final class RawClient {
        private static final int HEARTBEAT_MILLIS = (int) Fixtures.HEARTBEAT.toMillis();

        private final ZMQ.Socket router;
        private final ZMQ.Socket monitor;
        private final byte[][] heartbeat = goodCodec.encode(new WireMessage.Heartbeat(HEARTBEAT_MILLIS));
        private final List<WireMessage.Reply> replies = new ArrayList<>();
        private final List<String> undecodable = new ArrayList<>();
        private byte[] identity;
        private int readyCount;
        private WireMessage.Ready lastReady;
        private int disconnects;
        private long nextHeartbeatNanos;

        RawClient(ZMQ.Socket router, ZMQ.Socket monitor) {
            this.router = router;
            this.monitor = monitor;
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
            }
            return true;
        }

        /** Sends a heartbeat without waiting; a dropped connection is left to the worker to replace. */
        private void heartbeat() {
            nextHeartbeatNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HEARTBEAT_MILLIS);
            try {
                if (router.send(identity, ZMQ.SNDMORE | ZMQ.DONTWAIT)) {
                    router.send(heartbeat[0], ZMQ.SNDMORE | ZMQ.DONTWAIT);
                    router.send(heartbeat[1], ZMQ.DONTWAIT);
                }
            } catch (ZMQException gone) {
                // the connection was dropped: the worker will announce itself on a new one
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
