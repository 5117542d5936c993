package io.brubeck.service.engine;

import io.brubeck.service.api.ResponseHandler;
import io.brubeck.service.api.ResponseRouteException;
import io.brubeck.service.api.ServiceCall;
import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.api.ServiceException;
import io.brubeck.service.api.ServiceInterruptedException;
import io.brubeck.service.api.ServiceRejectedException;
import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.api.ServiceTimeoutException;
import io.brubeck.service.api.ServiceUnavailableException;
import io.brubeck.service.wire.MessageAuthenticator;
import io.brubeck.service.wire.MessageCodec;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.zeromq.ZContext;

/**
 * The calling end of a service: binds one ZeroMQ endpoint that the service's workers connect to, and
 * hands calls to them. Thread-safe; callers on any thread share one endpoint per service.
 *
 * <pre>{@code
 * try (ServiceClientEndpoint slow = ServiceClientEndpoint.start(ClientConfig.builder("slow")
 *         .endpoint("tcp://*:5555").passphrase(secret).build())) {
 *     ServiceResult result = slow.request("/service/slow").argument("RETURN_DATA", "hi").send();
 * }
 * }</pre>
 *
 * <p>{@link #close()} fails every call still waiting with {@link ServiceUnavailableException}, tells
 * the workers goodbye and stops the endpoint's threads within about two seconds; callbacks already due
 * then may still run on the client's callback threads, which end once they have run them. An owner whose
 * response routes must not run past a point (a CDI application, whose beans are destroyed as it stops)
 * ends them first: {@link #endResponseRoutes(String)}.
 */
