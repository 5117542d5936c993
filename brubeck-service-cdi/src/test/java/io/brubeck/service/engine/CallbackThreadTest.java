package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.KeptLog;
import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ResponseHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.api.ServiceUnavailableException;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Where a client runs its callers' code (response routes, dependent stages) and how their stages complete. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CallbackThreadTest {
    private final Fixtures fixtures = new Fixtures();

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    /**
     * A user's bounded executor that refuses a callback because it is saturated does not push it onto
     * the socket thread: it runs on the client's own pool.
     */
    @Test
    void theStatusFromTheSocketThreadNeedsNoCallbackThread() throws Exception {
        Executor neverRuns = task -> { }; // as a pool whose every thread the application keeps busy
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("busy-callbacks").callbackExecutor(neverRuns).build());

        CompletableFuture<ClientStatus> throughCallbacks = client.status().toCompletableFuture();
        ClientStatus status = client.statusFromSocketThread().get(10, TimeUnit.SECONDS);

        assertEquals("busy-callbacks", status.serviceName());
        assertEquals(client.endpoint(), status.endpoint());
        assertFalse(throughCallbacks.isDone(), "status() is completed on the callback executor, which runs nothing");
    }

    /**
     * Dependent stages that each wait for the client's status hold every thread of its pool, so the status cannot
     * reach them there: noticed as stages waiting for another call's answer are, the pool adds threads.
     */
    @Test
    void dependentStagesThatWaitForTheStatusOnEveryCallbackThreadGetIt() throws Exception {
        ServiceClientEndpoint client = fixtures.client("status-in-callbacks");
        // Answered only once every stage is chained, so that none runs on this thread.
        CountDownLatch everyStageChained = new CountDownLatch(1);
        fixtures.worker(client, Fixtures.routes("^/work$", request -> {
            awaitQuietly(everyStageChained);
            return ServiceReply.ok();
        }));
        Fixtures.awaitWorkers(client, 1);
        int threads = callbackThreads(client);
        CountDownLatch everyThreadHeld = new CountDownLatch(threads);
        List<CompletableFuture<Integer>> stages = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            stages.add(client.request("/work").sendAsync().thenApply(result -> {
                everyThreadHeld.countDown();
                awaitQuietly(everyThreadHeld);
                return client.status().toCompletableFuture().join().workers().size();
            }).toCompletableFuture());
        }
        everyStageChained.countDown();
        for (CompletableFuture<Integer> stage : stages) {
            assertEquals(1, stage.get(20, TimeUnit.SECONDS));
        }
    }

    /** Unlike an answer, a status snapshot waiting for its callback takes no place under maxQueued. */
    @Test
    void aStatusSnapshotWaitingForItsCallbackTakesNoPlaceUnderMaxQueued() throws Exception {
        Executor neverRuns = task -> { };
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("snapshot-not-queued").maxQueued(0)
                .callbackExecutor(neverRuns).build());
        fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/work$", request -> ServiceReply.ok()))
                .concurrency(1).build()); // one slot, which the call needs
        Fixtures.awaitCondition(Duration.ofSeconds(10), "the worker to join",
                () -> workersFromSocketThread(client) == 1);

        CompletableFuture<ClientStatus> neverCompleted = client.status().toCompletableFuture();
        client.statusFromSocketThread().get(10, TimeUnit.SECONDS); // taken after the first: that one is handed over
        CompletableFuture<ServiceResult> call = client.request("/work").sendAsync().toCompletableFuture();

        assertFalse(call.isDone(), "the call was refused: " + call);
        assertFalse(neverCompleted.isDone());
    }

    /**
     * Dependent stages that each wait for another call of the same client hold every callback thread as soon as the
     * client has started: more threads come within about a second, not a heartbeat interval later.
     */
    @Test
    void stagesBlockedRightAfterTheClientStartsGetMoreThreadsBeforeItsFirstHeartbeat() throws Exception {
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("blocked-at-start")
                .heartbeatInterval(Duration.ofSeconds(60)).build());
        CountDownLatch everyStageChained = new CountDownLatch(1);
        fixtures.worker(client, Fixtures.routes("^/work$", request -> {
            awaitQuietly(everyStageChained);
            return ServiceReply.ok("done");
        }));
        Fixtures.awaitWorkers(client, 1);
        List<CompletableFuture<String>> stages = new ArrayList<>();
        for (int i = 0; i < callbackThreads(client); i++) {
            stages.add(client.request("/work").sendAsync().thenApply(result ->
                    client.request("/work").sendAsync().toCompletableFuture().join().response().statusMessage())
                    .toCompletableFuture());
        }
        everyStageChained.countDown();
        for (CompletableFuture<String> stage : stages) {
            assertEquals("done", stage.get(20, TimeUnit.SECONDS));
        }
    }

    private static int workersFromSocketThread(ServiceClientEndpoint client) {
        try {
            return client.statusFromSocketThread().get(10, TimeUnit.SECONDS).workers().size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int callbackThreads(ServiceClientEndpoint client) throws ReflectiveOperationException {
        Field callbacks = ServiceClientEndpoint.class.getDeclaredField("callbacks");
        callbacks.setAccessible(true);
        return ((CallbackExecutor) callbacks.get(client)).threadLimit();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertTrue(latch.await(20, TimeUnit.SECONDS), "the latch was opened");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void responseRoutesAndDependentStagesNeverRunOnTheSocketThreadEvenWhenTheUserExecutorIsSaturated()
            throws Exception {
        Executor saturated = task -> {
            throw new RejectedExecutionException("all callback threads busy and the queue is full");
        };
        AtomicReference<String> routeThread = new AtomicReference<>();
        ClientConfig config = fixtures.clientConfig("saturated").callbackExecutor(saturated)
                .responseRoutes(RouteTable.<ResponseHandler>builder().route("^/work$", Method.RESPONSE, response -> {
                    routeThread.set(Thread.currentThread().getName());
                    return "routed";
                }).build()).build();
        ServiceClientEndpoint client = fixtures.client(config);
        CountDownLatch stageChained = new CountDownLatch(1);
        fixtures.worker(client, answeringOnce(stageChained));
        Fixtures.awaitWorkers(client, 1);

        CompletableFuture<String> stageThread = client.request("/work").sendAsync()
                .thenApply(result -> Thread.currentThread().getName()).toCompletableFuture();
        stageChained.countDown();

        assertFalse(stageThread.get(10, TimeUnit.SECONDS).startsWith("brubeck-client-"),
                "a dependent stage ran on the socket thread " + stageThread.get());
        assertTrue(stageThread.get().startsWith("brubeck-callback-saturated"), stageThread.get());
        assertFalse(routeThread.get().startsWith("brubeck-client-"),
                "the response route ran on the socket thread " + routeThread.get());
    }

    /**
     * An executor that runs a callback in place, on the thread that hands it over (as a caller-runs policy
     * does when its pool is saturated), does not run it on the socket thread either: it runs on the
     * client's own pool, so a stage that blocks, here on a second call of the same client, cannot stop
     * the socket thread that must answer that call.
     */
    @Test
    void anExecutorThatRunsCallbacksInPlaceDoesNotRunThemOnTheSocketThread() throws Exception {
        Executor inPlace = Runnable::run;
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("in-place").callbackExecutor(inPlace).build());
        CountDownLatch stageChained = new CountDownLatch(1);
        fixtures.worker(client, answeringOnce(stageChained));
        Fixtures.awaitWorkers(client, 1);

        CompletableFuture<String> chained = client.request("/work").sendAsync()
                .thenApply(first -> Thread.currentThread().getName() + " then "
                        + client.request("/work").timeout(Duration.ofSeconds(5)).send().response().statusMessage())
                .toCompletableFuture();
        stageChained.countDown();

        assertTrue(chained.get(10, TimeUnit.SECONDS).startsWith("brubeck-callback-in-place"), chained.get());
        assertTrue(chained.get().endsWith(" then done"), chained.get());
    }

    /**
     * The user's executor is never called on the socket thread: one whose execute() blocks while it is
     * saturated (a caller-blocks policy) holds up the client's own callback thread that hands it a
     * callback, not the socket thread, which keeps answering status requests and exchanging heartbeats.
     */
    @Test
    void aUserExecutorWhoseExecuteBlocksDoesNotHoldUpTheSocketThread() throws Exception {
        AtomicBoolean saturated = new AtomicBoolean();
        CountDownLatch blocking = new CountDownLatch(1);
        CountDownLatch roomAgain = new CountDownLatch(1);
        Executor callerBlocks = task -> {
            if (saturated.get()) {
                blocking.countDown();
                try {
                    roomAgain.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            new Thread(task, "user-callback").start();
        };
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("caller-blocks").callbackExecutor(callerBlocks)
                .build());
        fixtures.worker(client, Fixtures.routes("^/work$", request -> ServiceReply.ok("done")));
        Fixtures.awaitWorkers(client, 1);
        saturated.set(true);

        CompletableFuture<String> stageThread = client.request("/work").sendAsync()
                .thenApply(result -> Thread.currentThread().getName()).toCompletableFuture();
        try {
            assertTrue(blocking.await(10, TimeUnit.SECONDS), "the answer's callback was handed to the executor");
            ClientStatus status = client.statusFromSocketThread().get(5, TimeUnit.SECONDS);
            assertEquals(1, status.workers().size(), "the worker is still connected");
        } finally {
            roomAgain.countDown();
        }
        assertEquals("user-callback", stageThread.get(10, TimeUnit.SECONDS));
    }

    /** An executor that fails to take a callback in another way (it is broken) is handled the same way. */
    @Test
    void aBrokenUserExecutorDoesNotKeepACallerFromItsAnswer() throws Exception {
        Executor broken = task -> {
            throw new IllegalStateException("no thread can be made");
        };
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("broken").callbackExecutor(broken).build());
        CountDownLatch stageChained = new CountDownLatch(1);
        fixtures.worker(client, answeringOnce(stageChained));
        Fixtures.awaitWorkers(client, 1);

        CompletableFuture<String> thread = client.request("/work").sendAsync()
                .thenApply(result -> result.response().statusMessage() + " on " + Thread.currentThread().getName())
                .toCompletableFuture();
        stageChained.countDown();

        assertTrue(thread.get(10, TimeUnit.SECONDS).startsWith("done on brubeck-callback-broken"), thread.get());
    }

    /**
     * A route that answers "done" once the test has chained its stage: a stage chained to a call that
     * has already completed runs on the thread that chains it, which would say nothing of the client.
     */
    private static RouteTable<RequestHandler> answeringOnce(CountDownLatch stageChained) {
        return Fixtures.routes("^/work$", request -> {
            if (!stageChained.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never chained its stage");
            }
            return ServiceReply.ok("done");
        });
    }

    /**
     * When the socket thread dies of an Error (here from a logging handler, the one piece of code not
     * the library's that it runs: it logs a nowait call's failure), the client stops taking calls: a
     * later call fails at once as closed instead of waiting for a thread that is gone.
     */
    @Test
    void callsFailAtOnceAfterTheSocketThreadDied() throws Exception {
        try (SocketThreadTrap trap = SocketThreadTrap.killingClient("dies")) {
            ServiceClientEndpoint client = fixtures.client("dies");
            Thread socketThread = trap.socketThread();
            assertTrue(client.isRunning(), "the client runs");

            client.request("/work").timeout(Duration.ofMillis(50)).sendNoWait(); // no worker: it times out
            socketThread.join(5_000);
            assertFalse(socketThread.isAlive(), "the socket thread died");

            CompletableFuture<?> call = client.request("/work").sendAsync().toCompletableFuture();
            ExecutionException failure = assertThrows(ExecutionException.class, () -> call.get(5, TimeUnit.SECONDS));
            assertTrue(failure.getCause() instanceof ServiceUnavailableException, String.valueOf(failure.getCause()));
            assertEquals("The client of service 'dies' stopped after a failure (see its log)",
                    failure.getCause().getMessage());
            assertThrows(ServiceUnavailableException.class, () -> client.request("/work").send());
            assertThrows(ExecutionException.class, () -> client.status().toCompletableFuture().get(5, TimeUnit.SECONDS));
            assertFalse(client.isRunning(), "a client whose socket thread died does not run");
        }
    }

    /**
     * What a caller chains to status() (a health page, a metrics push) runs on the callback executor,
     * like sendAsync's stages, not on the socket thread.
     */
    @Test
    void stagesChainedToStatusDoNotRunOnTheSocketThread() throws Exception {
        ServiceClientEndpoint client = fixtures.client("status");
        Set<String> threads = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 50; i++) {
            client.status().thenAccept(status -> threads.add(Thread.currentThread().getName()))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        assertFalse(threads.stream().anyMatch(name -> name.startsWith("brubeck-client-")),
                "stages chained to status() ran on " + threads);
    }

    /**
     * A callback may close its own client: close() then neither waits for the callback pool to end,
     * which it cannot while that callback runs, nor leaves the callback's thread interrupted.
     */
    @Test
    void aCallbackThatClosesItsClientIsNotLeftInterrupted() throws Exception {
        ServiceClientEndpoint client = fixtures.client("closed-by-a-callback");
        CountDownLatch stageChained = new CountDownLatch(1);
        fixtures.worker(client, answeringOnce(stageChained));
        Fixtures.awaitWorkers(client, 1);

        CompletableFuture<String> closedBy = client.request("/work").sendAsync().thenApply(result -> {
            client.close();
            return Thread.currentThread().getName() + (Thread.currentThread().isInterrupted() ? " interrupted" : "");
        }).toCompletableFuture();
        stageChained.countDown();

        assertEquals("brubeck-callback-closed-by-a-callback-", closedBy.get(10, TimeUnit.SECONDS).replaceAll("\\d+$", ""));
        assertFalse(client.isRunning(), "the client is closed");
    }

    /**
     * Dependent stages that wait for another call of the same client, more of them than the client has
     * callback threads, do not stall it for good: the client adds callback threads and says why, the
     * waited-for answers reach their stages, and so do later callers' answers.
     */
    @Test
    void stagesThatWaitForAnotherCallOfTheSameClientDoNotStallIt() throws Exception {
        KeptLog warnings = fixtures.track(KeptLog.of(CallbackExecutor.class, Level.WARNING));
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig("nested").timeout(Duration.ofSeconds(3)).build());
        fixtures.worker(fixtures.workerConfig(client, Fixtures.routes("^/", request -> ServiceReply.ok(request.path())))
                .concurrency(4).build());
        Fixtures.awaitWorkers(client, 1);
        int outer = 4 * Math.max(2, Runtime.getRuntime().availableProcessors());

        List<CompletableFuture<String>> stages = new ArrayList<>();
        for (int i = 0; i < outer; i++) {
            stages.add(client.request("/outer").sendAsync().thenApply(result -> result.response().statusMessage()
                    + " then " + client.request("/inner").sendAsync().toCompletableFuture().join().response().statusMessage())
                    .toCompletableFuture());
        }

        for (CompletableFuture<String> stage : stages) {
            assertEquals("/outer then /inner", stage.get(10, TimeUnit.SECONDS));
        }
        assertEquals("/later", client.request("/later").sendAsync().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .response().statusMessage());
        assertTrue(warnings.has("A callback that waits for another call of the same client (sendAsync().join())"),
                warnings.messages().toString());
    }

    /**
     * Each outcome is its own callback task: a caller whose dependent stage blocks (here ignoring
     * interrupts, as blocking socket I/O does) holds up no other caller's stage, also when close()
     * settles every waiting call at once.
     */
    @Test
    void oneCallersBlockingStageDoesNotHoldBackAnotherCallersOutcome() throws Exception {
        ServiceClientEndpoint client = ServiceClientEndpoint.start(fixtures.clientConfig("batched").build());
        CountDownLatch entered = new CountDownLatch(1);
        AtomicBoolean released = new AtomicBoolean();
        CompletableFuture<?> first = client.request("/work").sendAsync().toCompletableFuture();
        first.whenComplete((result, error) -> {
            entered.countDown();
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!released.get() && System.nanoTime() < giveUp) { // blocking code that does not answer interrupts
                LockSupport.parkNanos(1_000_000);
            }
        });
        CompletableFuture<?> second = client.request("/work").sendAsync().toCompletableFuture();
        try {
            client.close();
            assertTrue(entered.await(5, TimeUnit.SECONDS), "the first caller's stage ran");
            // Still while the first caller's stage blocks.
            assertThrows(ExecutionException.class, () -> second.get(5, TimeUnit.SECONDS),
                    "the second caller's stage is not completed: its outcome waits behind the first caller's blocking stage");
        } finally {
            released.set(true);
        }
    }
}
