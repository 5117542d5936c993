package io.brubeck.service.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.KeptLog;
import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.wire.MalformedMessageException;
import io.brubeck.service.wire.MessageAuthenticator;
import io.brubeck.service.wire.MessageCodec;
import io.brubeck.service.wire.WireMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * A worker whose client stops reading replaces the connection (PROTOCOL §7.3): once what it owes that
 * client fills the connection's queue up to the send high-water mark ({@link FrameIO#SEND_HIGH_WATER_MARK}),
 * a send fails, and the worker logs why and announces itself again with a READY of a new session, on a new
 * connection, rather than keep a connection on which nothing it sends arrives.
 *
 * <p>The client is a raw ROUTER that takes in little without reading (a small receive high-water mark
 * and kernel receive buffer). Once the worker has joined it, it reads nothing more. It takes both of
 * the worker's slots, has the worker refuse a few requests, which fill what the client takes in, then
 * answer one of the two with a reply larger than the kernel's buffers on loopback usually hold, so
 * that what follows stays in the worker's queue; then it floods the worker with requests, which the
 * worker refuses at once. How much the kernel's buffers hold is not known for sure, so the client
 * sends until the worker says that a send failed, up to a bound.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientThatStopsReadingTest {
    private static final String SERVICE = "unread";
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Above the 4 MiB to which Linux lets a socket's send buffer grow by default, below the 8 MiB maxMessageSize. */
    private static final int LARGE_REPLY_BYTES = 6 * 1024 * 1024;
    /** The client's receive high-water mark: how many messages it takes in from the connection without reading. */
    private static final int CLIENT_RECEIVE_HWM = 16;
    /** Many times the high-water mark, for kernel buffers larger than usual. */
    private static final int MOST_REQUESTS = 200_000;
    /**
     * The interval the raw client announces: with the worker's liveness, a silence limit of 100 s, so that
     * only a failed send can make the worker reconnect within the test.
     */
    private static final int CLIENT_HEARTBEAT_MILLIS = 10_000;
    /**
     * A new connection's silence limit is 10 s of the worker's own 1 s heartbeats: time enough, on a busy
     * machine, to read what the old connection still delivers before answering the new READY, which the worker
     * would otherwise give up on, to announce itself on yet another connection.
     */
    private static final int WORKER_LIVENESS = 10;
    private static final String SEND_FAILED = "because a send failed: " + WorkerLoop.SEND_FAILED;

    private final Fixtures fixtures = new Fixtures();
    private final MessageCodec codec = new MessageCodec(new MessageAuthenticator(Fixtures.SECRET));
    /** The client's end of the session with the worker's current connection. */
    private final PeerSession session = new PeerSession(codec);
    private final ZContext rawContext = fixtures.track(new ZContext(1));
    private final KeptLog workerLog = fixtures.track(KeptLog.of(WorkerLoop.class));

    @AfterEach
    void closeAll() {
        fixtures.close();
    }

    @Test
    void aWorkerWhoseClientStopsReadingAnnouncesItselfAgainOnANewConnection() throws Exception {
        ZMQ.Socket router = rawContext.createSocket(SocketType.ROUTER);
        router.setLinger(0);
        router.setRouterMandatory(true); // a send to the worker's connection fails once that is gone
        router.setReceiveTimeOut(50);
        router.setSendTimeOut(200);
        // Little is buffered on the client's side, so that the worker's queue fills soon after it stops reading.
        router.setRcvHWM(CLIENT_RECEIVE_HWM);
        router.setReceiveBufferSize(4096);
        router.bind("tcp://127.0.0.1:*");
        String endpoint = router.getLastEndpoint();

        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch answerLarge = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RouteTable<RequestHandler> routes = RouteTable.<RequestHandler>builder()
                .route("^/large$", Method.REQUEST, request -> {
                    started.countDown();
                    answerLarge.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    return ServiceReply.ok("large").withBody(new byte[LARGE_REPLY_BYTES]);
                })
                .route("^/block$", Method.REQUEST, request -> {
                    started.countDown();
                    release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    return ServiceReply.ok("late");
                })
                .build();
        ServiceWorker worker = fixtures.worker(WorkerConfig.builder(SERVICE).endpoints(endpoint)
                .passphrase(Fixtures.SECRET).heartbeatInterval(Duration.ofSeconds(1)).liveness(WORKER_LIVENESS).concurrency(2)
                .routes(routes).build());
        try {
            // The worker joins as it would join a real client.
            Received first = awaitFromWorker(router, heard -> heard.message() instanceof WireMessage.Ready);
            long firstNonce = session.peer();
            send(router, first.from(), session.encode(new WireMessage.Heartbeat(CLIENT_HEARTBEAT_MILLIS)));
            // Its answer names our nonce: it has registered the session (its periodic beat may come first).
            awaitFromWorker(router, heard -> heard.message() instanceof WireMessage.Heartbeat
                    && session.isOurs(heard.header()));

            // From here on the client reads nothing. Requests 1 and 2 take both of the worker's slots.
            send(router, first.from(), session.encode(request(1, "/block")));
            send(router, first.from(), session.encode(request(2, "/large")));
            assertTrue(started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the handlers started requests 1 and 2");
            // Refusals fill what the client takes in without reading, so that the large reply after them
            // stays in the kernel's buffers: the worker's queue then fills with the refusals that follow.
            int refusedFirst = 2 * CLIENT_RECEIVE_HWM;
            for (int id = 3; id < 3 + refusedFirst; id++) {
                send(router, first.from(), session.encode(request(id, "/block")));
            }
            Fixtures.awaitCondition(WAIT, "the first refusals", () -> worker.statistics().refused() == refusedFirst);
            answerLarge.countDown();
            Fixtures.awaitCondition(WAIT, "the large reply", () -> worker.statistics().handled() == 1);
            // The first request of the flood takes the slot the large reply freed; the worker refuses the rest.
            int flooded = floodUntilTheWorkerGivesUp(router, first.from(), 3 + refusedFirst);

            assertTrue(workerLog.has("Worker of service '" + SERVICE + "' reconnects to " + endpoint + " " + SEND_FAILED),
                    workerLog.messages().toString());
            assertFalse(workerLog.has("silent"), workerLog.messages().toString());
            // A send fails once about half the mark waits (FrameIO.SEND_HIGH_WATER_MARK): all but a few heartbeats
            // are refusals.
            assertTrue(worker.statistics().refused() >= FrameIO.SEND_HIGH_WATER_MARK / 4,
                    "the queue filled with refusals: " + worker.statistics() + " after " + flooded + " more requests");

            // Read again: whatever the old connection still delivers, then the worker's new READY.
            Received again = awaitFromWorker(router, heard -> heard.message() instanceof WireMessage.Ready);
            assertFalse(Arrays.equals(first.from(), again.from()), "the READY comes on a new connection");
            assertNotEquals(firstNonce, session.peer(), "the READY starts a new session, with a new sender nonce");
            assertNotEquals(0, session.peer());
            assertEquals(2, ((WireMessage.Ready) again.message()).capacity());

            // The new session works: the worker registers it as it did the first.
            send(router, again.from(), session.encode(new WireMessage.Heartbeat(CLIENT_HEARTBEAT_MILLIS)));
            awaitFromWorker(router, heard -> heard.message() instanceof WireMessage.Heartbeat
                    && session.isOurs(heard.header()));
        } finally {
            answerLarge.countDown();
            release.countDown(); // before the worker closes, which waits for its handlers
        }
    }

    /**
     * Sends requests of the session to the worker's connection, reading nothing, until the worker logs that a
     * send failed, its connection is gone, or the bound (in number or time) is reached; returns how many it sent.
     */
    private int floodUntilTheWorkerGivesUp(ZMQ.Socket router, byte[] to, long firstId) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int sent = 0;
        for (long id = firstId; sent < MOST_REQUESTS && System.nanoTime() - deadline < 0; id++) {
            if (sent % 64 == 0 && workerLog.has(SEND_FAILED)) {
                break;
            }
            byte[][] frames = session.encode(request(id, "/block"));
            try {
                // Waits up to the send timeout while the worker's receive queue is full.
                if (!router.send(to, ZMQ.SNDMORE)) {
                    continue;
                }
            } catch (ZMQException gone) {
                break; // the worker has closed the connection
            }
            // Once a ROUTER takes the routing id, it takes the rest of the message.
            for (int i = 0; i < frames.length; i++) {
                router.send(frames[i], i < frames.length - 1 ? ZMQ.SNDMORE : 0);
            }
            sent++;
        }
        // Logged before the worker closes the connection, but the client may see the close first.
        Fixtures.awaitCondition(Duration.ofSeconds(5), "the worker to say that a send failed after " + sent
                + " requests", () -> workerLog.has(SEND_FAILED));
        return sent;
    }

    private static WireMessage.Request request(long id, String path) {
        return new WireMessage.Request(id, 60_000, System.currentTimeMillis(), "request".getBytes(UTF_8),
                path.getBytes(UTF_8), new byte[0], new byte[0], new byte[0]);
    }

    /** Reads what the worker sends until a message {@code wanted} comes; the session learns from each. */
    private Received awaitFromWorker(ZMQ.Socket router, Predicate<Received> wanted) throws MalformedMessageException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            List<byte[]> frames = receive(router);
            if (frames == null) {
                continue;
            }
            byte[] from = frames.remove(0);
            byte[][] message = frames.toArray(new byte[0][]);
            Received heard = new Received(session.decode(message, message.length), message[0], from);
            if (wanted.test(heard)) {
                return heard;
            }
        }
        throw new AssertionError("the message awaited did not come from the worker in " + WAIT);
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

    private static void send(ZMQ.Socket router, byte[] to, byte[][] frames) {
        assertTrue(router.send(to, ZMQ.SNDMORE), "the worker's connection takes the message");
        for (int i = 0; i < frames.length; i++) {
            assertTrue(router.send(frames[i], i < frames.length - 1 ? ZMQ.SNDMORE : 0), "sent");
        }
    }

    private record Received(WireMessage message, byte[] header, byte[] from) {
    }
}
