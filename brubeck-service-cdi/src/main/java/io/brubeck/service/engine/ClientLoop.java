package io.brubeck.service.engine;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.ServiceException;
import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.api.ServiceRejectedException;
import io.brubeck.service.api.ServiceTimeoutException;
import io.brubeck.service.api.ServiceUnavailableException;
import io.brubeck.service.wire.MalformedMessageException;
import io.brubeck.service.wire.MessageCodec;
import io.brubeck.service.wire.WireMessage;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * The socket thread of a client endpoint. It alone owns the ROUTER socket the workers connect to:
 * it sends queued calls where there is credit, matches replies to calls, expires deadlines, exchanges
 * heartbeats and drops silent workers. Callers reach it only through its {@link Mailbox}.
 */
final class ClientLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger(ClientLoop.class.getName());
    private static final int RECEIVE_BATCH = 1024;
    private static final int CLOSE_LINGER_MILLIS = 100;
    /**
     * The least time a worker has to join, from its READY: it answers our HEARTBEAT at once, but a slow link
     * or a busy machine must not make a client with a short heartbeat interval drop it, and drop it again.
     */
    private static final long MIN_JOIN_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** How often to look for connections refused a routing id while the socket holds any without one. */
    private static final long STRANDED_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Any worker's announced capacity is capped at the most a worker of this library may announce. */
    private static final int MAX_CAPACITY = WorkerConfig.MAX_SLOTS;
    /** Bytes a REQUEST carries beyond its variable fields: fixed header fields, lengths and signature. */
    static final int REQUEST_OVERHEAD = 128;

    // Indices of the counts this loop publishes (see ClientStatistics).
    static final int TAKEN = 0;
    static final int SENT = 1;
    static final int RETRIED = 2;
    static final int ANSWERED_2XX = 3;
    static final int ANSWERED_4XX = 4;
    static final int ANSWERED_5XX = 5;
    static final int ANSWERED_OTHER = 6;
    static final int TIMED_OUT = 7;
    static final int UNAVAILABLE = 8;
    static final int REJECTED = 9;
    static final int WORKERS = 10;
    static final int IN_FLIGHT = 11;
    static final int COUNTS = 12;

    /** Mailbox item asking the loop to stop. */
    static final Object STOP = new Object();
    /** Mailbox item that wakes the loop when a thread of its ZeroMQ context died; the loop then finds out why. */
    private static final Object WAKE = new Object();

    /** An outcome waiting to be delivered on the callback executor. */
    private record Outcome(CallListener listener, ServiceResponse response, ServiceException error, long bytes) {
    }

    /**
     * Mailbox item asking for a status snapshot, shared by every caller that asks before the socket thread takes
     * it, so that callers asking at any rate post at most one of each kind at a time.
     *
     * @param answerHere complete the reply on the socket thread, for a reply nothing can be chained to
     * @param posted     where the request is published until the socket thread takes it
     */
    record StatusRequest(CompletableFuture<ClientStatus> reply, boolean answerHere, AtomicReference<StatusRequest> posted) {
        @Override
        public String toString() {
            return "StatusRequest[answerHere=" + answerHere + "]"; // posted holds this request: printing it would recurse
        }
    }

    /**
     * Mailbox item from a caller that stopped waiting for a call (its thread was interrupted in {@code send()},
     * or it cancelled or completed the stage of {@code sendAsync()}) and has
     * {@linkplain PendingCall#withdraw() withdrawn} it if it was not sent yet.
     */
    record Cancel(PendingCall call) {
    }

    private final ClientConfig config;
    private final ZContext context;
    private final boolean ownsContext;
    private final MessageCodec codec;
    private final Mailbox<Object> mailbox;
    private final AtomicInteger queuedCount;
    private final AtomicInteger freeSlots;
    /** Outcomes handed to the callback executor whose callbacks have not started: they count against maxQueued. */
    private final AnswersDue answersDue;
    private final SingleWriterCounts counts;
    private final LoopProgress progress;
    private final CompletableFuture<String> bound;
    private final CallbackExecutor callbacks;
    private final List<Outcome> outcomesDue = new ArrayList<>();
    // What a peer's mistakes make us log, each kind limited apart so that one kind never hides another.
    private final RateLimitedLogger droppedMessageLog = new RateLimitedLogger(LOG, 10_000);
    private final RateLimitedLogger secondReadyLog = new RateLimitedLogger(LOG, 10_000);
    private final RateLimitedLogger otherServiceLog = new RateLimitedLogger(LOG, 10_000);
    private final RateLimitedLogger maxWorkersLog = new RateLimitedLogger(LOG, 10_000);
    /** Callbacks that failed, on the callback threads: one failing for every answer must not flood the log. */
    private final RateLimitedLogger callbackFailures = new RateLimitedLogger(LOG, 10_000);
    /**
     * What a peer can make us log over and over: a new session on a connection we know (its worker dropped,
     * then joining again), a worker dropped before it joined, or for a message of another session, and
     * connections dropped for presenting a routing id another holds. Bounded,
     * since someone without the passphrase can replay a recorded READY and HEARTBEATs at will (PROTOCOL §13);
     * workers that joined are logged apart, every line.
     */
    private final RateLimitedLogger repeatableLog = new RateLimitedLogger(LOG, 100, 10_000);
    private final byte[][] received = new byte[MessageCodec.MAX_FRAMES + 1][];
    private final MessageOrigin origin = new MessageOrigin();
    private final byte[][] messageFrames = new byte[MessageCodec.MAX_FRAMES][];
    private final long heartbeatNanos;
    private final WireMessage.Heartbeat heartbeat;

    private final Map<ByteBuffer, ConnectedWorker> workersByIdentity = new HashMap<>();
    private final List<ConnectedWorker> workers = new ArrayList<>();
    private final Map<Long, PendingCall> inFlight = new HashMap<>();
    private final CallQueue waiting = new CallQueue();
    private final DeadlineQueue deadlines = new DeadlineQueue();

    private ZMQ.Socket socket;
    /** The workers' keys this client accepts, registered with the context's ZAP handler; null when any is. */
    private ZapHandler.AllowList allowList;
    private StrandedConnections strandedConnections;
    private SocketWaiter waiter;
    private String endpoint;
    private boolean running = true;
    /** Set when the loop starts shutting down, for whatever reason; read by callers' threads. */
    private volatile boolean stopped;
    /** Set when the loop stopped because something failed, not because it was closed. */
    private volatile boolean failed;
    /** Why the loop stopped, when it was because a thread of its ZeroMQ context died. */
    private volatile String contextDeath;
    private Runnable stopWatchingContext = () -> { };
    private long nextHeartbeatNanos;
    private long nextCallbackCheckNanos;
    private long dispatchSequence;

    ClientLoop(ClientConfig config, ZContext context, boolean ownsContext, MessageCodec codec, Mailbox<Object> mailbox,
               AtomicInteger queuedCount, AtomicInteger freeSlots, AnswersDue answersDue, SingleWriterCounts counts,
               CallbackExecutor callbacks, CompletableFuture<String> bound) {
        this.config = config;
        this.context = context;
        this.ownsContext = ownsContext;
        this.codec = codec;
        this.mailbox = mailbox;
        this.queuedCount = queuedCount;
        this.freeSlots = freeSlots;
        this.answersDue = answersDue;
        this.counts = counts;
        this.bound = bound;
        this.callbacks = callbacks;
        this.heartbeatNanos = config.heartbeatInterval().toNanos();
        this.progress = new LoopProgress(config.heartbeatInterval());
        this.heartbeat = new WireMessage.Heartbeat((int) config.heartbeatInterval().toMillis());
    }

    /** When this loop last came round, for health checks. */
    LoopProgress progress() {
        return progress;
    }

    @Override
    public void run() {
        try {
            open();
        } catch (RuntimeException | Error e) {
            closeSockets();
            mailbox.close();
            bound.completeExceptionally(e);
            return;
        }
        bound.complete(endpoint);
        try {
            loop();
        } catch (RuntimeException | Error e) {
            failed = true;
            if (Causes.isContextTerminated(e, context)) { // the owner's mistake, not ours: no stack trace
                contextDeath = Causes.CONTEXT_CLOSED_FIRST;
                LOG.log(Level.ERROR, "Client of service '" + config.serviceName() + "' stopped: "
                        + Causes.CONTEXT_CLOSED_FIRST);
            } else {
                LOG.log(Level.ERROR, "Client of service '" + config.serviceName() + "' stopped unexpectedly", e);
            }
        } finally {
            shutdown();
        }
    }

    private void open() {
        FrameBudget.warnIfLargerThanBudget("The client of service '" + config.serviceName() + "'", config.maxMessageSize());
        socket = context.createSocket(SocketType.ROUTER);
        JeroMqWakeupFix.applyTo(socket);
        socket.setLinger(CLOSE_LINGER_MILLIS);
        socket.setRouterMandatory(true);
        socket.setMaxMsgSize(config.maxMessageSize());
        FrameSizeGuard.applyTo(socket, config.maxMessageSize());
        // A peer that leaves more unread than its credit and a few heartbeats is not reading: a send
        // to it then fails (a worker is dropped, an answer to an unknown connection is not sent), so
        // it cannot grow our memory. Incoming keeps ZeroMQ's default bound per connection.
        socket.setSndHWM(FrameIO.SEND_HIGH_WATER_MARK);
        socket.setHandshakeIvl(1000);
        strandedConnections = StrandedConnections.of(socket);
        if (config.curveSecretKey() != null) {
            CurveSecurity.serve(socket, config);
            if (!config.curveWorkerKeys().isEmpty()) {
                // Before binding: no connection may reach the socket before its keys can be checked.
                allowList = ZapHandler.register(context, config);
                socket.setZapDomain(allowList.domain());
            }
        }
        if (EndpointLookup.isIpv6(config.endpoint())) {
            socket.setIPv6(true); // else JeroMQ finds no such address, whatever the context's option says
        }
        try {
            socket.bind(config.endpoint());
        } catch (RuntimeException e) {
            throw new EndpointBindException(config.serviceName(), config.endpoint(), bindFailure(e, config.endpoint()), e);
        }
        endpoint = socket.getLastEndpoint();
        waiter = new SocketWaiter(mailbox);
        waiter.watch(socket);
        if (context instanceof WatchedContext watched) {
            stopWatchingContext = watched.onDeath(() -> mailbox.post(WAKE));
        }
        nextHeartbeatNanos = System.nanoTime() + heartbeatNanos;
        nextCallbackCheckNanos = System.nanoTime(); // due at once, as 0 would be only while nanoTime() is positive
    }

    /**
     * Why a bind failed, in words. JeroMQ reports most failures as a bare error number ("Errno 48"),
     * and any failure of the listening socket to bind as EADDRINUSE, a host that is not an address of
     * this machine included.
     */
    private static String bindFailure(RuntimeException e, String endpoint) {
        ZMQException zmq = Causes.find(e, ZMQException.class).orElse(null);
        if (zmq == null) {
            return String.valueOf(e.getMessage());
        }
        int code = zmq.getErrorCode();
        if (code == ZMQ.Error.EADDRINUSE.getCode()) {
            int port = endpoint.lastIndexOf(':');
            String advice = endpoint.startsWith("tcp://") && port > "tcp://".length()
                    ? "choose another port, or " + endpoint.substring(0, port) + ":* to take any free one"
                    : "choose another address";
            return "address already in use (or not an address of this machine); " + advice;
        }
        String reason;
        try {
            reason = ZMQ.Error.findByCode(code).getMessage();
            reason = Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
        } catch (IllegalArgumentException unknown) {
            reason = "ZeroMQ error " + code;
        }
        String detail = zmq.getMessage();
        return detail == null || detail.isBlank() || detail.equals("Errno " + code) ? reason : reason + " (" + detail + ")";
    }

    private void loop() {
        while (running) {
            progress.turned();
            // Nothing interrupts a socket thread on purpose, but a callback run on it at close may leave an interrupt,
            // which would make every wait return at once.
            Thread.interrupted();
            if (contextDied()) {
                return;
            }
            int work = receiveBatch() + takeMailbox();
            long now = System.nanoTime();
            expireDeadlines(now);
            if (now - nextHeartbeatNanos >= 0) {
                nextHeartbeatNanos = now + heartbeatNanos;
                heartbeatAndDropSilentWorkers(now);
            }
            if (running) { // after close(), a slot that frees must not send a call whose caller is told it was closed
                dispatchWaiting();
            }
            dropStrandedConnections();
            publishLevels();
            runOutcomesDue();
            checkCallbacks(now);
            if (work == 0 && running) {
                waiter.await(nanosToNextTimer(System.nanoTime()));
            }
        }
    }

    /** Whether a thread of the context died: no message can come or go any more, so the loop stops. */
    private boolean contextDied() {
        String death = WatchedContext.deathOf(context);
        if (death == null) {
            return false;
        }
        contextDeath = death;
        failed = true;
        LOG.log(Level.ERROR, "Client of service '" + config.serviceName() + "' stops: " + death);
        return true;
    }

    private void deliver(PendingCall call, ServiceResponse response, ServiceException error) {
        if (!call.settle()) {
            return; // the caller's thread failed it already, racing with close()
        }
        boolean here = call.listener.safeOnSocketThread();
        long bytes = response instanceof ReceivedResponse received ? received.wireBytes() : 0;
        if (!here) {
            // Before the call's slot is published free: a caller never sees the slot without this outcome.
            answersDue.add(bytes);
        }
        counts.increment(error != null ? failureCount(error) : answerCount(response.statusCode()));
        if (here) {
            call.listener.deliver(response, error);
        } else {
            outcomesDue.add(new Outcome(call.listener, response, error, bytes));
        }
    }

    private static int failureCount(ServiceException error) {
        if (error instanceof ServiceTimeoutException) {
            return TIMED_OUT;
        }
        return error instanceof ServiceRejectedException ? REJECTED : UNAVAILABLE;
    }

    private static int answerCount(int status) {
        return switch (status / 100) {
            case 2 -> ANSWERED_2XX;
            case 4 -> ANSWERED_4XX;
            case 5 -> ANSWERED_5XX;
            default -> ANSWERED_OTHER;
        };
    }

    private void fail(PendingCall call, ServiceException error) {
        deliver(call, null, error);
    }

    /**
     * Hands this turn's outcomes to the callback executor, one task each: an outcome runs the caller's
     * code (its dependent stages, a response route), which must not hold up another caller's. Each
     * counts as an answer due until its callback starts.
     */
    private void runOutcomesDue() {
        if (outcomesDue.isEmpty()) {
            return;
        }
        List<Outcome> due = List.copyOf(outcomesDue);
        outcomesDue.clear(); // before handing any over: each is handed over once, whatever happens
        for (Outcome outcome : due) {
            callbacks.execute(() -> {
                answersDue.remove(outcome.bytes());
                try {
                    outcome.listener().deliver(outcome.response(), outcome.error());
                } catch (RuntimeException | Error e) {
                    callbackFailures.log(Level.WARNING, "A callback of service '" + config.serviceName() + "' failed", e);
                }
            });
        }
    }

    /**
     * Lets callers admit a burst of calls up to the free slots plus the queue bound, and publishes the
     * levels of the statistics. Between two of these, dispatchWaiting lowers the free slots itself as it
     * takes them, so that each call counts against the bound either as queued or in its slot.
     */
    private void publishLevels() {
        int free = 0;
        int taking = 0;
        for (ConnectedWorker worker : workers) {
            free += Math.max(0, worker.freeSlots());
            if (!worker.leaving && !worker.joining) {
                taking++;
            }
        }
        if (free != freeSlots.get()) {
            freeSlots.set(free);
        }
        counts.set(WORKERS, taking);
        counts.set(IN_FLIGHT, inFlight.size());
    }

    /**
     * While answers or status snapshots wait for their callbacks, lets the callback executor check that its callbacks
     * do not all block.
     */
    private void checkCallbacks(long now) {
        if (answersDue.callbacksDue() > 0 && now - nextCallbackCheckNanos >= 0) {
            nextCallbackCheckNanos = now + CallbackExecutor.STALL_NANOS / 2;
            callbacks.checkProgress(now);
        }
    }

    private long nanosToNextTimer(long now) {
        long next = Math.min(deadlines.nanosToNextDeadline(now), Math.max(0, nextHeartbeatNanos - now));
        if (answersDue.callbacksDue() > 0) {
            next = Math.min(next, Math.max(0, nextCallbackCheckNanos - now));
        }
        // What a connection refused its routing id sends does not wake us: look again soon.
        return strandedConnections.any() ? Math.min(next, STRANDED_CHECK_NANOS) : next;
    }

    // ---- calls from callers

    /** Takes everything posted by other threads; returns how many items it took. */
    private int takeMailbox() {
        int items = 0;
        Object item;
        while ((item = mailbox.take()) != null) {
            items++;
            if (item instanceof PendingCall call) {
                accept(call);
            } else if (item instanceof Cancel cancel) {
                cancel(cancel.call());
            } else if (item instanceof StatusRequest request) {
                request.posted().compareAndSet(request, null); // who asks from now on gets a later snapshot
                ClientStatus status = status();
                if (request.answerHere()) {
                    request.reply().complete(status);
                } else {
                    // Stages chained to it are the caller's code. Counted, so that callbacks blocked waiting for it are
                    // noticed (checkCallbacks) as those waiting for a call's answer are.
                    answersDue.addSnapshot();
                    callbacks.execute(() -> {
                        answersDue.removeSnapshot();
                        request.reply().complete(status);
                    });
                }
            } else if (item == STOP) {
                running = false;
            }
        }
        return items;
    }

    private void accept(PendingCall call) {
        counts.increment(TAKEN);
        if (!running) {
            queuedCount.decrementAndGet();
            fail(call, closedError());
            return;
        }
        deadlines.add(call);
        waiting.addLast(call);
        if (waiting.size() == 1) {
            dispatchWaiting();
        }
    }

    private void dispatchWaiting() {
        PendingCall call;
        while ((call = waiting.peekFirst()) != null) {
            ConnectedWorker worker = leastLoadedWithCreditFor(call);
            if (worker == null && !tooLargeForEveryWorker(call)) {
                return; // wait for a slot; calls behind it keep their order
            }
            waiting.pollFirst();
            if (worker != null) {
                // The slot is taken before the call leaves the queue: a caller that sees the shorter queue
                // also sees one free slot fewer, rather than the free slots published before this dispatch.
                freeSlots.decrementAndGet();
            }
            queuedCount.decrementAndGet();
            if (worker == null) {
                call.state = PendingCall.State.DONE;
                deadlines.remove(call);
                fail(call, new ServiceRejectedException(ServiceRejectedException.Reason.TOO_LARGE, "Call to "
                        + call.path + " is larger than any worker of service '" + config.serviceName() + "' accepts"));
            } else {
                send(call, worker);
            }
        }
    }

    /** Sends a call to a worker; if the worker turns out to be gone, the call goes back to the queue head. */
    private void send(PendingCall call, ConnectedWorker worker) {
        long remainingMillis = TimeUnit.NANOSECONDS.toMillis(call.deadlineNanos - System.nanoTime());
        if (remainingMillis <= 0) {
            call.state = PendingCall.State.DONE;
            deadlines.remove(call);
            fail(call, timeoutError(call, " before a worker was free"));
            return;
        }
        // Claimed just before the send: a caller that stops waiting from now on is told the call may run.
        if (!call.claimSend()) {
            call.state = PendingCall.State.DONE; // its caller withdrew it, or stopped waiting after a first send
            deadlines.remove(call);
            fail(call, cancelledError(call));
            return;
        }
        byte[][] frames = encode(worker, new WireMessage.Request(call.id, (int) Math.min(remainingMillis, Integer.MAX_VALUE),
                call.requestTimeMillis, call.method, call.pathBytes, call.headers, call.arguments, call.body));
        if (!FrameIO.send(socket, worker.identity, frames)) {
            waiting.addFirst(call);
            queuedCount.incrementAndGet();
            dropWorker(worker, "it cannot be reached");
            return;
        }
        counts.increment(SENT);
        call.state = PendingCall.State.IN_FLIGHT;
        call.worker = worker;
        call.attempts++;
        worker.inFlight++;
        worker.activeCalls++;
        worker.lastDispatchSequence = ++dispatchSequence;
        inFlight.put(call.id, call);
    }

    /** The least loaded worker with a free slot that accepts a message of this call's size. */
    private ConnectedWorker leastLoadedWithCreditFor(PendingCall call) {
        long size = call.encodedSize + (long) REQUEST_OVERHEAD;
        ConnectedWorker best = null;
        for (ConnectedWorker worker : workers) {
            if (worker.freeSlots() > 0 && worker.maxMessageSize >= size && (best == null || preferred(worker, best, call))) {
                best = worker;
            }
        }
        return best;
    }

    /** The less loaded of two workers, except that the worker which refused the call is the last choice. */
    private static boolean preferred(ConnectedWorker worker, ConnectedWorker best, PendingCall call) {
        if (worker == call.refusedBy || best == call.refusedBy) {
            return best == call.refusedBy;
        }
        return worker.lessLoadedThan(best);
    }

    /** Whether workers are connected but every one announced a limit below this call's size. */
    private boolean tooLargeForEveryWorker(PendingCall call) {
        long size = call.encodedSize + (long) REQUEST_OVERHEAD;
        boolean anyJoined = false;
        for (ConnectedWorker worker : workers) {
            if (worker.joining) {
                continue; // its READY may be a recording: what it announced counts once it has joined
            }
            if (worker.maxMessageSize >= size) {
                return false;
            }
            anyJoined = true;
        }
        return anyJoined;
    }

    /**
     * The caller stopped waiting. A queued call leaves the queue: it was never sent, or was sent before and
     * put back, and is not sent again. A call in flight stays there, counted against its worker's slots,
     * until the worker answers; the answer is then dropped, as for a call whose deadline passed.
     */
    private void cancel(PendingCall call) {
        if (!running) {
            return; // stopping: every call still waiting is failed as the loop stops
        }
        if (call.state == PendingCall.State.QUEUED || call.state == PendingCall.State.IN_FLIGHT) {
            deadlines.remove(call);
            giveUp(call, cancelledError(call));
        }
    }

    /**
     * Fails a call its caller no longer waits for (its deadline passed, or it stopped waiting): a queued one
     * leaves the queue, one in flight stays counted against its worker's slots until the worker answers.
     */
    private void giveUp(PendingCall call, ServiceException error) {
        fail(call, error);
        if (call.state == PendingCall.State.QUEUED) {
            call.state = PendingCall.State.DONE;
            waiting.remove(call);
            queuedCount.decrementAndGet();
        } else {
            call.state = PendingCall.State.ABANDONED;
            call.worker.activeCalls--;
            removeIfDone(call.worker);
        }
    }

    /** The outcome recorded for a call whose caller stopped waiting; the caller has its own error already. */
    private ServiceException cancelledError(PendingCall call) {
        return new ServiceException("The caller of " + call.path + " on service '" + config.serviceName()
                + "' stopped waiting for it");
    }

    // ---- messages from workers

    /** Reads what is waiting, up to a batch; returns how many messages it read. */
    private int receiveBatch() {
        int messages = 0;
        for (; messages < RECEIVE_BATCH; messages++) {
            int count = FrameIO.receive(socket, received, config.maxMessageSize(), true, origin);
            if (count == 0) {
                break;
            }
            if (count == FrameIO.TOO_LARGE) {
                rejectMalformed(received[0], new MalformedMessageException(MalformedMessageException.Kind.MALFORMED,
                        "larger than maxMessageSize (" + config.maxMessageSize() + " bytes)"));
                continue;
            }
            if (count == FrameIO.OVER_BUDGET) {
                lostToBudget(received[0]);
                continue;
            }
            if (count == FrameIO.TOO_MANY_FRAMES || count < 2) {
                rejectMalformed(received[0], new MalformedMessageException(MalformedMessageException.Kind.MALFORMED,
                        "wrong number of frames"));
                continue;
            }
            System.arraycopy(received, 1, messageFrames, 0, count - 1);
            try {
                handle(received[0], messageFrames[0], codec.decode(messageFrames, count - 1));
            } catch (MalformedMessageException e) {
                rejectMalformed(received[0], e);
            }
        }
        return messages;
    }

    /**
     * A connection's identity is its own, so a registered worker that sends something malformed is
     * dropped (its calls settle at once rather than at their deadlines); anyone else is only logged.
     */
    /**
     * A message this process had no memory for: its worker's answer, if it was one, is lost, so that worker's calls
     * are settled as for a malformed message, though the worker is not to blame.
     */
    private void lostToBudget(byte[] identity) {
        dropMessage(identity, "a message of it was lost: ", "lost", FrameIO.overBudget());
    }

    private void rejectMalformed(byte[] identity, MalformedMessageException error) {
        dropMessage(identity, "it sent a malformed message: ", "dropped", error.getMessage());
    }

    /** Drops the worker a message came from, for {@code why}; a message from no worker of ours is only logged. */
    private void dropMessage(byte[] identity, String workerReason, String verb, String why) {
        ConnectedWorker worker = workersByIdentity.get(ByteBuffer.wrap(identity));
        if (worker != null) {
            dropWorker(worker, workerReason + why);
        } else {
            droppedMessageLog.log(Level.WARNING, "Service '" + config.serviceName() + "' on " + endpoint
                    + " " + verb + " a message from " + origin.address() + ": " + why);
        }
    }

    /** Acts on an authentic message; {@code header} is its first frame, which holds the session's nonces. */
    private void handle(byte[] identity, byte[] header, WireMessage message) {
        ConnectedWorker worker = workersByIdentity.get(ByteBuffer.wrap(identity));
        long sender = MessageCodec.senderNonce(header);
        long receiver = MessageCodec.receiverNonce(header);
        if (message instanceof WireMessage.Ready ready) {
            onReady(identity, worker, sender, ready);
            return;
        }
        if (worker == null) {
            if (sender == 0) {
                return; // a client's answer, played back: no worker of ours sent it
            }
            // A worker we dropped, or one that joined a previous run of this client: ask it to
            // announce itself, naming only the worker's nonce of the session its message names, so that
            // only that session ends, and with no nonce of ours, so that the answer can never pass for a
            // message of a worker (§7.4). A goodbye is answered too, so that a draining worker whose READY
            // we never took need not wait for us (§10.1); workers never answer a goodbye, so this cannot
            // ping-pong.
            FrameIO.send(socket, identity, codec.encode(WireMessage.Disconnect.INSTANCE, 0, sender));
            return;
        }
        if (sender != worker.workerNonce || receiver != worker.nonce && !(worker.joining && receiver == 0)) {
            dropWorker(worker, "it sent a " + message.command() + " of another session", repeatableLog::log);
            return;
        }
        if (worker.joining && !joins(worker, message, receiver)) {
            return;
        }
        worker.lastHeardNanos = System.nanoTime();
        if (message instanceof WireMessage.Reply reply) {
            onReply(worker, reply);
        } else if (message instanceof WireMessage.Heartbeat beat) {
            worker.heartbeatEvery(beat.intervalMillis());
        } else if (message instanceof WireMessage.Refuse refuse) {
            onRefuse(worker, refuse);
        } else if (message instanceof WireMessage.Disconnect) {
            onWorkerLeaving(worker);
            // Tells the draining worker that nothing we sent before we read its goodbye is still on
            // the way, so it may close without leaving a request unanswered (§10.1).
            FrameIO.send(socket, identity, encode(worker, WireMessage.Disconnect.INSTANCE));
        } else {
            dropWorker(worker, "it sent a " + message.command() + ", which only clients send");
        }
    }

    /**
     * Whether a message of a joining worker makes it join: only a HEARTBEAT naming our nonce does, the
     * answer a worker sends at once to ours. Anything else proves nothing, since its READY may be a
     * recording: a goodbye drops it, and the rest is ignored and is no sign of life.
     */
    private boolean joins(ConnectedWorker worker, WireMessage message, long receiver) {
        if (message instanceof WireMessage.Disconnect) {
            dropWorker(worker, "it said goodbye before it joined");
            FrameIO.send(socket, worker.identity, encode(worker, message));
            return false;
        }
        if (receiver == 0 || !(message instanceof WireMessage.Heartbeat)) {
            return false;
        }
        worker.joining = false;
        BiConsumer<Level, String> log = worker.reannounced ? repeatableLog::log : LOG::log;
        log.accept(Level.INFO, "Service '" + config.serviceName() + "': worker " + worker.label + " joined with "
                + worker.capacity + " slots");
        return true;
    }

    private void onReady(byte[] identity, ConnectedWorker known, long workerNonce, WireMessage.Ready ready) {
        if (known != null) {
            if (known.workerNonce == workerNonce) {
                secondReadyLog.log(Level.WARNING, "Service '" + config.serviceName() + "' ignored a second READY of worker "
                        + known.label + " in one session");
                return;
            }
            // A new session on a connection we know (PROTOCOL §7.1): typically a worker with a fixed routing
            // id that restarted before we noticed. Its old session's calls will never be answered: settle them.
            dropWorker(known, "it announced itself again", repeatableLog::log);
        }
        if (!ready.serviceName().equals(config.serviceName())) {
            otherServiceLog.log(Level.WARNING, "Service '" + config.serviceName() + "' refused worker "
                    + PeerText.forLog(ready.label()) + " from " + origin.address() + " that serves '"
                    + PeerText.forLog(ready.serviceName()) + "'");
            return;
        }
        if (workers.size() >= config.maxWorkers() && !dropOldestJoining()) {
            maxWorkersLog.log(Level.WARNING, "Service '" + config.serviceName() + "' refused worker "
                    + PeerText.forLog(ready.label()) + " from " + origin.address() + ": already " + workers.size()
                    + " workers (maxWorkers)");
            return;
        }
        ConnectedWorker worker = new ConnectedWorker(identity, workerNonce, SessionNonces.draw(), ready.label(),
                Math.min(ready.capacity(), MAX_CAPACITY), ready.maxMessageSize(), config.liveness(),
                ready.heartbeatMillis(), Math.max(heartbeatNanos * config.liveness(), MIN_JOIN_LIMIT_NANOS),
                System.nanoTime());
        worker.reannounced = known != null;
        worker.heartbeatFrames = encode(worker, heartbeat);
        workersByIdentity.put(ByteBuffer.wrap(identity), worker);
        workers.add(worker);
        // Answer at once: the worker learns our nonce, and its answer naming it shows that it knows the
        // passphrase now. Until then, it gets no call.
        FrameIO.send(socket, identity, worker.heartbeatFrames);
    }

    private void onReply(ConnectedWorker worker, WireMessage.Reply reply) {
        PendingCall call = inFlight.get(reply.correlationId());
        if (call == null || call.worker != worker) {
            return; // late or unknown: the caller already has its answer or its error
        }
        inFlight.remove(call.id);
        worker.inFlight--;
        if (call.state == PendingCall.State.IN_FLIGHT) {
            worker.activeCalls--;
            deadlines.remove(call);
            Method method = MethodNames.parse(reply.method()).orElse(Method.RESPONSE);
            call.state = PendingCall.State.DONE;
            deliver(call, new ReceivedResponse(config.serviceName(), call.path, method, reply, call.requestTimeMillis, config.json()), null);
        } else {
            call.state = PendingCall.State.DONE;
        }
        removeIfDone(worker);
    }

    /** The worker did not start the call: it goes back to the head of the queue, for another worker if one has credit. */
    private void onRefuse(ConnectedWorker worker, WireMessage.Refuse refuse) {
        PendingCall call = inFlight.get(refuse.correlationId());
        if (call == null || call.worker != worker) {
            return;
        }
        inFlight.remove(call.id);
        worker.inFlight--;
        call.worker = null;
        call.refusedBy = worker;
        if (call.state != PendingCall.State.IN_FLIGHT) {
            call.state = PendingCall.State.DONE;
        } else if (call.attempts < config.maxAttempts()) {
            worker.activeCalls--;
            call.state = PendingCall.State.QUEUED;
            waiting.addFirst(call);
            queuedCount.incrementAndGet();
            counts.increment(RETRIED);
        } else {
            worker.activeCalls--;
            call.state = PendingCall.State.DONE;
            deadlines.remove(call);
            fail(call, new ServiceUnavailableException("Call to " + call.path + " on service '" + config.serviceName()
                    + "' was refused; it was sent " + call.attempts + " times (maxAttempts)"));
        }
        removeIfDone(worker);
    }

    private void onWorkerLeaving(ConnectedWorker worker) {
        boolean saidGoodbyeBefore = worker.leaving;
        worker.leaving = true; // a goodbye, not a failure
        if (saidGoodbyeBefore || worker.activeCalls == 0) {
            dropWorker(worker, "it said goodbye");
        } else {
            LOG.log(Level.INFO, "Service '" + config.serviceName() + "': worker " + worker.label + " is leaving after "
                    + worker.activeCalls + " calls in flight");
        }
    }

    /** A leaving worker is forgotten once no caller waits on it any more. */
    private void removeIfDone(ConnectedWorker worker) {
        if (worker.leaving && worker.activeCalls == 0) {
            dropWorker(worker, "it finished its last calls after saying goodbye");
        }
    }

    // ---- time

    private void expireDeadlines(long now) {
        PendingCall call;
        while ((call = deadlines.pollExpired(now)) != null) {
            giveUp(call, timeoutError(call, call.state == PendingCall.State.QUEUED ? whileQueued() : ""));
        }
    }

    /** Where a queued call was when its deadline passed: with no worker at all, the likely causes. */
    private String whileQueued() {
        return workers.stream().allMatch(worker -> worker.joining)
                ? " while no worker was connected to " + endpoint + " (is a worker of service '" + config.serviceName()
                        + "' running, with the same passphrase?)"
                : " while waiting for a free worker";
    }

    private ServiceTimeoutException timeoutError(PendingCall call, String where) {
        return new ServiceTimeoutException("Call to " + call.path + " on service '" + config.serviceName()
                + "' passed its deadline" + where);
    }

    private void dropStrandedConnections() {
        int stranded = strandedConnections.drop();
        if (stranded > 0) {
            repeatableLog.log(Level.WARNING, "Service '" + config.serviceName() + "' on " + endpoint + " dropped " + stranded
                    + " connections, and what they sent, that presented a routing id another connection holds");
        }
    }

    private void heartbeatAndDropSilentWorkers(long now) {
        for (ConnectedWorker worker : List.copyOf(workers)) {
            if (worker.isSilentAt(now)) {
                long millis = TimeUnit.NANOSECONDS.toMillis(now - worker.lastHeardNanos);
                dropWorker(worker, worker.joining ? "it did not join within " + millis + " ms of its READY"
                        : "it was silent for " + millis + " ms");
            } else if (!FrameIO.send(socket, worker.identity, worker.heartbeatFrames)) {
                dropWorker(worker, "it cannot be reached");
            }
        }
    }

    // ---- losing workers

    /** Removes a worker and settles its calls: idempotent ones go back to the queue, others fail. */
    private void dropWorker(ConnectedWorker worker, String reason) {
        dropWorker(worker, reason, worker.joining ? repeatableLog::log : LOG::log);
    }

    private void dropWorker(ConnectedWorker worker, String reason, BiConsumer<Level, String> log) {
        if (workersByIdentity.get(ByteBuffer.wrap(worker.identity)) != worker) {
            return;
        }
        removeWorker(worker);
        log.accept(worker.leaving ? Level.INFO : Level.WARNING, "Service '" + config.serviceName() + "': dropped worker "
                + worker.label + " because " + reason);
        if (worker.inFlight == 0) {
            return; // no call to settle: spares a scan of every call in flight for each replayed READY dropped
        }
        List<PendingCall> retry = new ArrayList<>();
        var calls = inFlight.values().iterator();
        while (calls.hasNext()) {
            PendingCall call = calls.next();
            if (call.worker != worker) {
                continue;
            }
            calls.remove();
            call.worker = null;
            if (call.state == PendingCall.State.ABANDONED) {
                call.state = PendingCall.State.DONE;
            } else if (call.idempotent && call.attempts < config.maxAttempts()) {
                call.state = PendingCall.State.QUEUED;
                retry.add(call);
            } else {
                call.state = PendingCall.State.DONE;
                deadlines.remove(call);
                // An idempotent call ends here only once its attempts are used up: say so, or it looks never retried.
                fail(call, new ServiceUnavailableException("Worker " + worker.label + " of service '"
                        + config.serviceName() + "' became unavailable while handling " + call.path
                        + (call.idempotent ? "; it was sent " + call.attempts + " times (maxAttempts)" : "")));
            }
        }
        // Newest first, each then put at the head: oldest ends first. Ids wrap around, so compare their difference.
        retry.sort((a, b) -> Long.signum(b.id - a.id));
        for (PendingCall call : retry) {
            waiting.addFirst(call);
            queuedCount.incrementAndGet();
            counts.increment(RETRIED);
        }
    }

    /**
     * Makes room for a READY when maxWorkers are registered by dropping the worker that has been joining
     * longest, if any: a genuine one joins within a round trip, so replayed READYs cannot keep the places.
     */
    private boolean dropOldestJoining() {
        for (ConnectedWorker worker : workers) {
            if (worker.joining) {
                dropWorker(worker, "it had not joined when another worker announced itself (maxWorkers)");
                return true;
            }
        }
        return false;
    }

    /** The frames of a message to a worker, in its session. */
    private byte[][] encode(ConnectedWorker worker, WireMessage message) {
        return codec.encode(message, worker.nonce, worker.workerNonce);
    }

    private void removeWorker(ConnectedWorker worker) {
        workersByIdentity.remove(ByteBuffer.wrap(worker.identity));
        workers.remove(worker);
    }

    // ---- status and shutdown

    private ClientStatus status() {
        List<ClientStatus.WorkerStatus> list = new ArrayList<>(workers.size());
        for (ConnectedWorker worker : workers) {
            if (worker.joining) {
                continue; // not serving yet, and perhaps never
            }
            list.add(new ClientStatus.WorkerStatus(worker.label, worker.capacity, worker.inFlight, worker.leaving));
        }
        return new ClientStatus(config.serviceName(), endpoint, List.copyOf(list), waiting.size(), inFlight.size());
    }

    /** The error of calls the client can no longer take, saying why. Any thread. */
    ServiceUnavailableException closedError() {
        return new ServiceUnavailableException("The client of service '" + config.serviceName() + "' "
                + (contextDeath != null ? "stopped: " + contextDeath
                        : failed ? "stopped after a failure (see its log)" : "is closed"));
    }

    /** Whether the loop has stopped taking calls: it was closed, or it failed. Any thread. */
    boolean hasStopped() {
        return stopped;
    }

    private void shutdown() {
        stopped = true; // from here, a caller that posts checks this and fails its call itself
        running = false;
        for (ConnectedWorker worker : workers) {
            FrameIO.send(socket, worker.identity, encode(worker, WireMessage.Disconnect.INSTANCE));
        }
        // Calls that expired already got their timeout; each caller hears exactly once, with an exception of its
        // own (one shared would gather every caller's suppressed exceptions and stack trace).
        for (PendingCall call : inFlight.values()) {
            if (call.isActive()) {
                fail(call, closedError());
            }
        }
        for (PendingCall call : waiting) {
            if (call.isActive()) {
                fail(call, closedError());
            }
        }
        inFlight.clear();
        waiting.clear();
        counts.set(WORKERS, 0);
        counts.set(IN_FLIGHT, 0);
        try {
            closeSockets();
        } finally {
            mailbox.close();
            try {
                takeMailbox(); // calls posted while we were closing fail here
                runOutcomesDue();
            } finally {
                if (ownsContext) {
                    Thread.interrupted(); // left by a callback run here, it would make ZeroMQ give up terminating
                    context.close(); // here rather than in close(), so that a socket thread late to stop still cleans up
                }
            }
        }
    }

    private void closeSockets() {
        stopWatchingContext.run();
        if (waiter != null) {
            waiter.close();
        }
        if (socket != null) {
            socket.close();
        }
        if (allowList != null) {
            allowList.close(); // after the socket: the last list of a context stops its handler
        }
    }
}
