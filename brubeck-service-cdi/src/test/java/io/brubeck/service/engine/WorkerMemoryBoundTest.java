package io.brubeck.service.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.wire.MalformedMessageException;
import io.brubeck.service.wire.MessageAuthenticator;
import io.brubeck.service.wire.MessageCodec;
import io.brubeck.service.wire.WireMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** What a client can make a worker hold is bounded by the slots the worker announces. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkerMemoryBoundTest {
    private static final int CYCLES = 40;

    /**
     * Requests admitted on a connection the worker has since replaced do not pile up in its handler
     * pool while the handlers are busy: when the connection is replaced, those not started are dropped
     * (their answers would be dropped anyway). Otherwise a client that says DISCONNECT after every batch
     * (a restart loop, or replayed messages) would grow the queue by a capacity's worth per reconnect.
     */
    @Test
    void requestsOfReplacedConnectionsDoNotPileUpBeyondTheAnnouncedCapacity() throws Exception {
        MessageCodec codec = new MessageCodec(new MessageAuthenticator(Fixtures.SECRET));
        CountDownLatch release = new CountDownLatch(1);
        try (ZContext context = new ZContext(1);
             Fixtures fixtures = new Fixtures()) {
            ZMQ.Socket router = rawClient(context);
            router.bind("tcp://127.0.0.1:*");
            ServiceWorker worker = fixtures.worker(oneBusyHandler("gen", router.getLastEndpoint(), release));
            int capacity = worker.config().slotsPerClient();
            HandlerPool pool = Fixtures.handlerPool(worker);

            byte[] previous = null;
            long id = 0;
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                Announced connection = awaitReady(router, codec, previous);
                byte[] identity = connection.identity();
                send(router, identity, connection.encode(codec, new WireMessage.Heartbeat(1000))); // registers it
                for (int i = 0; i < capacity; i++) {
                    send(router, identity, connection.encode(codec, new WireMessage.Request(++id, 60_000,
                            System.currentTimeMillis(), "request".getBytes(UTF_8), "/work".getBytes(UTF_8), new byte[0],
                            new byte[0], new byte[64 * 1024])));
                }
                send(router, identity, connection.encode(codec, WireMessage.Disconnect.INSTANCE)); // "announce yourself again"
                previous = identity;
            }
            awaitReady(router, codec, previous); // the last batch has been admitted too
            int waiting = pool.queued();
            release.countDown();
            router.close();
            assertTrue(waiting <= capacity, "the worker announced " + capacity + " slot(s) per connection and has one"
                    + " client, yet after " + CYCLES + " reconnects " + waiting
                    + " admitted requests (64 KiB body each) wait in its handler pool");
        }
    }

    /**
     * A client that keeps sending requests beyond the worker's slots and never reads the refusals
     * cannot make the worker hold them without bound: once the worker's send bound is reached, it
     * replaces the connection and announces itself on a new one.
     */
    @Test
    void aClientThatNeverReadsHasItsConnectionReplaced() throws Exception {
        MessageCodec codec = new MessageCodec(new MessageAuthenticator(Fixtures.SECRET));
        CountDownLatch release = new CountDownLatch(1);
        try (ZContext context = new ZContext(1);
             Fixtures fixtures = new Fixtures()) {
            ZMQ.Socket router = rawClient(context);
            router.setRcvHWM(1);               // keeps (almost) nothing of what the worker sends ...
            router.setReceiveBufferSize(4096); // ... and lets the kernel keep little
            router.setSndHWM(0);               // every request reaches the worker
            router.bind("tcp://127.0.0.1:*");
            fixtures.worker(oneBusyHandler("unread", router.getLastEndpoint(), release));
            Announced worker = awaitReady(router, codec, null);
            byte[] first = worker.identity();
            byte[][] heartbeat = worker.encode(codec, new WireMessage.Heartbeat(1000));
            send(router, first, heartbeat);
            byte[][] request = worker.encode(codec, new WireMessage.Request(1, 60_000, System.currentTimeMillis(),
                    "request".getBytes(UTF_8), "/work".getBytes(UTF_8), new byte[0], new byte[0], new byte[0]));
            // One runs and every other one is refused, with more refusals than the kernel's buffers
            // hold; nothing is read.
            for (int i = 0; i < 400_000; i++) {
                send(router, first, request);
            }

            byte[] second = awaitReady(router, codec, first, heartbeat).identity(); // alive, but not reading during the flood

            release.countDown();
            assertTrue(!Arrays.equals(first, second), "the worker announced itself on a new connection");
        }
    }

    /** A client endpoint that speaks the protocol by hand; bind it after setting its options. */
    private static ZMQ.Socket rawClient(ZContext context) {
        ZMQ.Socket router = context.createSocket(SocketType.ROUTER);
        router.setLinger(0);
        router.setReceiveTimeOut(50);
        return router;
    }

    /** A worker with one slot whose one handler thread stays busy until {@code release}. */
    private static WorkerConfig oneBusyHandler(String service, String endpoint, CountDownLatch release) {
        return WorkerConfig.builder(service).endpoints(endpoint).passphrase(Fixtures.SECRET).concurrency(1).prefetch(0)
                .routes(Fixtures.routes("^/work$", request -> {
                    release.await(30, TimeUnit.SECONDS);
                    return ServiceReply.ok();
                })).build();
    }


    /** A worker connection that announced itself, and the session the raw client opens with it. */
    private record Announced(byte[] identity, long workerNonce, long clientNonce) {
        byte[][] encode(MessageCodec codec, WireMessage message) {
            return codec.encode(message, clientNonce, workerNonce);
        }
    }

    private static Announced awaitReady(ZMQ.Socket router, MessageCodec codec, byte[] previous) {
        return awaitReady(router, codec, previous, null);
    }

    /**
     * Reads until a READY arrives on a connection other than {@code previous}; returns that connection.
     * With {@code keepAlive}, sends it on {@code previous} every 200 ms meanwhile, so that the worker
     * does not replace that connection for silence.
     */
    private static Announced awaitReady(ZMQ.Socket router, MessageCodec codec, byte[] previous, byte[][] keepAlive) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long nextBeat = System.nanoTime();
        while (System.nanoTime() < deadline) {
            if (keepAlive != null && System.nanoTime() - nextBeat >= 0) {
                send(router, previous, keepAlive);
                nextBeat = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            }
            byte[] identity = router.recv();
            if (identity == null) {
                continue;
            }
            List<byte[]> frames = new ArrayList<>();
            while (router.hasReceiveMore()) {
                frames.add(router.recv());
            }
            try {
                if (codec.decode(frames.toArray(new byte[0][]), frames.size()) instanceof WireMessage.Ready
                        && !Arrays.equals(identity, previous)) {
                    return new Announced(identity, MessageCodec.senderNonce(frames.get(0)), SessionNonces.draw());
                }
            } catch (MalformedMessageException e) {
                fail("the worker sent a malformed message: " + e.getMessage());
            }
        }
        fail("no READY on a new connection");
        return null;
    }

    private static void send(ZMQ.Socket router, byte[] identity, byte[][] frames) {
        router.send(identity, ZMQ.SNDMORE);
        for (int i = 0; i < frames.length; i++) {
            router.send(frames[i], i < frames.length - 1 ? ZMQ.SNDMORE : 0);
        }
    }
}