public final class ServiceClientEndpoint implements ServiceClient, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ServiceClientEndpoint.class.getName());
    private static final long CLOSE_JOIN_MILLIS = 1500;
    private static final Duration AWAIT_GRACE = Duration.ofSeconds(5);

    private final ClientConfig config;
    private final Mailbox<Object> mailbox = new Mailbox<>();
    /** The status requests, one of each kind, posted and not yet taken by the socket thread (see requestStatus). */
    private final AtomicReference<ClientLoop.StatusRequest> statusForCallbacks = new AtomicReference<>();
    private final AtomicReference<ClientLoop.StatusRequest> statusOnSocketThread = new AtomicReference<>();
    private final AtomicInteger queuedCount = new AtomicInteger();
    private final AtomicInteger freeSlots = new AtomicInteger();
    /** Answers of calls that run callbacks (not of blocking ones) waiting for their callback to start. */
    private final AnswersDue answersDue = new AnswersDue();
    /**
     * Starts at a random value so that ids do not repeat across starts: an answer recorded during an
     * earlier start then matches no call of this one (PROTOCOL §8.3).
     */
    private final AtomicLong nextCallId = new AtomicLong(new SecureRandom().nextLong());
    private final SingleWriterCounts counts = new SingleWriterCounts(ClientLoop.COUNTS);
    /** Calls refused on the callers' threads, before the socket thread saw them; counted on that cold path only. */
    private final LongAdder rejectedAtOnce = new LongAdder();
    private final CallbackExecutor callbacks;
    private final RateLimitedLogger noWaitFailures = new RateLimitedLogger(LOG, 10_000);
    /** The response routes of nowait calls that failed: a route that fails on every answer must not flood the log. */
    private final RateLimitedLogger noWaitRouteFailures = new RateLimitedLogger(LOG, 10_000);
    private final ResponseRouteGate routeGate = new ResponseRouteGate();
    /** Set by the first nowait answer dropped because the routes were ended: the rest are dropped without a line. */
    private final AtomicBoolean noWaitDropLogged = new AtomicBoolean();
    private final ClientLoop loop;
    private final Thread loopThread;
    private final String boundEndpoint;
    private volatile boolean closed;

    private ServiceClientEndpoint(ClientConfig config, ZContext context, boolean ownsContext) {
        this.config = config;
        this.callbacks = CallbackExecutor.of(config.callbackExecutor(), config.serviceName());
        MessageCodec codec = new MessageCodec(new MessageAuthenticator(config.passphrase()));
        CompletableFuture<String> bound = new CompletableFuture<>();
        this.loop = new ClientLoop(config, context, ownsContext, codec, mailbox, queuedCount, freeSlots, answersDue, counts,
                callbacks, bound);
        this.loopThread = new Thread(loop, "brubeck-client-" + config.serviceName());
        loopThread.setDaemon(true);
        loopThread.start();
        this.boundEndpoint = bound.join();
    }

    /**
     * Binds the endpoint and starts its socket thread, with a ZeroMQ context of its own.
     *
     * @throws EndpointBindException when the endpoint cannot be bound
     */
    public static ServiceClientEndpoint start(ClientConfig config) {
        ZContext context = ZeroMqContexts.create();
        try {
            return new ServiceClientEndpoint(config, context, true);
        } catch (RuntimeException e) {
            context.close();
            throw unwrap(e);
        }
    }

    /**
     * Binds the endpoint and starts its socket thread in a shared ZeroMQ context, which the caller
     * closes after closing this endpoint. A context closed first stops the client, which logs one line saying so;
     * its calls fail with {@link io.brubeck.service.api.ServiceUnavailableException}.
     *
     * @throws EndpointBindException when the endpoint cannot be bound
     */
    public static ServiceClientEndpoint start(ClientConfig config, ZContext sharedContext) {
        try {
            return new ServiceClientEndpoint(config, Objects.requireNonNull(sharedContext, "sharedContext"), false);
        } catch (RuntimeException e) {
            throw unwrap(e);
        }
    }

    @Override
    public String serviceName() {
        return config.serviceName();
    }

    /** The configuration the endpoint was started with. */
    public ClientConfig config() {
        return config;
    }

    /** The address the endpoint is bound to, with the real port when a wildcard was asked for. */
    public String endpoint() {
        return boundEndpoint;
    }

    @Override
    public ServiceCall request(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("A service call needs a path");
        }
        return new OutgoingCall(this, path);
    }

    /**
     * A snapshot of the connected workers and the calls in progress. The stage completes on the callback
     * executor, like those of {@code sendAsync()}, or fails with {@link ServiceUnavailableException}
     * once the client is closed.
     */
    public CompletionStage<ClientStatus> status() {
        return requestStatus(statusForCallbacks, false);
    }

    /**
     * The snapshot of {@link #status()}, as a {@link Future} that the socket thread completes itself, not
     * the callback executor: nothing can be chained to a {@code Future}, so no user code runs there. For
     * health checks, which must get an answer even while the application's callbacks keep that executor
     * busy; wait on it with a timeout.
     */
    public Future<ClientStatus> statusFromSocketThread() {
        return requestStatus(statusOnSocketThread, true);
    }

    /**
     * Joins the request of that kind that the socket thread has not taken yet, or posts one: however often
     * callers ask, the socket thread makes one snapshot per turn for them all. Each caller gets a future of its
     * own, which it may cancel without affecting the others.
     */
    private CompletableFuture<ClientStatus> requestStatus(AtomicReference<ClientLoop.StatusRequest> posted,
                                                          boolean answerOnSocketThread) {
        if (isClosed()) {
            return CompletableFuture.failedFuture(closedError());
        }
        ClientLoop.StatusRequest request = posted.get();
        if (request == null) {
            ClientLoop.StatusRequest fresh = new ClientLoop.StatusRequest(new CompletableFuture<>(), answerOnSocketThread, posted);
            request = posted.compareAndExchange(null, fresh);
            if (request == null) {
                request = fresh;
                mailbox.post(fresh);
                if (loop.hasStopped()) {
                    fresh.reply().completeExceptionally(closedError()); // the loop may have stopped before it could take this
                }
            }
        }
        CompletableFuture<ClientStatus> own = new CompletableFuture<>();
        request.reply().whenComplete((status, error) -> {
            if (error == null) {
                own.complete(status);
            } else {
                own.completeExceptionally(error);
            }
        });
        return own;
    }

    /**
     * What the client has done since it started and its levels now, read at once without asking its socket
     * thread: cheap enough to call at every scrape of a metrics endpoint. Still readable once closed.
     */
    public ClientStatistics statistics() {
        // The outcomes first and the calls taken last: a call is counted as taken before its outcome, so
        // read in this order the figures never show more outcomes than calls.
        long answered2xx = counts.get(ClientLoop.ANSWERED_2XX);
        long answered4xx = counts.get(ClientLoop.ANSWERED_4XX);
        long answered5xx = counts.get(ClientLoop.ANSWERED_5XX);
        long answeredOther = counts.get(ClientLoop.ANSWERED_OTHER);
        long timedOut = counts.get(ClientLoop.TIMED_OUT);
        long unavailable = counts.get(ClientLoop.UNAVAILABLE);
        long rejectedEarly = rejectedAtOnce.sum();
        long rejected = counts.get(ClientLoop.REJECTED) + rejectedEarly;
        long retried = counts.get(ClientLoop.RETRIED);
        long sent = counts.get(ClientLoop.SENT);
        long calls = counts.get(ClientLoop.TAKEN) + rejectedEarly;
        return new ClientStatistics(config.serviceName(), (int) counts.get(ClientLoop.WORKERS),
                loop.hasStopped() ? 0 : Math.max(0, queuedCount.get()), (int) counts.get(ClientLoop.IN_FLIGHT),
                calls, sent, retried, answered2xx, answered4xx, answered5xx, answeredOther, timedOut, unavailable, rejected);
    }

    ServiceResult send(OutgoingCall call) {
        CompletableFuture<ServiceResponse> answer = new CompletableFuture<>();
        PendingCall pending = submit(call, new CallListener() {
            @Override
            public boolean safeOnSocketThread() {
                return true; // only wakes the waiting caller, who then runs the response route
            }

            @Override
            public void deliver(ServiceResponse response, ServiceException error) {
                if (error != null) {
                    answer.completeExceptionally(error);
                } else {
                    answer.complete(response);
                }
            }
        });
        ServiceResponse response = await(answer, call.timeout != null ? call.timeout : config.timeout(), pending);
        return new ServiceResult(response, call.handleResponse ? runResponseRoute(response) : null);
    }

    CompletionStage<ServiceResult> sendAsync(OutgoingCall call) {
        AsyncCallStage result = new AsyncCallStage();
        try {
            PendingCall pending = submit(call, new CallListener() {
                @Override
                public boolean safeOnSocketThread() {
                    // Completing the stage runs whatever the caller chained to it; once the caller cancelled or
                    // completed it, nothing.
                    return result.isDone();
                }

                @Override
                public void deliver(ServiceResponse response, ServiceException error) {
                    if (error != null) {
                        result.settle(null, error);
                        return;
                    }
                    if (result.isDone()) {
                        return; // answered before the socket thread saw the cancel: the caller wants nothing more
                    }
                    try {
                        Object routed = call.handleResponse ? runResponseRoute(response) : null;
                        result.settle(new ServiceResult(response, routed), null);
                    } catch (RuntimeException | Error e) {
                        // An Error from the response route too: left uncompleted, the caller's stage (say, an
                        // asynchronous web request) would wait forever, its deadline being settled already.
                        result.settle(null, e);
                    }
                }
            });
            result.call = pending;
            if (result.isDone()) { // answered already: nothing is left to let go of, and the call need not be kept
                result.call = null;
            }
        } catch (RuntimeException e) { // a rejection, or a closed client
            result.settle(null, e);
        }
        return result;
    }

    /**
     * The stage of {@code sendAsync()}: cancelling it, or completing it before the answer does ({@code complete},
     * {@code completeExceptionally}, and so {@code orTimeout} and {@code completeOnTimeout}), lets go of the call, as
     * an interrupt does in {@code send()}.
     */
    private final class AsyncCallStage extends CompletableFuture<ServiceResult> {
        /**
         * The call while it is not settled: set before the stage reaches its caller, who may hand it to another
         * thread to cancel, and cleared when the answer or failure settles the stage.
         */
        private volatile PendingCall call;

        /** Completes the stage with the call's outcome (or the client's refusal to send it); lets go of nothing. */
        void settle(ServiceResult value, Throwable failure) {
            call = null; // a stage the caller keeps need not keep the call too
            if (failure != null) {
                super.completeExceptionally(failure);
            } else {
                super.complete(value);
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            PendingCall unsettled = call;
            return letGoIf(super.cancel(mayInterruptIfRunning), unsettled);
        }

        @Override
        public boolean complete(ServiceResult value) {
            PendingCall unsettled = call;
            return letGoIf(super.complete(value), unsettled);
        }

        @Override
        public boolean completeExceptionally(Throwable failure) {
            PendingCall unsettled = call;
            return letGoIf(super.completeExceptionally(failure), unsettled);
        }

        /** Lets go of the call when the caller has just completed the stage while the call was not settled. */
        private boolean letGoIf(boolean completed, PendingCall unsettled) {
            if (completed && unsettled != null) {
                letGo(unsettled);
            }
            return completed;
        }
    }

    void sendNoWait(OutgoingCall call) {
        boolean routed = call.handleResponse && !config.responseRoutes().isEmpty();
        submit(call, new CallListener() {
            @Override
            public boolean safeOnSocketThread() {
                return !routed; // without a response route there is only a failure to log
            }

            @Override
            public void deliver(ServiceResponse response, ServiceException error) {
                if (error != null) {
                    noWaitFailures.log(Level.WARNING, "Nowait call to " + call.path + " on service '"
                            + config.serviceName() + "' got no answer: " + error.getMessage());
                } else if (routed) {
                    try {
                        runResponseRoute(response);
                    } catch (ServiceUnavailableException routesEnded) { // the one the route gate throws, a route's own being wrapped
                        if (noWaitDropLogged.compareAndSet(false, true)) {
                            LOG.log(Level.WARNING, routesEnded.getMessage() + "; the answers of nowait calls with a response "
                                    + "route are dropped from now on, without another line");
                        }
                    } catch (RuntimeException e) {
                        noWaitRouteFailures.log(Level.WARNING, e.getMessage(), e.getCause());
                    }
                }
            }
        });
    }

    private PendingCall submit(OutgoingCall call, CallListener listener) {
        if (isClosed()) {
            throw closedError();
        }
        byte[] method = MethodNames.bytes(call.method);
        byte[] path = call.path.getBytes(StandardCharsets.UTF_8);
        byte[] headers = JsonSupport.writeHeaders(call.headers);
        byte[] arguments = JsonSupport.writeObjectOfTexts(call.arguments);
        Duration timeout = call.timeout != null ? call.timeout : config.timeout();
        PendingCall pending = new PendingCall(nextCallId.incrementAndGet(), call.path, method, path, headers, arguments,
                call.body, System.currentTimeMillis(), System.nanoTime() + timeout.toNanos(), call.idempotent, listener);
        if (pending.encodedSize + ClientLoop.REQUEST_OVERHEAD > config.maxMessageSize()) {
            rejectedAtOnce.increment();
            throw new ServiceRejectedException(ServiceRejectedException.Reason.TOO_LARGE, "Call to " + call.path
                    + " on service '" + config.serviceName() + "' is " + pending.encodedSize + " bytes; the limit is "
                    + config.maxMessageSize() + " (maxMessageSize)");
        }
        // Calls beyond the free worker slots wait in the queue; past its bound they are refused here,
        // on the caller's thread, so an overloaded service costs no memory for calls it cannot take.
        // Answers waiting for their callbacks count too, but against calls that run callbacks only: a
        // blocking caller takes its answer itself. Read in this order (the queue, the free slots, the
        // answers), a call moving from one to the next as the socket thread handles it is counted once
        // at least: the socket thread takes the slot before the call leaves the queue, and counts the
        // answer before it publishes the slot free.
        boolean runsCallback = !listener.safeOnSocketThread();
        if (runsCallback && answersDue.bytes() > maxAnswerBytesDue()) {
            rejectedAtOnce.increment();
            throw new ServiceRejectedException(ServiceRejectedException.Reason.QUEUE_FULL, "Service '"
                    + config.serviceName() + "' has " + answersDue.bytes() + " bytes of answers waiting for their "
                    + "callbacks; the limit is " + maxAnswerBytesDue() + " (" + AnswersDue.MAX_MESSAGES_OF_BYTES
                    + " x maxMessageSize)");
        }
        if (queuedCount.incrementAndGet() > (long) config.maxQueued() + freeSlots.get()
                - (runsCallback ? answersDue.count() : 0)) {
            queuedCount.decrementAndGet();
            rejectedAtOnce.increment();
            throw queueFull();
        }
        mailbox.post(pending);
        if (loop.hasStopped()) {
            pending.failHere(closedError()); // the loop may have stopped before it could take this call
        }
        return pending;
    }

    /** Closed, or the socket thread stopped on its own (it failed): no call will be taken any more. */
    private boolean isClosed() {
        return closed || loop.hasStopped();
    }

    /**
     * Whether the endpoint takes calls: its socket thread runs and it was not closed. False once
     * {@link #close()} was called, and also when the socket thread stopped on its own after a failure
     * (see its log), after which every call fails with {@link ServiceUnavailableException}. For health
     * checks; it says nothing about connected workers, which {@link #status()} reports.
     */
    public boolean isRunning() {
        return !isClosed() && loopThread.isAlive();
    }

    /**
     * Whether the socket thread runs but is stuck: it has not come round its loop, which it does at least once per
     * heartbeat interval even when idle, for three intervals and at least 10 s. Calls then go unanswered though
     * {@link #isRunning()} is true; for liveness checks, since restarting the application mends it.
     */
    public boolean isStalled() {
        return isRunning() && loop.progress().stalledAt(System.nanoTime());
    }

    private long maxAnswerBytesDue() {
        return (long) AnswersDue.MAX_MESSAGES_OF_BYTES * config.maxMessageSize();
    }

    private ServiceRejectedException queueFull() {
        return new ServiceRejectedException(ServiceRejectedException.Reason.QUEUE_FULL, "Service '"
                + config.serviceName() + "' has its maximum of " + config.maxQueued()
                + " calls waiting for a free worker or answers waiting for their callbacks (maxQueued)");
    }

    private ServiceResponse await(CompletableFuture<ServiceResponse> answer, Duration timeout, PendingCall call) {
        try {
            return answer.get(timeout.plus(AWAIT_GRACE).toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            // The listener fails the answer with a ServiceException only, made for this call on the socket thread:
            // its stack trace is made to show where this caller called instead, the one place that helps.
            throw (ServiceException) e.getCause().fillInStackTrace();
        } catch (InterruptedException e) {
            ServiceInterruptedException stopped = stoppedWaiting(call, e);
            Thread.currentThread().interrupt();
            throw stopped;
        } catch (TimeoutException e) {
            throw new ServiceTimeoutException("No answer from service '" + config.serviceName() + "' within " + timeout);
        }
    }

    /**
     * The caller was interrupted while it waited: withdraw the call if it was not sent yet, so that it never
     * runs, and have the socket thread let go of it either way. Says which it was: a call already sent may
     * still run, and its caller must not take the error for a sign that it did not.
     */
    private ServiceInterruptedException stoppedWaiting(PendingCall call, InterruptedException e) {
        boolean withdrawn = letGo(call);
        return new ServiceInterruptedException("Interrupted while waiting for service '" + config.serviceName()
                + "' to answer " + call.path + (withdrawn ? "; the call was withdrawn: it was not sent and will not run"
                : "; the call had already been sent: the worker may still run it, and its answer will be ignored"),
                !withdrawn, e);
    }

    /**
     * Withdraws a call its caller no longer waits for, if it was not sent yet, and has the socket thread let
     * go of it either way; true when it was withdrawn, and so will never run.
     */
    private boolean letGo(PendingCall call) {
        boolean withdrawn = call.withdraw();
        mailbox.post(new ClientLoop.Cancel(call));
        return withdrawn;
    }

    private Object runResponseRoute(ServiceResponse response) {
        RouteTable.Match<ResponseHandler> match =
                config.responseRoutes().match(response.path(), response.method());
        if (match.outcome() != RouteTable.Outcome.FOUND) {
            return null;
        }
        if (!routeGate.enter()) {
            throw new ServiceUnavailableException("Service '" + config.serviceName() + "' answered " + response.path()
                    + " (" + response.statusCode() + "), but its response route did not run: " + routeGate.endedBecause());
        }
        if (response instanceof ReceivedResponse received) {
            received.routedBy(match.route().pattern());
        }
        try {
            return match.handler().handle(response);
        } catch (Exception e) {
            throw new ResponseRouteException("The response handler for " + response.path() + " on service '"
                    + config.serviceName() + "' failed: " + e.getMessage(), response, e);
        } finally {
            routeGate.exit();
        }
    }

    /**
     * Ends this client's response routes, for an owner whose routes must not run past a point: a CDI
     * application whose beans are about to be destroyed. The client itself goes on taking calls until it is
     * closed. From now on no response route starts: a caller of {@code send()} or {@code sendAsync()} whose
     * answer has a route gets a {@link ServiceUnavailableException} that names the answer and gives
     * {@code reason}, and a nowait call's answer that has a route is dropped, the client logging one line
     * for the first only. Answers without a route are delivered as before. Routes already running go on:
     * {@link #awaitResponseRoutes(Duration)} waits for them. A later call keeps the first reason.
     */
    public void endResponseRoutes(String reason) {
        routeGate.end(Objects.requireNonNull(reason, "reason"));
    }

    /**
     * Waits up to {@code limit} until no response route runs, but those the calling thread runs itself (a
     * route that stops its application): after {@link #endResponseRoutes(String)}, none starts again. Meant to
     * follow that call: before it, routes ending do not wake the waiting thread, which then looks again only at
     * the limit. True when none runs; false when some still do, or the calling thread was interrupted (its flag
     * is kept).
     */
    public boolean awaitResponseRoutes(Duration limit) {
        return routeGate.awaitIdle(Objects.requireNonNull(limit, "limit"));
    }

    private ServiceUnavailableException closedError() {
        return loop.closedError();
    }

    /**
     * Fails the calls still waiting, says goodbye to the workers and stops the socket thread and the
     * callback pool (when the endpoint owns them). Returns within about two seconds, also when the
     * calling thread is interrupted (its interrupt is kept); a second call waits for the first.
     *
     * <p>Callbacks already due (the dependent stages and response routes of answers that came, and of
     * the calls it fails) are not run on the calling thread, nor dropped: those the callback threads
     * have not finished when it returns still run on the client's callback threads after it returns,
     * and the threads then end, response routes included unless {@link #endResponseRoutes(String)} ended them.
     * Callbacks still running when it returns are logged at INFO. A callback may close its client: its thread
     * is not interrupted.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Interrupted or not, the caller wants the threads stopped: wait for them, then restore it.
        boolean interrupted = Thread.interrupted();
        mailbox.post(ClientLoop.STOP);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_JOIN_MILLIS);
        interrupted |= CloseWaits.join(loopThread, CLOSE_JOIN_MILLIS);
        if (loopThread.isAlive()) {
            // It closes an owned context itself when it ends.
            LOG.log(Level.WARNING, "The socket thread of service '" + config.serviceName() + "' did not stop in time");
        }
        interrupted |= callbacks.shutdown(Math.max(100, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) / 3));
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static RuntimeException unwrap(RuntimeException e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() instanceof RuntimeException cause
                ? cause : e;
    }
}
