package io.brubeck.service.engine;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZEvent;
import org.zeromq.ZMQ;
import org.zeromq.ZMonitor;

/**
 * A connection that presents a routing id another connection holds (any peer may choose its own) is refused
 * it by the ROUTER, which in JeroMQ 0.6.0 then keeps whatever it sends for good, even after it closes. The
 * client drops such connections and what they sent ({@link StrandedConnections}), and the connection that
 * holds the routing id is unaffected.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StrandedConnectionsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final byte[] TAKEN = "taken".getBytes(US_ASCII);
    private static final int MESSAGES = 20;
    private static final byte[] PAYLOAD = new byte[256 * 1024];

    private final ZContext context = new ZContext(1);
    private final AtomicInteger monitors = new AtomicInteger();

    @AfterEach
    void closeContext() {
        context.close();
    }

    @Test
    void aConnectionRefusedItsRoutingIdIsDroppedWithWhatItSentWhetherOpenOrClosed() throws Exception {
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
        sendPayloads(open);
        sendPayloads(closing);
        Fixtures.awaitCondition(WAIT, "both connections to be refused the routing id", () -> {
            router.getEvents(); // lets the socket take the commands of its connections
            return unnamed(router) == 2;
        });
        closing.close();

        int dropped = 0;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (unnamed(router) > 0 && System.nanoTime() < deadline) {
            router.getEvents(); // lets the socket take the commands of its connections
            dropped += stranded.drop();
            router.recv(); // what the holder may send; waits up to the receive timeout
        }
        assertEquals(0, unnamed(router), "the ROUTER holds no connection without a routing id, nor what it sent");
        assertEquals(2, dropped, "both were dropped: the one still open and the one that closed with messages waiting");

        holder.send("still here");
        assertArrayEquals(TAKEN, awaitFrom(router, "still here"), "the connection holding the routing id is unaffected");
    }

    @Test
    void theClientDropsAConnectionThatPresentsARoutingIdAnotherHolds() throws Exception {
        try (Fixtures fixtures = new Fixtures(Duration.ofMillis(200), 10);
             KeptLog clientLog = KeptLog.of(ClientLoop.class)) {
            ServiceClientEndpoint client = fixtures.client("stranded");
            ZMQ.Socket holder = dealer(client.endpoint());
            ZMQ.Socket holderMonitor = monitor(holder);
            holder.send("holds the routing id"); // dropped as malformed; the connection stays
            Fixtures.awaitCondition(WAIT, "the client to read the holder's message",
                    () -> clientLog.has("dropped a message from "));

            ZMQ.Socket duplicate = dealer(client.endpoint());
            sendPayloads(duplicate);

            Fixtures.awaitCondition(WAIT, "the client to drop the duplicate", () -> clientLog.has(
                    "dropped 1 connections, and what they sent, that presented a routing id another connection holds"));
            ZEvent holderEvent = ZEvent.recv(holderMonitor);
            assertTrue(holderEvent == null || holderEvent.getEvent() != ZMonitor.Event.DISCONNECTED,
                    "the holder's connection stays");
        }
    }

    private ZMQ.Socket dealer(String endpoint) {
        ZMQ.Socket dealer = context.createSocket(SocketType.DEALER);
        dealer.setLinger(0);
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

    private ZMQ.Socket monitor(ZMQ.Socket socket) {
        String address = "inproc://stranded-monitor-" + monitors.incrementAndGet();
        assertTrue(socket.monitor(address, ZMQ.EVENT_DISCONNECTED));
        ZMQ.Socket monitor = context.createSocket(SocketType.PAIR);
        monitor.setLinger(0);
        monitor.setReceiveTimeOut(50);
        monitor.connect(address);
        return monitor;
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
