package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.api.ServiceUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/**
 * A worker whose socket thread stood still for longer than its client waits for its heartbeats (as when the
 * process is frozen, paused or starved) has been dropped by that client, which failed its calls: requests that
 * reached it meanwhile, or waited in its pool, are not run once it goes on, since their callers have been told the
 * worker was gone (docs/PROTOCOL.md, section 7.2). The worker joins again and serves new calls.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StandingStillWorkerTest {
    private static final String SERVICE = "standing-still";

    private static final Duration HEARTBEAT = Duration.ofMillis(200);
    private static final int LIVENESS = 3;

    private final Fixtures fixtures = new Fixtures(HEARTBEAT, LIVENESS);
    private final AtomicInteger runs = new AtomicInteger();
    private final CountDownLatch releaseFirst = new CountDownLatch(1);

    @AfterEach
    void closeAll() {
        releaseFirst.countDown();
        fixtures.close();
    }

    @Test
    void requestsThatCameWhileTheSocketThreadStoodStillAreNotRun() throws Exception {
        ServiceClientEndpoint client = fixtures.client(SERVICE);
        try (StillWorker still = new StillWorker(client, 1)) {
            CompletableFuture<ServiceResult> call = client.request("/once").sendAsync().toCompletableFuture();
            assertDroppedAsUnavailable(call);

            still.goOn();
            Fixtures.awaitWorkers(client, 1);
            assertEquals(200, client.request("/once").send().response().statusCode());
            assertEquals(1, runs.get(), "only the call made after the worker went on ran");
        }
    }

    @Test
    void requestsWaitingInThePoolAreNotStartedOnceTheSocketThreadStoodStill() throws Exception {
        ServiceClientEndpoint client = fixtures.client(SERVICE);
        try (StillWorker still = new StillWorker(client, 2)) {
            CompletableFuture<ServiceResult> first = client.request("/first").sendAsync().toCompletableFuture();
            CompletableFuture<ServiceResult> waiting = still.sendWaitingBehind(first);

            still.standStill();
            assertDroppedAsUnavailable(first);
            assertDroppedAsUnavailable(waiting);
            still.awaitStoodLongerThanItsClientWaits();
            HandlerPool pool = Fixtures.handlerPool(still.worker);
            releaseFirst.countDown(); // the handler thread now goes on while the socket thread still stands still
            Fixtures.awaitCondition(Duration.ofSeconds(10), "the handler thread to take the waiting request",
                    () -> pool.queued() == 0);
            still.goOn();
            Fixtures.awaitWorkers(client, 1);
            assertEquals(200, client.request("/once").send().response().statusCode());
            assertEquals(1, runs.get(), "the request that waited in the pool was not started");
        }
    }

    @Test
    void aRequestWaitingInThePoolIsNotStartedWhileTheLoopReplacesItsConnections() throws Exception {
        ServiceClientEndpoint client = fixtures.client(SERVICE);
        try (StillWorker still = new StillWorker(client, 2)) {
            CompletableFuture<ServiceResult> first = client.request("/first").sendAsync().toCompletableFuture();
            still.sendWaitingBehind(first);
            still.standStill();
            still.awaitStoodLongerThanItsClientWaits();
            try (SocketThreadTrap replacing = SocketThreadTrap.hangingWorker(SERVICE)) {
                still.goOn(); // the loop goes on to replace its connections, and logs why: the second trap holds it there
                replacing.awaitSprung(Duration.ofSeconds(10));
                HandlerPool pool = Fixtures.handlerPool(still.worker);
                releaseFirst.countDown();
                Fixtures.awaitCondition(Duration.ofSeconds(10), "the handler thread to be done with both requests",
                        () -> pool.queued() == 0 && handlerThreadIsIdle());
                assertEquals(0, runs.get(), "the waiting request was not started while the connections were replaced");
            }
        }
    }

    @Test
    void aReplyMadeWhileTheSocketThreadStoodStillNeverReachesAClientThatStillHoldsTheWorker() throws Exception {
        // A client far more patient than the worker: it still holds the worker when the worker goes on.
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig(SERVICE).liveness(100).build());
        try (StillWorker still = new StillWorker(client, 2)) {
            CompletableFuture<ServiceResult> first = client.request("/first").sendAsync().toCompletableFuture();
            CompletableFuture<ServiceResult> waiting = still.sendWaitingBehind(first);

            still.standStillAfterReading();
            still.awaitStoodLongerThanItsClientWaits();
            HandlerPool pool = Fixtures.handlerPool(still.worker);
            releaseFirst.countDown(); // the first's reply, and the waiting one's 503, are made while the loop stands still
            Fixtures.awaitCondition(Duration.ofSeconds(10), "the handler thread to be done with both requests",
                    () -> pool.queued() == 0 && handlerThreadIsIdle());
            still.goOn();

            assertDroppedAsUnavailable(waiting); // not answered 503, though the client still held the connection
            assertDroppedAsUnavailable(first);
            assertEquals(0, runs.get());
        }
    }

    /** Whether the worker has a handler thread, and each waits for work. */
    private static boolean handlerThreadIsIdle() {
        List<Thread> handlers = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("brubeck-handler-" + SERVICE)).toList();
        return !handlers.isEmpty() && handlers.stream().allMatch(thread -> thread.getState() == Thread.State.WAITING
                || thread.getState() == Thread.State.TIMED_WAITING);
    }

    private void assertDroppedAsUnavailable(CompletableFuture<ServiceResult> call) {
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> call.get(10, TimeUnit.SECONDS), "the call failed as unavailable, its worker lost");
        assertInstanceOf(ServiceUnavailableException.class, failure.getCause());
    }

    private RouteTable<RequestHandler> routes() {
        return RouteTable.<RequestHandler>builder()
                .route("^/once$", Method.REQUEST, request -> {
                    runs.incrementAndGet();
                    return ServiceReply.ok();
                })
                .route("^/first$", Method.REQUEST, request -> {
                    releaseFirst.await();
                    return ServiceReply.ok();
                })
                .build();
    }

    /**
     * A worker of one handler thread that also connects to a bare ROUTER, through which the test makes its socket
     * thread log, and so stand still in a {@link SocketThreadTrap}. The bare ROUTER comes first, so that the loop
     * stands still before it reads from the client, as in a frozen process.
     */
    private final class StillWorker implements AutoCloseable {
        final ServiceWorker worker;
        private final ServiceClientEndpoint client;
        private final ZMQ.Socket router;
        private final byte[] workerId;
        private SocketThreadTrap trap;
        private long stillSince;

        StillWorker(ServiceClientEndpoint client, int slots) throws InterruptedException {
            this.client = client;
            ZContext context = fixtures.track(new ZContext(1));
            router = context.createSocket(SocketType.ROUTER);
            router.setReceiveTimeOut(10_000);
            String bare = "tcp://127.0.0.1:" + router.bindToRandomPort("tcp://127.0.0.1");
            worker = fixtures.worker(fixtures.workerConfig(client, routes()).endpoints(bare, client.endpoint())
                    .concurrency(1).prefetch(slots - 1).build());
            ZMsg ready = ZMsg.recvMsg(router);
            assertNotNull(ready, "the worker announced itself on the bare ROUTER too");
            workerId = ready.pop().getData();
            Fixtures.awaitWorkers(client, 1);
            if (slots == 1) {
                standStill();
            }
        }

        /**
         * Sends a call to {@code /once} once {@code first} has reached the worker, and waits until it has reached it
         * too: the first holds the only handler thread, the second waits in the pool.
         */
        CompletableFuture<ServiceResult> sendWaitingBehind(CompletableFuture<ServiceResult> first) {
            Fixtures.awaitCondition(Duration.ofSeconds(10), "the first request to reach the worker",
                    () -> worker.statistics().requests() == 1);
            CompletableFuture<ServiceResult> waiting = client.request("/once").sendAsync().toCompletableFuture();
            Fixtures.awaitCondition(Duration.ofSeconds(10), "both requests to reach the worker",
                    () -> worker.statistics().requests() == 2);
            return waiting;
        }

        /**
         * Makes the socket thread stand still: it logs the message it drops, and the trap holds it there. The worker
         * connects again to the bare ROUTER, which never answers, now and then, under another routing id: if the
         * message went to an old one, the line it logs then springs the trap.
         */
        void standStill() throws InterruptedException {
            trap = SocketThreadTrap.hangingWorker(SERVICE);
            router.sendMore(workerId);
            router.send("not a brubeck-service message");
            trap.awaitSprung(Duration.ofSeconds(10));
            stillSince = System.nanoTime();
        }

        /**
         * Makes the socket thread stand still where it has read what came, as it next logs that it connects again
         * to the bare ROUTER, which never answers: in its heartbeat pass, within a second or so.
         */
        void standStillAfterReading() throws InterruptedException {
            trap = SocketThreadTrap.hangingWorker(SERVICE);
            trap.awaitSprung(Duration.ofSeconds(10));
            stillSince = System.nanoTime();
        }

        /**
         * Waits until the socket thread has stood still for longer than its client surely waits for it: as many
         * heartbeat intervals as its liveness, and one more for a message that followed its last heartbeat.
         */
        void awaitStoodLongerThanItsClientWaits() {
            long patience = HEARTBEAT.multipliedBy(LIVENESS + 1).toNanos();
            Fixtures.awaitCondition(Duration.ofSeconds(10), "the worker to have stood still longer than its client waits",
                    () -> System.nanoTime() - stillSince > patience);
        }

        /** Lets the socket thread go on, once it has stood still for longer than its client waits for it. */
        void goOn() {
            awaitStoodLongerThanItsClientWaits();
            trap.close();
        }

        @Override
        public void close() {
            if (trap != null) {
                trap.close();
            }
        }
    }
}
