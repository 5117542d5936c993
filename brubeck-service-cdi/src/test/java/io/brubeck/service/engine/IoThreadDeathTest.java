package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.api.ServiceUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The I/O thread of a ZeroMQ context dies of an {@link Error} (here one its allocator throws for a frame of
 * another socket of the context): every connection of the context is gone. A client and a worker on that
 * context must say so at once rather than wait for messages that cannot come: the call in flight fails, new
 * calls fail, neither reports running, and each, and the context, closes at once, leaving no thread behind.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IoThreadDeathTest {
    private static final Duration AT_ONCE = Duration.ofSeconds(2);

    private final Fixtures fixtures = new Fixtures();
    private final CountDownLatch handlerStarted = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<AutoCloseable> open = new ArrayList<>();

    /** Closes what a failed test left open, each on a thread of its own that is given up after a while. */
    @AfterEach
    void closeAll() throws InterruptedException {
        release.countDown();
        for (AutoCloseable closeable : open) {
            Thread closer = new Thread(() -> {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // the test has failed already
                }
            }, "test-closer");
            closer.setDaemon(true);
            closer.start();
            closer.join(5_000);
        }
    }

    @Test
    void callsFailAtOnceNothingReportsRunningAndCloseLeavesNoThread() throws Exception {
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        ZContext context = ZeroMqContexts.create();
        open.add(context);
        RouteTable<RequestHandler> routes = RouteTable.<RequestHandler>builder()
                .route("^/ping$", Method.REQUEST, request -> ServiceReply.ok("pong"))
                .route("^/hang$", Method.REQUEST, request -> {
                    handlerStarted.countDown();
                    release.await();
                    return ServiceReply.ok("late");
                }).build();
        ServiceClientEndpoint client = ServiceClientEndpoint.start(
                fixtures.clientConfig("dying").timeout(Duration.ofSeconds(30)).build(), context);
        open.add(0, client);
        ServiceWorker worker = ServiceWorker.start(fixtures.workerConfig(client, routes).build(), context);
        open.add(1, worker);
        assertEquals(200, client.request("/ping").send().response().statusCode());
        CompletableFuture<ServiceResult> inFlight = client.request("/hang").sendAsync().toCompletableFuture();
        assertTrue(handlerStarted.await(20, TimeUnit.SECONDS), "the call is in flight");

        killIoThread(context);

        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> inFlight.get(AT_ONCE.toMillis(), TimeUnit.MILLISECONDS), "the call in flight fails at once");
        assertInstanceOf(ServiceUnavailableException.class, failed.getCause());
        assertTrue(failed.getCause().getMessage().contains("died of java.lang.OutOfMemoryError: injected"),
                failed.getCause().getMessage());
        Fixtures.awaitCondition(AT_ONCE, "the client and worker to stop", () -> !client.isRunning() && !worker.isRunning());
        ServiceUnavailableException refused = assertTimeoutPreemptively(AT_ONCE,
                () -> assertThrows(ServiceUnavailableException.class, () -> client.request("/ping").send()));
        assertTrue(refused.getMessage().contains("died"), refused.getMessage());

        release.countDown();
        assertTimeoutPreemptively(AT_ONCE, client::close, "the client closes at once");
        assertTimeoutPreemptively(AT_ONCE, worker::close, "the worker closes at once");
        assertTimeoutPreemptively(AT_ONCE, context::close, "the context closes at once");
        Fixtures.awaitCondition(AT_ONCE, "the library's threads to end", () -> libraryThreads(before).isEmpty());
        assertTrue(context.isClosed());
        assertFalse(client.isRunning());
    }

    /**
     * Has the context's I/O thread read a frame for a socket whose allocator throws an Error, and waits until the
     * thread has died of it. JeroMQ does not always let the Error out of the thread (when the frame comes with
     * the end of the handshake, it may close that connection instead), so a frame is sent on new connections
     * until one kills it.
     */
    private static void killIoThread(ZContext context) {
        ZMQ.Socket trap = context.createSocket(SocketType.PULL);
        trap.setMsgAllocator(size -> {
            throw new OutOfMemoryError("injected");
        });
        int port = trap.bindToRandomPort("tcp://127.0.0.1");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (WatchedContext.deathOf(context) == null) {
            assertTrue(System.nanoTime() - deadline < 0, "no frame killed the I/O thread");
            try (ZContext other = new ZContext(1); ZMQ.Socket push = other.createSocket(SocketType.PUSH)) {
                push.setLinger(2_000); // closing waits until the frame is sent, or the handshake failed
                push.connect("tcp://127.0.0.1:" + port);
                push.send("a frame");
            }
            long readBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(2); // the frame is read after it was sent
            while (WatchedContext.deathOf(context) == null && System.nanoTime() - readBy < 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }

    private static List<String> libraryThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && !before.contains(thread) && thread.getName().startsWith("brubeck-"))
                .map(Thread::getName).toList();
    }
}
