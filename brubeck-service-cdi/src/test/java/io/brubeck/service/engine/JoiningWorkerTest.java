package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.ServiceRejectedException;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.wire.MessageAuthenticator;
import io.brubeck.service.wire.MessageCodec;
import io.brubeck.service.wire.WireMessage;
import java.time.Duration;
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

    private final Fixtures fixtures = new Fixtures();

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
        announceWithoutJoining(context, client.endpoint(), 8 * 1024 * 1024);

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
     * Sends a READY on a connection of its own and waits for the client's answer, which it never
     * acknowledges: the client keeps it as a joining worker for the 60 s silence limit it announced.
     */
    private static void announceWithoutJoining(ZContext context, String endpoint, int maxMessageSize) {
        ZMQ.Socket dealer = connect(context, endpoint);
        PeerSession session = new PeerSession(new MessageCodec(new MessageAuthenticator(Fixtures.SECRET)));
        send(dealer, session.encode(new WireMessage.Ready(100, 20_000, maxMessageSize, "sizes", "joining")));
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
