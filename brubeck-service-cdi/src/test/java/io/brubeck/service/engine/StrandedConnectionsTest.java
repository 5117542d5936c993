package io.brubeck.service.engine;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.KeptLog;
import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.wire.MalformedMessageException;
import io.brubeck.service.wire.MessageAuthenticator;
import io.brubeck.service.wire.MessageCodec;
import io.brubeck.service.wire.WireMessage;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZEvent;
import org.zeromq.ZMQ;

/**
 * A connection that presents a routing id another connection holds (any peer may choose its own) is refused
 * it by the ROUTER, which in JeroMQ 0.6.0 then keeps whatever it sends for good, even after it closes. The
 * client drops such connections and what they sent ({@link StrandedConnections}), and the connection that
 * holds the routing id, a worker's here, is unaffected.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StrandedConnectionsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final byte[] TAKEN = "taken".getBytes(US_ASCII);
    private static final int MESSAGES = 20;
    private static final byte[] PAYLOAD = new byte[256 * 1024];

    private final ZContext context = new ZContext(1);

    @AfterEach
    void closeContext() {
        context.close();
    }

    @Test
    void aConnectionRefusedItsRoutingIdIsDroppedWithWhatItSentWhetherOpenOrClosed() {
        ZMQ.Socket router = context.createSocket(SocketType.ROUTER);
        router.setLinger(0);
        router.setReceiveTimeOut(50);
        router.bind("tcp://127.0.0.1:*");
        StrandedConnections stranded = StrandedConnections.of(router);
        ZMQ.Socket holder = dealer(router.getLastEndpoint());
        holder.send("hello");
        assertArrayEquals(TAKEN, awaitFrom(router, "hello"), "the first connection holds the routing id");

        ZMQ.Socket open = dealer(router.getLastEndpoint());
        ZMQ.Socket closing = dealer(router.getLastEndpoint());
        closing.setLinger(10_000); // what it sent reaches the ROUTER before it closes
        sendPayloads(open);
        sendPayloads(closing);
        closing.close();

        int dropped = 0;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while ((dropped < 2 || unnamed(router) > 0) && System.nanoTime() < deadline) {
            router.getEvents(); // lets the socket take the commands of its connections
            dropped += stranded.drop();
            router.recv(); // what the holder may send; waits up to the receive timeout
        }
        assertEquals(2, dropped, "both were dropped: the one still open and the one that closed");
        assertEquals(0, unnamed(router), "the ROUTER holds no connection without a routing id, nor what it sent");
        assertEquals(0, stranded.drop(), "each is dropped once");

        holder.send("still here");
        assertArrayEquals(TAKEN, awaitFrom(router, "still here"), "the connection holding the routing id is unaffected");
    }

    @Test
    void aConnectionWhoseHandshakeFailedIsNotTakenForARefusedOne() {
        CurveKeys.KeyPair server = CurveKeys.generate();
        CurveKeys.KeyPair stranger = CurveKeys.generate();
        ZMQ.Socket router = context.createSocket(SocketType.ROUTER);
        router.setLinger(0);
        router.setCurveServer(true);
        router.setCurveSecretKey(ZMQ.Curve.z85Decode(server.secretKey()));
        router.bind("tcp://127.0.0.1:*");
        StrandedConnections stranded = StrandedConnections.of(router);
        ZMQ.Socket events = context.createSocket(SocketType.PAIR);
        router.monitor("inproc://handshakes", ZMQ.EVENT_DISCONNECTED); // the ROUTER ends the failed connection
        events.connect("inproc://handshakes");
        events.setReceiveTimeOut(50);
        int failures = 0;
        int dropped = 0;
        ZMQ.Socket dealer = null;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while ((failures < 20 || unnamed(router) > 0) && System.nanoTime() < deadline) {
            if (dealer == null && failures < 20) {
                dealer = failingToShakeHands(router.getLastEndpoint(), failures % 2 == 0 ? null : stranger);
            }
            router.getEvents(); // lets the socket take the commands of its connections
            dropped += stranded.drop();
            if (ZEvent.recv(events) != null) {
                failures++;
                dealer.close();
                dealer = null;
            }
        }
        assertEquals(20, failures, "handshakes failed");
        assertEquals(0, dropped, "a connection whose handshake failed holds nothing and is not dropped as refused");
        assertEquals(0, unnamed(router), "the ROUTER forgot each such connection by itself");
        router.monitor(null, 0);
        events.close();
    }

    @Test
    void theClientDropsAConnectionThatPresentsTheRoutingIdOfAWorkerWhichGoesOnServing() throws Exception {
        try (Fixtures fixtures = new Fixtures(Duration.ofMillis(200), 50);
             KeptLog clientLog = KeptLog.of(ClientLoop.class)) {
            ServiceClientEndpoint client = fixtures.client("stranded");
            MessageCodec codec = new MessageCodec(new MessageAuthenticator(Fixtures.SECRET));
            PeerSession session = new PeerSession(codec);
            ZMQ.Socket worker = dealer(client.endpoint());
            send(worker, session.encode(new WireMessage.Ready(1, 1000, 1 << 20, "stranded", "fixed-id")));
            awaitMessage(worker, session, WireMessage.Heartbeat.class);
            send(worker, session.encode(new WireMessage.Heartbeat(1000))); // names the client's nonce: joins
            Fixtures.awaitWorkers(client, 1);

            ZMQ.Socket duplicate = dealer(client.endpoint());
            sendPayloads(duplicate);
            Fixtures.awaitCondition(WAIT, "the client to drop the duplicate", () -> clientLog.has(
                    "dropped 1 connections, and what they sent, that presented a routing id another connection holds"));

            CompletableFuture<ServiceResult> call = client.request("/work").timeout(WAIT).sendAsync().toCompletableFuture();
            assertArrayEquals("/work".getBytes(US_ASCII), awaitMessage(worker, session, WireMessage.Request.class).path(),
                    "the worker holding the routing id still gets calls");
            assertEquals(1, client.status().toCompletableFuture().join().workers().size());
            call.cancel(true);
        }
    }

    /** A connection that does not use CURVE, or trusts another server key than the ROUTER's. */
    private ZMQ.Socket failingToShakeHands(String endpoint, CurveKeys.KeyPair trusted) {
        ZMQ.Socket dealer = context.createSocket(SocketType.DEALER);
        dealer.setLinger(0);
        if (trusted != null) {
            CurveKeys.KeyPair own = CurveKeys.generate();
            dealer.setCurveServerKey(ZMQ.Curve.z85Decode(trusted.publicKey()));
            dealer.setCurvePublicKey(ZMQ.Curve.z85Decode(own.publicKey()));
            dealer.setCurveSecretKey(ZMQ.Curve.z85Decode(own.secretKey()));
        }
        dealer.connect(endpoint);
        return dealer;
    }

    private ZMQ.Socket dealer(String endpoint) {
        ZMQ.Socket dealer = context.createSocket(SocketType.DEALER);
        dealer.setLinger(0);
        dealer.setReceiveTimeOut(50);
        dealer.setIdentity(TAKEN);
        dealer.setHandshakeIvl(1000); // JeroMQ 0.6.0 now and then leaves a new connection without its handshake
        dealer.connect(endpoint);
        return dealer;
    }

    private static void sendPayloads(ZMQ.Socket dealer) {
        for (int i = 0; i < MESSAGES; i++) {
            assertTrue(dealer.send(PAYLOAD), "sent");
        }
    }

    private static void send(ZMQ.Socket dealer, byte[][] frames) {
        assertTrue(FrameIO.send(dealer, null, frames), "sent"); // queued until the connection is up, as the worker's READY
    }

    /** The next message of a type the client sends the raw worker, read in its session. */
    private static <T extends WireMessage> T awaitMessage(ZMQ.Socket worker, PeerSession session, Class<T> type)
            throws MalformedMessageException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            byte[] first = worker.recv();
            if (first == null) {
                continue;
            }
            List<byte[]> frames = new ArrayList<>(List.of(first));
            while (worker.hasReceiveMore()) {
                frames.add(worker.recv());
            }
            WireMessage message = session.decode(frames.toArray(new byte[0][]), frames.size());
            if (type.isInstance(message)) {
                return type.cast(message);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " came within " + WAIT);
    }

    private static byte[] awaitFrom(ZMQ.Socket router, String text) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            byte[] routingId = router.recv();
            if (routingId == null) {
                continue;
            }
            byte[] body = router.recv();
            if (text.equals(new String(body, US_ASCII))) {
                return routingId;
            }
        }
        throw new AssertionError("'" + text + "' did not come within " + WAIT);
    }

    /** How many connections the ROUTER holds without a routing id, read as the workaround reads them. */
    private static int unnamed(ZMQ.Socket router) {
        try {
            Field field = router.base().getClass().getDeclaredField("anonymousPipes");
            field.setAccessible(true);
            return ((Set<?>) field.get(router.base())).size();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
