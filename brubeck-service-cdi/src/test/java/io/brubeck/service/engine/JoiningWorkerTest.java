package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.KeptLog;
import io.brubeck.service.api.ServiceRejectedException;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.wire.MessageAuthenticator;
import io.brubeck.service.wire.MessageCodec;
import io.brubeck.service.wire.WireMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A worker that has announced itself but not yet shown that it knows the client's nonce may be a
 * recorded READY played back (PROTOCOL §5.1): what it announced counts for nothing until it joins.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JoiningWorkerTest {
    private static final int SMALL_LIMIT = 64 * 1024;

    /** A client that beats rarely keeps a worker joining for 30 s, longer than any test here waits. */
    private final Fixtures fixtures = new Fixtures(Duration.ofSeconds(10), 3);

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    @Test
    void aCallLargerThanEveryJoinedWorkerAcceptsIsRejectedAtOnceWhateverAJoiningOneAnnounced() throws Exception {
        ServiceClientEndpoint client = fixtures.client("sizes");
        fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/work$", request -> ServiceReply.ok()))
                .maxMessageSize(SMALL_LIMIT).build());
        Fixtures.awaitWorkers(client, 1);
        ZContext context = fixtures.track(new ZContext(1));
        announceWithoutJoining(context, client.endpoint(), "sizes", 20_000);

        long begin = System.nanoTime();
        ServiceRejectedException rejected = assertThrows(ServiceRejectedException.class,
                () -> client.request("/work").body(new byte[2 * SMALL_LIMIT]).timeout(Duration.ofSeconds(20)).send());
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);

        assertEquals(ServiceRejectedException.Reason.TOO_LARGE, rejected.reason());
        assertTrue(tookMillis < 5_000, "rejected after " + tookMillis + " ms, not at once");
        assertEquals(1, client.status().toCompletableFuture().get(5, TimeUnit.SECONDS).workers().size(),
                "the status lists the joined worker only");
    }

    /**
     * Someone without the passphrase can play back a recorded READY and a HEARTBEAT of its session over
     * and over on one connection: each READY makes a joining worker, and each HEARTBEAT, naming a client
     * nonce of long ago, gets it dropped. That must not flood the client's log.
     */
    @Test
    void aReadyAndAMessageOfAnotherSessionPlayedBackOverAndOverLogAtMostAHundredLinesEveryTenSeconds()
            throws Exception {
        ServiceClientEndpoint client = fixtures.client("replayed");
        ZContext context = fixtures.track(new ZContext(1));
        MessageCodec codec = new MessageCodec(new MessageAuthenticator(Fixtures.SECRET));
        long recordedWorkerNonce = SessionNonces.draw();
        byte[][] ready = codec.encode(new WireMessage.Ready(1, 1_000, 1 << 20, "replayed", "recorded"),
                recordedWorkerNonce, 0);
        byte[][] heartbeat = codec.encode(new WireMessage.Heartbeat(1_000), recordedWorkerNonce, SessionNonces.draw());
        try (KeptLog log = KeptLog.of(ClientLoop.class)) {
            long start = System.nanoTime();
            ZMQ.Socket dealer = connect(context, client.endpoint());
            for (int i = 0; i < 150; i++) {
                send(dealer, ready);
                send(dealer, heartbeat);
            }
            // Messages of one connection are handled in order: once this is answered, all of the above were read.
            PeerSession marker = new PeerSession(codec);
            send(dealer, marker.encode(new WireMessage.Ready(1, 1_000, 1 << 20, "replayed", "marker")));
            awaitAnswer(dealer, marker);
            long intervalsStarted = (System.nanoTime() - start) / TimeUnit.SECONDS.toNanos(10) + 1;

            long drops = log.messages().stream().filter(line -> line.contains(": dropped worker recorded")).count();
            assertTrue(drops >= 100, "the first lines are all logged; logged " + drops);
            assertTrue(drops <= 100 * intervalsStarted, "logged " + drops + " drops in " + intervalsStarted
                    + " intervals of 10 s, for 150");
        }
    }

    /**
     * The client's answer to a connection it does not know must never pass for a worker's message. Else
     * an outsider could replay a READY on one connection, send the client's answer to it (a HEARTBEAT naming
     * the client's nonce) from a second connection, and play the client's answer to that back on the first.
     */
    @Test
    void aReplayedReadyNeverJoinsThroughTheClientsOwnAnswers() throws Exception {
        ServiceClientEndpoint client = fixtures.client("reflected");
        ZContext context = fixtures.track(new ZContext(1));
        MessageCodec codec = new MessageCodec(new MessageAuthenticator(Fixtures.SECRET));
        long recordedWorkerNonce = SessionNonces.draw();
        try (KeptLog log = KeptLog.of(ClientLoop.class)) {
            ZMQ.Socket first = connect(context, client.endpoint());
            send(first, codec.encode(new WireMessage.Ready(1, 1_000, 1 << 20, "reflected", "recorded"),
                    recordedWorkerNonce, 0));
            byte[][] welcome = awaitMessage(first);
            ZMQ.Socket second = connect(context, client.endpoint());
            send(second, welcome);
            byte[][] disowned = awaitMessage(second);
            send(first, disowned);
            PeerSession marker = new PeerSession(codec);
            send(first, marker.encode(new WireMessage.Ready(1, 1_000, 1 << 20, "reflected", "marker")));
            awaitAnswer(first, marker); // messages of a connection are read in order: the reflection was read

            assertTrue(log.messages().stream().noneMatch(line -> line.contains("worker recorded joined")),
                    "the replayed READY joined: " + log.messages());
            assertEquals(List.of(), client.status().toCompletableFuture().get(5, TimeUnit.SECONDS).workers());
        }
    }

    /**
     * A worker answers the client's first HEARTBEAT at once, so one that has not joined within a limit of
     * the client's never will; the interval its READY announced, which a replayer picks, does not count. The
     * limit is at least 5 s, even with a short heartbeat, so that a slow link still lets a worker join.
     */
    @Test
    void aWorkerThatDoesNotJoinIsDroppedAtTheClientsJoinLimitWhateverItsReadyAnnounced() throws Exception {
        try (Fixtures quick = new Fixtures(Duration.ofMillis(200), 3); KeptLog log = KeptLog.of(ClientLoop.class)) {
            ServiceClientEndpoint client = quick.client("quick");
            ZContext context = quick.track(new ZContext(1));
            long start = System.nanoTime();
            announceWithoutJoining(context, client.endpoint(), "quick", 600_000);

            Fixtures.awaitCondition(Duration.ofSeconds(20), "the joining worker to be dropped", () -> log.messages()
                    .stream().anyMatch(line -> line.contains("dropped worker joining because it did not join within")));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMillis >= 5_000, "dropped after " + tookMillis + " ms, before the 5 s a slow link may need");
            assertTrue(tookMillis < 15_000, "dropped after " + tookMillis + " ms; its READY announced 600 s beats");
        }
    }

    /** Replayed READYs cannot keep a genuine worker out by holding every one of the maxWorkers places. */
    @Test
    void atMaxWorkersTheWorkerJoiningLongestMakesRoomForANewOne() throws Exception {
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("crowded").maxWorkers(2).build());
        ZContext context = fixtures.track(new ZContext(1));
        announceWithoutJoining(context, client.endpoint(), "crowded", 20_000);
        announceWithoutJoining(context, client.endpoint(), "crowded", 20_000);

        fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/work$", request -> ServiceReply.ok("served")))
                .build());

        Fixtures.awaitWorkers(client, 1);
        assertEquals("served", client.request("/work").send().response().statusMessage());
    }

    /**
     * Sends a READY on a connection of its own and waits for the client's answer, which it never
     * acknowledges: the client keeps it as a joining worker until its own silence limit.
     */
    private static void announceWithoutJoining(ZContext context, String endpoint, String service, int heartbeatMillis) {
        ZMQ.Socket dealer = connect(context, endpoint);
        PeerSession session = new PeerSession(new MessageCodec(new MessageAuthenticator(Fixtures.SECRET)));
        send(dealer, session.encode(new WireMessage.Ready(100, heartbeatMillis, 8 * 1024 * 1024, service, "joining")));
        awaitAnswer(dealer, session);
    }

    private static ZMQ.Socket connect(ZContext context, String endpoint) {
        ZMQ.Socket dealer = context.createSocket(SocketType.DEALER);
        dealer.setLinger(0);
        dealer.setReceiveTimeOut(10_000);
        dealer.setHandshakeIvl(1_000); // JeroMQ 0.6.0 now and then leaves a fresh connection without its handshake
        dealer.connect(endpoint);
        return dealer;
    }

    private static void send(ZMQ.Socket dealer, byte[][] frames) {
        for (int i = 0; i < frames.length; i++) {
            dealer.send(frames[i], i < frames.length - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    /** The frames of the next message, waiting for it. */
    private static byte[][] awaitMessage(ZMQ.Socket dealer) {
        List<byte[]> frames = new ArrayList<>();
        byte[] first = dealer.recv();
        assertNotNull(first, "the client answered");
        frames.add(first);
        while (dealer.hasReceiveMore()) {
            frames.add(dealer.recv());
        }
        return frames.toArray(new byte[0][]);
    }

    /** Waits for the client's answer to a READY: a message naming its session. */
    private static void awaitAnswer(ZMQ.Socket dealer, PeerSession session) {
        while (true) {
            byte[] header = dealer.recv();
            assertNotNull(header, "the client answered the READY");
            while (dealer.hasReceiveMore()) {
                dealer.recv();
            }
            if (MessageCodec.receiverNonce(header) == session.own()) {
                return;
            }
        }
    }
}
