package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ResponseHandler;
import io.brubeck.service.api.ServiceInterruptedException;
import io.brubeck.service.api.ServiceRejectedException;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResult;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A caller that stops waiting lets its call go. One interrupted while {@code send()} waits gets a
 * {@link ServiceInterruptedException} at once and keeps its interrupt; one that cancels the stage of
 * {@code sendAsync()}, or completes it itself, lets go the same way. A call not sent yet is withdrawn and never runs; one already sent
 * may still run, which the exception says, and its late answer only gives the worker's slot back, without
 * running the response route.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StoppedWaitingTest {
    private static final String SERVICE = "stopped-waiting";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Fixtures fixtures = new Fixtures();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch slowStarted = new CountDownLatch(1);
    private final AtomicInteger slowRuns = new AtomicInteger();
    private final AtomicInteger victimRuns = new AtomicInteger();
    private final AtomicInteger responseRouteRuns = new AtomicInteger();
    private ServiceClientEndpoint client;

    @AfterEach
    void closeAll() throws Exception {
        release.countDown();
        fixtures.close();
    }

    /** A client with one worker of one slot: /slow holds it until the test releases it. */
    private void start() {
        start(fixtures.clientConfig(SERVICE));
    }

    /** The same with a client configured by the test; its response route for /slow counts its runs. */
    private void start(ClientConfig.Builder clientConfig) {
        RouteTable<ResponseHandler> responseRoutes = RouteTable.<ResponseHandler>builder()
                .route("^/slow$", Method.RESPONSE, response -> responseRouteRuns.incrementAndGet()).build();
        client = fixtures.client(clientConfig.timeout(WAIT).responseRoutes(responseRoutes).build());
        RouteTable<RequestHandler> routes = RouteTable.<RequestHandler>builder()
                .route("^/slow$", Method.REQUEST, request -> {
                    slowStarted.countDown();
                    assertTrue(release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "released");
                    slowRuns.incrementAndGet();
                    return ServiceReply.ok("slow");
                })
                .route("^/victim$", Method.REQUEST, request -> {
                    victimRuns.incrementAndGet();
                    return ServiceReply.ok("victim");
                })
                .route("^/after$", Method.REQUEST, request -> ServiceReply.ok("after"))
                .build();
        fixtures.worker(fixtures.workerConfig(client, routes).concurrency(1).build());
        Fixtures.awaitWorkers(client, 1);
    }

    @Test
    void aCallInterruptedWhileQueuedIsWithdrawnAndNeverRuns() throws Exception {
        start();
        CompletableFuture<ServiceResult> slow = client.request("/slow").sendAsync().toCompletableFuture();
        assertTrue(slowStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the slow call took the only slot");

        Caller caller = new Caller("/victim");
        Fixtures.awaitCondition(WAIT, "the call to wait for a free worker",
                () -> client.status().toCompletableFuture().join().queued() == 1);
        ServiceInterruptedException error = caller.interruptAndAwaitFailure();
        assertFalse(error.mayHaveRun(), "a call withdrawn before it was sent");

        // Queued behind the withdrawn call: had that one still been sent, it would have run before this.
        CompletableFuture<ServiceResult> after = client.request("/after").sendAsync().toCompletableFuture();
        release.countDown();
        assertEquals("slow", slow.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).response().statusMessage());
        assertEquals("after", after.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).response().statusMessage());
        assertEquals(0, victimRuns.get(), "the call ran after its caller was told it failed");
        assertTrue(error.getMessage().contains("/victim") && error.getMessage().contains("not sent"),
                error.getMessage());
        assertEveryCallCounted(3);
    }

    @Test
    void aCallInterruptedInFlightMayStillRunAndItsLateAnswerReturnsTheSlot() throws Exception {
        start();
        Caller caller = new Caller("/slow");
        assertTrue(slowStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the worker started the call");

        ServiceInterruptedException error = caller.interruptAndAwaitFailure();
        assertTrue(error.mayHaveRun(), "a call the worker has");
        assertTrue(error.getMessage().contains("/slow") && error.getMessage().contains("may still run"),
                error.getMessage());
        releaseTheSlowCallAndAwaitItsSlot();
        assertEveryCallCounted(2);
    }

    /** The ways a caller of {@code sendAsync()} can stop waiting: each lets go of the call. */
    private enum GivingUp {
        CANCEL {
            @Override
            void giveUp(CompletableFuture<ServiceResult> stage) {
                assertTrue(stage.cancel(true));
                assertThrows(CancellationException.class, stage::join);
            }
        },
        OR_TIMEOUT {
            @Override
            void giveUp(CompletableFuture<ServiceResult> stage) {
                CompletionException failure = assertThrows(CompletionException.class,
                        stage.orTimeout(1, TimeUnit.MILLISECONDS)::join);
                assertInstanceOf(TimeoutException.class, failure.getCause());
            }
        },
        COMPLETE {
            @Override
            void giveUp(CompletableFuture<ServiceResult> stage) {
                assertTrue(stage.complete(null));
            }
        };

        abstract void giveUp(CompletableFuture<ServiceResult> stage);
    }

    @ParameterizedTest
    @EnumSource(GivingUp.class)
    void aQueuedCallGivenUpLeavesTheQueueAndNeverRuns(GivingUp givingUp) throws Exception {
        start(fixtures.clientConfig(SERVICE).maxQueued(1));
        CompletableFuture<ServiceResult> slow = client.request("/slow").sendAsync().toCompletableFuture();
        assertTrue(slowStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the slow call took the only slot");
        CompletableFuture<ServiceResult> victim = client.request("/victim").sendAsync().toCompletableFuture();
        Fixtures.awaitCondition(WAIT, "the call to wait for a free worker",
                () -> client.status().toCompletableFuture().join().queued() == 1);
        CompletableFuture<ServiceResult> refused = client.request("/after").sendAsync().toCompletableFuture();
        ExecutionException full = assertThrows(ExecutionException.class, refused::get, "maxQueued(1) is taken");
        assertEquals(ServiceRejectedException.Reason.QUEUE_FULL,
                assertInstanceOf(ServiceRejectedException.class, full.getCause()).reason());

        givingUp.giveUp(victim);

        // Well within the call's deadline, so that it is giving up that takes the call out, not its timeout.
        Fixtures.awaitCondition(WAIT.dividedBy(2), "the call given up to leave the queue",
                () -> client.statistics().queued() == 0);
        // Queued where the cancelled call was: had that one still been sent, it would have run before this.
        CompletableFuture<ServiceResult> after = client.request("/after").sendAsync().toCompletableFuture();
        assertFalse(after.isCompletedExceptionally(), "the call given up still holds its place under maxQueued");
        release.countDown();
        assertEquals("slow", slow.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).response().statusMessage());
        assertEquals("after", after.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).response().statusMessage());
        assertEquals(0, victimRuns.get(), "the call given up reached a worker");
    }

    @ParameterizedTest
    @EnumSource(GivingUp.class)
    void aCallGivenUpInFlightIsAbandonedAndItsLateAnswerDropped(GivingUp givingUp) throws Exception {
        start();
        CompletableFuture<ServiceResult> slow = client.request("/slow").sendAsync().toCompletableFuture();
        assertTrue(slowStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the worker started the call");

        givingUp.giveUp(slow);
        // Well within the call's deadline, so that it is giving up that lets the call go, not its timeout.
        Fixtures.awaitCondition(WAIT.dividedBy(2), "the client to give the call up",
                () -> client.statistics().failed() == 1);
        releaseTheSlowCallAndAwaitItsSlot();
        assertEquals(0, responseRouteRuns.get(), "the response route ran for a call given up");
        assertEquals(1, client.statistics().answered(), "only /after is counted as answered, not the late answer of the abandoned call");
        assertEquals(2, client.statistics().calls());
    }

    /** The worker still has /slow: lets it finish, and waits until its late answer gives the slot back. */
    private void releaseTheSlowCallAndAwaitItsSlot() {
        assertEquals(1, client.status().toCompletableFuture().join().inFlight(), "the worker still has the call");

        release.countDown();
        Fixtures.awaitCondition(WAIT, "the late answer to return the slot",
                () -> client.status().toCompletableFuture().join().inFlight() == 0);
        assertEquals(1, slowRuns.get());
        assertEquals("after", client.request("/after").send().response().statusMessage());
    }

    /** Each call taken ends in exactly one outcome: the interrupted one too. */
    private void assertEveryCallCounted(long calls) {
        Fixtures.awaitCondition(WAIT, "every call to be counted", () -> {
            var statistics = client.statistics();
            return statistics.calls() == calls && statistics.answered() + statistics.failed() == calls;
        });
        assertEquals(calls - 1, client.statistics().answered());
    }

    /** A thread blocked in {@code send()}. */
    private final class Caller {
        private final CompletableFuture<Throwable> failure = new CompletableFuture<>();
        private volatile boolean interruptKept;
        private final Thread thread;

        Caller(String path) {
            thread = new Thread(() -> {
                try {
                    client.request(path).send();
                    failure.complete(null);
                } catch (Throwable e) {
                    interruptKept = Thread.currentThread().isInterrupted();
                    failure.complete(e);
                }
            }, "caller of " + path);
            thread.setDaemon(true);
            thread.start();
        }

        ServiceInterruptedException interruptAndAwaitFailure() throws Exception {
            thread.interrupt();
            Throwable error = failure.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertInstanceOf(ServiceInterruptedException.class, error, "send() ended with " + error);
            assertTrue(interruptKept, "send() cleared the caller's interrupt");
            assertInstanceOf(InterruptedException.class, error.getCause());
            return (ServiceInterruptedException) error;
        }
    }
}
