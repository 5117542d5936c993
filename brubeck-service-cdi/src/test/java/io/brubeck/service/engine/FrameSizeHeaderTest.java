package io.brubeck.service.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.KeptLog;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResult;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A peer that speaks ZMTP, the protocol beneath ZeroMQ, over a plain TCP connection, and sends a frame
 * header no ZeroMQ sends: a frame of 2^63 bytes or more. JeroMQ reads such a size as a negative number,
 * which its checks against the maximum message size let through. The client and the worker must keep
 * serving, report no failure of JeroMQ's threads, allocate nothing like the size claimed, and still close
 * their ZeroMQ contexts.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FrameSizeHeaderTest {
    private static final String SERVICE = "frames";
    private static final int MAX_MESSAGE_SIZE = 64 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final RouteTable<RequestHandler> ECHO = Fixtures.routes("^/echo$",
            request -> ServiceReply.ok("echo").withBody(request.body()));

    private final Fixtures fixtures = new Fixtures(Duration.ofMillis(200), 10);
    private final List<ZContext> contexts = new ArrayList<>();
    /** What JeroMQ's threads reported or died of. */
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
        for (ZContext context : contexts) {
            assertTimeoutPreemptively(Duration.ofSeconds(10), context::close, "the ZeroMQ context closes");
        }
    }

    /**
     * The size is cut to an int: 0xFFFFFFFF80000000 to a negative one, 0x8000000004000000 to 64 MiB, far
     * above the client's limit; the frame is a message frame (flags 2) or a command (flags 6). The header
     * comes with the connection's first bytes, so JeroMQ reads it as it takes the connection on.
     */
    @ParameterizedTest(name = "flags {0}, size {1}")
    @CsvSource({"2, 0xFFFFFFFF80000000", "6, 0xFFFFFFFF80000000", "2, 0x8000000004000000"})
    void aFrameClaimingAtLeast2To63BytesLeavesTheClientServing(int flags, String size) throws Exception {
        ZContext clientContext = context("client");
        ZContext workerContext = context("worker");
        ServiceClientEndpoint client = fixtures.track(ServiceClientEndpoint.start(
                fixtures.clientConfig(SERVICE).maxMessageSize(MAX_MESSAGE_SIZE).build(), clientContext));
        fixtures.track(ServiceWorker.start(fixtures.workerConfig(client, ECHO).maxMessageSize(MAX_MESSAGE_SIZE)
                .build(), workerContext));
        Fixtures.awaitWorkers(client, 1);
        assertEcho(client, "before");
        long directBefore = directMemoryUsed();

        try (KeptLog clientLog = KeptLog.of(ClientLoop.class, Level.WARNING);
             Socket peer = new Socket(InetAddress.getLoopbackAddress(), port(client.endpoint()));
             ZContext otherPeers = new ZContext(1);
             ZMQ.Socket next = otherPeers.createSocket(SocketType.DEALER)) {
            // On loopback the bytes are there before the write returns, and so before the next peer connects.
            long claimed = Long.parseUnsignedLong(size.substring(2), 16);
            peer.getOutputStream().write(RawZmtp.concat(RawZmtp.greeting(), RawZmtp.readyCommand(),
                    RawZmtp.longFrameHeader(flags, claimed)));
            peer.getOutputStream().flush();
            // The client's I/O thread takes connections in turn: once it hears the next peer, it has read the first.
            next.setLinger(0);
            next.setHandshakeIvl(1_000); // see HostilePeerTest's Intruder
            next.connect(client.endpoint());
            next.send("not a brubeck-service message");
            Fixtures.awaitCondition(WAIT, "the client to hear the next peer",
                    () -> !failures.isEmpty() || clientLog.has(": not a brubeck-service message"));
            long allocated = directMemoryUsed() - directBefore;

            // A worker can still join, and calls are still answered.
            fixtures.track(ServiceWorker.start(fixtures.workerConfig(client, ECHO).maxMessageSize(MAX_MESSAGE_SIZE)
                    .build(), workerContext));
            Fixtures.awaitWorkers(client, 2);
            assertEcho(client, "after");
            assertTrue(failures.isEmpty(), "JeroMQ's threads reported no failure: " + failures);
            assertTrue(allocated < 16 * 1024 * 1024,
                    "nothing like the 64 MiB claimed was allocated: " + allocated + " bytes");
        }
        fixtures.close();
        assertTimeoutPreemptively(Duration.ofSeconds(10), clientContext::close, "the client's ZeroMQ context closes");
    }

    /** A hostile client endpoint the worker connects to sends the header once the connection is up. */
    @Test
    void aFrameClaimingAtLeast2To63BytesFromAClientEndpointLeavesTheWorkerServing() throws Exception {
        ZContext workerContext = context("worker");
        ServiceClientEndpoint client = fixtures.track(ServiceClientEndpoint.start(
                fixtures.clientConfig(SERVICE).maxMessageSize(MAX_MESSAGE_SIZE).build(), context("client")));
        try (ServerSocket hostile = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             KeptLog workerLog = KeptLog.of(WorkerLoop.class, Level.WARNING)) {
            String hostileEndpoint = "tcp://127.0.0.1:" + hostile.getLocalPort();
            fixtures.track(ServiceWorker.start(fixtures.workerConfig(client, ECHO).maxMessageSize(MAX_MESSAGE_SIZE)
                    .endpoints(client.endpoint(), hostileEndpoint).build(), workerContext));
            Fixtures.awaitWorkers(client, 1);
            try (Socket worker = hostile.accept()) {
                worker.setSoTimeout((int) WAIT.toMillis());
                worker.getOutputStream().write(RawZmtp.concat(RawZmtp.greeting(), RawZmtp.readyCommand()));
                skipToFirstMessage(worker.getInputStream()); // the worker's READY: its end of the connection is up
                worker.getOutputStream().write(RawZmtp.longFrameHeader(RawZmtp.LAST_FRAME, 0xFFFF_FFFF_8000_0000L));
                worker.getOutputStream().flush();
                Fixtures.awaitCondition(WAIT, "the worker to read the frame header",
                        () -> !failures.isEmpty() || workerLog.has("dropped a message from " + hostileEndpoint));

                assertEcho(client, "after");
                assertTrue(failures.isEmpty(), "JeroMQ's threads reported no failure: " + failures);
                assertTrue(workerLog.has("dropped a message from " + hostileEndpoint + ": not a brubeck-service message"),
                        workerLog.messages().toString());
            }
        }
        fixtures.close();
        assertTimeoutPreemptively(Duration.ofSeconds(10), workerContext::close, "the worker's ZeroMQ context closes");
    }

    /** Reads a peer's greeting and commands, up to the size of its first message frame. */
    private static void skipToFirstMessage(InputStream in) throws IOException {
        in.readNBytes(64);
        while (true) {
            int flags = in.read();
            if (flags < 0) {
                throw new IOException("the peer closed the connection");
            }
            long size = (flags & 0x02) != 0 ? ByteBuffer.wrap(in.readNBytes(8)).getLong() : in.read();
            if ((flags & 0x04) == 0) {
                return;
            }
            in.skipNBytes(size);
        }
    }

    /** A context of the test's own, whose threads' failures it collects. */
    private ZContext context(String name) {
        ZContext context = new ZContext(1);
        context.setUncaughtExceptionHandler((thread, error) -> failures.add(name + ": " + error));
        context.setNotificationExceptionHandler((thread, error) -> failures.add(name + ": " + error));
        context.setThreadFactor((task, threadName) -> {
            Thread thread = new Thread(task, name + "-" + threadName);
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler(context.getUncaughtExceptionHandler());
            return thread;
        });
        contexts.add(context);
        return context;
    }

    private static void assertEcho(ServiceClientEndpoint client, String id) {
        ServiceResult result = client.request("/echo").body(id.getBytes(UTF_8)).timeout(Duration.ofSeconds(5)).send();
        assertEquals(200, result.response().statusCode());
        assertArrayEquals(id.getBytes(UTF_8), result.response().body());
    }

    private static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    private static long directMemoryUsed() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }
}
