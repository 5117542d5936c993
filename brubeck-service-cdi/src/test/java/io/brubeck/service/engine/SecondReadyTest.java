package io.brubeck.service.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.brubeck.it.support.KeptLog;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A READY with a new nonce from a connection the client has registered starts a new session on it
 * (PROTOCOL §7.1): the calls of the old session are settled as when a worker is lost, and the new READY
 * is registered with what it announces; a READY of the current session changes nothing. This is what a worker that sets a fixed routing id needs when it restarts and comes
 * back under the same id before the client has noticed that its old connection is gone.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecondReadyTest {
    private static final String SERVICE = "second-ready";
    /** How often a raw worker beats. */
    private static final int WORKER_HEARTBEAT_MILLIS = 200;
    /**
     * The interval a raw worker announces: long, so that only what a test does, never a late beat on a busy
     * machine, makes the client drop it.
     */
    private static final int ANNOUNCED_HEARTBEAT_MILLIS = 5_000;
    /** How long a test waits for what should happen at once; well within a call's timeout. */
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** Longer than any wait here: a call that ends, ends because it was settled, not by its deadline. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(40);
    /**
     * How long a raw worker waits for the answer to its READY before it tries a new connection: longer
     * than the client's heartbeat interval, so that a connection that works always hears something.
     */
    private static final Duration ANSWER_WAIT = Duration.ofSeconds(3);

    /**
     * The client beats rarely: a heartbeat to the old connection after it closed would fail and drop the
     * worker, which would settle its calls whether or not the new READY does.
     */
    private final Fixtures fixtures = new Fixtures(Duration.ofSeconds(2), 3);
    private final MessageCodec codec = new MessageCodec(new MessageAuthenticator(Fixtures.SECRET));

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    @Test
    void aWorkerBackUnderTheSameRoutingIdGetsItsNewCapacityAndItsOldIdempotentCallIsSentAgain() throws Exception {
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig(SERVICE).build());
        ZContext context = fixtures.track(new ZContext(1));
        RawWorker first = new RawWorker(context, client.endpoint(), "worker-7", 1);
        CompletableFuture<ServiceResult> call = client.request("/work").idempotent().timeout(CALL_TIMEOUT)
                .sendAsync().toCompletableFuture();
        long id = first.awaitRequest(0).correlationId();
        awaitWorkers(client, new ClientStatus.WorkerStatus("fixed", 1, 1, false));

        first.close(); // the process restarts...
        RawWorker second = new RawWorker(context, client.endpoint(), "worker-7", 4); // ...under the same id

        assertEquals(id, second.awaitRequest(0).correlationId(), "the old session's call is sent again");
        second.reply(id, "answered by the new session");
        second.pumpUntil("the call to complete", call::isDone);
        assertEquals("answered by the new session", call.get().response().statusMessage());
        awaitWorkers(client, new ClientStatus.WorkerStatus("fixed", 4, 0, false));
    }

    @Test
    void aWorkerBackUnderTheSameRoutingIdGetsItsNewCapacityAndItsOldCallFailsAsUnavailableAtOnce() throws Exception {
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig(SERVICE).build());
        ZContext context = fixtures.track(new ZContext(1));
        RawWorker first = new RawWorker(context, client.endpoint(), "worker-7", 1);
        CompletableFuture<ServiceResult> call = client.request("/work").timeout(CALL_TIMEOUT).sendAsync()
                .toCompletableFuture();
        first.awaitRequest(0);

        first.close();
        RawWorker second = new RawWorker(context, client.endpoint(), "worker-7", 4);

        second.pumpUntil("the old session's call to be settled", call::isDone);
        ExecutionException failure = assertThrows(ExecutionException.class, call::get);
        assertInstanceOf(ServiceUnavailableException.class, failure.getCause());
        assertEquals("Worker fixed of service '" + SERVICE + "' became unavailable while handling /work",
                failure.getCause().getMessage());
        awaitWorkers(client, new ClientStatus.WorkerStatus("fixed", 4, 0, false));
        // The new session's slots are all usable.
        List<CompletableFuture<ServiceResult>> next = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            next.add(client.request("/work").timeout(CALL_TIMEOUT).sendAsync().toCompletableFuture());
        }
        for (int i = 0; i < 4; i++) {
            second.reply(second.awaitRequest(i).correlationId(), "next " + i);
        }
        second.pumpUntil("the next calls to complete", () -> next.stream().allMatch(CompletableFuture::isDone));
        assertEquals(0, second.count(WireMessage.Disconnect.class), "the client never disowned the new session");
    }

    /**
     * A READY of a new session on a connection the client knows settles the calls in flight there (an
     * idempotent one may come back on the same connection), and registers the connection afresh.
     */
    @Test
    void aReadyOfANewSessionOnTheSameConnectionSettlesTheCallsInFlightThereAndRegistersItAfresh() throws Exception {
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig(SERVICE).build());
        ZContext context = fixtures.track(new ZContext(1));
        RawWorker raw = new RawWorker(context, client.endpoint(), null, 2);
        CompletableFuture<ServiceResult> plain = client.request("/plain").timeout(CALL_TIMEOUT).sendAsync()
                .toCompletableFuture();
        long plainId = raw.awaitRequest(0).correlationId();
        CompletableFuture<ServiceResult> idempotent = client.request("/idempotent").idempotent().timeout(CALL_TIMEOUT)
                .sendAsync().toCompletableFuture();
        long idempotentId = raw.awaitRequest(1).correlationId();

        raw.newSession(3);

        assertEquals(idempotentId, raw.awaitRequest(2).correlationId(), "the idempotent call is sent again");
        raw.pumpUntil("the other call to be settled", plain::isDone);
        ExecutionException failure = assertThrows(ExecutionException.class, plain::get);
        assertInstanceOf(ServiceUnavailableException.class, failure.getCause());
        raw.reply(plainId, "too late"); // for a call no longer in flight: ignored
        raw.reply(idempotentId, "answered");
        raw.pumpUntil("the idempotent call to complete", idempotent::isDone);
        assertEquals("answered", idempotent.get().response().statusMessage());
        awaitWorkers(client, new ClientStatus.WorkerStatus("fixed", 3, 0, false));
        assertTrue(raw.count(WireMessage.Heartbeat.class) >= 2, "each READY was answered with a HEARTBEAT");
        assertEquals(0, raw.count(WireMessage.Disconnect.class), "the client never disowned the connection");
    }

    /**
     * A READY sent again in the same session (by mistake, or replayed into the connection) changes
     * nothing: the calls in flight stay there and are answered, and the worker keeps what it announced first.
     */
    @Test
    void aReadyRepeatedInTheSameSessionIsIgnoredAndLosesNoCall() throws Exception {
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig(SERVICE).build());
        ZContext context = fixtures.track(new ZContext(1));
        RawWorker raw = new RawWorker(context, client.endpoint(), null, 2);
        CompletableFuture<ServiceResult> first = client.request("/first").timeout(CALL_TIMEOUT).sendAsync()
                .toCompletableFuture();
        long firstId = raw.awaitRequest(0).correlationId();
        CompletableFuture<ServiceResult> second = client.request("/second").timeout(CALL_TIMEOUT).sendAsync()
                .toCompletableFuture();
        long secondId = raw.awaitRequest(1).correlationId();

        raw.repeatReady(3);
        raw.reply(firstId, "first answered");
        // Messages on a connection are read in order: the READY was read before this reply.
        raw.pumpUntil("the first call to complete", first::isDone);

        assertEquals("first answered", first.get().response().statusMessage());
        assertFalse(second.isDone(), "the other call is still in flight");
        awaitWorkers(client, new ClientStatus.WorkerStatus("fixed", 2, 1, false));
        raw.reply(secondId, "second answered");
        raw.pumpUntil("the second call to complete", second::isDone);
        assertEquals("second answered", second.get().response().statusMessage());
        assertEquals(2, raw.count(WireMessage.Request.class), "no call was sent again");
        assertEquals(0, raw.count(WireMessage.Disconnect.class), "the client never disowned the connection");
    }

    /**
     * Each READY on a registered connection logs that the worker was dropped and joined again. Someone who
     * replays a captured READY over and over (PROTOCOL §13) must not be able to flood the log with those lines.
     */
    @Test
    void aReadyAnnouncedOverAndOverLogsAtMostAHundredLinesEveryTenSeconds() throws Exception {
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig(SERVICE).build());
        ZContext context = fixtures.track(new ZContext(1));
        try (KeptLog log = KeptLog.of(ClientLoop.class)) {
            long start = System.nanoTime();
            RawWorker raw = new RawWorker(context, client.endpoint(), null, 1);
            for (int i = 0; i < 150; i++) {
                raw.newSession(1);
            }
            long intervalsStarted = (System.nanoTime() - start) / TimeUnit.SECONDS.toNanos(10) + 1;

            long membershipLines = log.messages().stream()
                    .filter(line -> line.contains(" joined with ") || line.contains(": dropped worker ")).count();
            assertTrue(membershipLines >= 100, "the first lines are all logged; logged " + membershipLines);
            // The first READY's join is logged apart from those of the READYs that came again.
            assertTrue(membershipLines <= 100 * intervalsStarted + 1, "logged " + membershipLines + " membership lines in "
                    + intervalsStarted + " intervals of 10 s, for 151 READYs");
            awaitWorkers(client, new ClientStatus.WorkerStatus("fixed", 1, 0, false));
        }
    }

    private static void awaitWorkers(ServiceClientEndpoint client, ClientStatus.WorkerStatus expected) {
        Fixtures.awaitCondition(WAIT, "the client to show " + expected,
                () -> client.status().toCompletableFuture().join().workers().equals(List.of(expected)));
    }

    /**
     * A worker written against the socket: a DEALER, with a routing id of its own when one is given. Like
     * a worker of the ZeroMQ guide, it replaces a connection on which its READY goes unanswered: a ROUTER
     * ignores a connection that comes with the id of one it has not yet seen close, and JeroMQ then misreads
     * what comes on it.
     */
    private final class RawWorker implements AutoCloseable {
        private final WireMessage.Heartbeat heartbeat = new WireMessage.Heartbeat(ANNOUNCED_HEARTBEAT_MILLIS);
        private final PeerSession session = new PeerSession(codec);
        private final List<WireMessage> received = new ArrayList<>();
        private final ZContext context;
        private ZMQ.Socket dealer;
        private long nextHeartbeatNanos;

        RawWorker(ZContext context, String endpoint, String routingId, int capacity) {
            this.context = context;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                dealer = context.createSocket(SocketType.DEALER);
                dealer.setLinger(0);
                dealer.setReceiveTimeOut(20);
                dealer.setSendTimeOut((int) WAIT.toMillis());
                // JeroMQ 0.6.0 sometimes leaves a freshly connected socket without its ZMTP handshake
                // (zeromq/jeromq#1022); a short handshake interval makes it redo such a connection.
                dealer.setHandshakeIvl(1_000);
                if (routingId != null) {
                    dealer.setIdentity(routingId.getBytes(UTF_8));
                }
                dealer.connect(endpoint);
                if (ready(capacity, System.nanoTime() + ANSWER_WAIT.toNanos()) || System.nanoTime() - deadline > 0) {
                    break;
                }
                dealer.close();
                received.clear();
                session.restart();
            }
            assertTrue(count(WireMessage.Heartbeat.class) > 0, "the client answered READY; received " + received);
        }

        /** Starts a new session on the same connection, with a READY, and waits until the client answers it. */
        void newSession(int capacity) {
            long answered = count(WireMessage.Heartbeat.class);
            session.restart();
            repeatReady(capacity);
            pumpUntil("the client to answer READY", () -> count(WireMessage.Heartbeat.class) > answered);
        }

        /** Sends READY in the current session. */
        void repeatReady(int capacity) {
            send(session.encode(new WireMessage.Ready(capacity, ANNOUNCED_HEARTBEAT_MILLIS, 1 << 20, SERVICE, "fixed"),
                    session.own(), 0));
        }

        private boolean ready(int capacity, long untilNanos) {
            repeatReady(capacity);
            nextHeartbeatNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WORKER_HEARTBEAT_MILLIS);
            while (count(WireMessage.Heartbeat.class) == 0) {
                if (System.nanoTime() - untilNanos > 0) {
                    return false;
                }
                pump();
            }
            return true;
        }

        void reply(long id, String message) {
            send(session.encode(new WireMessage.Reply(id, 200, 0, 0, message.getBytes(UTF_8),
                    "response".getBytes(UTF_8), new byte[0], new byte[0], new byte[0])));
        }

        private void send(byte[][] frames) {
            for (int i = 0; i < frames.length; i++) {
                assertTrue(dealer.send(frames[i], i < frames.length - 1 ? ZMQ.SNDMORE : 0), "send frame " + i);
            }
        }

        private void pump() {
            if (System.nanoTime() - nextHeartbeatNanos >= 0) {
                nextHeartbeatNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WORKER_HEARTBEAT_MILLIS);
                send(session.encode(heartbeat));
            }
            byte[] first = dealer.recv(0);
            if (first == null) {
                return;
            }
            List<byte[]> frames = new ArrayList<>(List.of(first));
            while (dealer.hasReceiveMore()) {
                frames.add(dealer.recv(0));
            }
            try {
                boolean joined = session.peer() != 0;
                WireMessage message = session.decode(frames.toArray(new byte[0][]), frames.size());
                received.add(message);
                if (!joined && session.peer() != 0) {
                    send(session.encode(heartbeat)); // names the client's nonce: the client now sends us work
                }
            } catch (MalformedMessageException e) {
                fail("the client sent a malformed message: " + e.getMessage());
            }
        }

        void pumpUntil(String what, BooleanSupplier condition) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() - deadline > 0) {
                    fail("timed out waiting for " + what + "; the raw worker received " + received);
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
}
