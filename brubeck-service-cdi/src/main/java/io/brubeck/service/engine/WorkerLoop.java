package io.brubeck.service.engine;

import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.wire.MalformedMessageException;
import io.brubeck.service.wire.MessageCodec;
import io.brubeck.service.wire.WireMessage;
import java.lang.System.Logger.Level;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The socket thread of a worker. It alone owns one DEALER socket per client endpoint: it announces
 * the worker, hands requests to the handler pool, sends the replies the pool finishes, exchanges
 * heartbeats and reconnects to clients that went silent or forgot the worker, and to clients that
 * registered it and then sent it a message it had to drop.
 */
final class WorkerLoop implements Runnable, HandlerTask.WorkerContext {
    private static final System.Logger LOG = System.getLogger(WorkerLoop.class.getName());
    private static final int RECEIVE_BATCH = 256;
    private static final int CLOSE_LINGER_MILLIS = 100;
    /** The longest wait between attempts to connect again to a client whose address does not resolve. */
    private static final long MAX_CONNECT_RETRY_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** What a failed send on a DEALER tells: one of two things, which the worker cannot tell apart. */
    static final String SEND_FAILED = "the client does not read what it is sent, or the connection was lost";

    // Indices of the counts this loop publishes (see WorkerStatistics).
    static final int REQUESTS = 0;
    static final int REFUSED = 1;
    static final int HANDLED = 2;
    static final int FAILED = 3;
    static final int CLIENTS = 4;
    static final int RUNNING = 5;
    static final int COUNTS = 6;

    /** Mailbox item: stop taking work, finish what runs (until the deadline), say goodbye and stop. */
    record Drain(long deadlineNanos) {
    }

    /** Mailbox item: what a lookup of a link's host name found, so that the link can connect again. */
    private record AddressFound(int linkIndex, EndpointLookup.Result result) {
    }

    private final WorkerConfig config;
    private final ZContext context;
    private final boolean ownsContext;
    private final MessageCodec codec;
    private final Mailbox<Object> mailbox;
    private final HandlerPool handlers;
    private final SingleWriterCounts counts;
    private final LoopProgress progress;
    private final EndpointLookup lookup;
    private final CompletableFuture<Void> started;
    // What a client's mistakes make us log, each kind limited apart so that one kind never hides another.
    private final RateLimitedLogger droppedMessageLog = new RateLimitedLogger(LOG, 10_000);
    private final RateLimitedLogger otherSessionLog = new RateLimitedLogger(LOG, 10_000);
    private final RateLimitedLogger workerCommandLog = new RateLimitedLogger(LOG, 10_000);
    private final RateLimitedLogger sendFailureLog = new RateLimitedLogger(LOG, 10_000);
    /** Each reconnect is worth a line, but a client that forgets this worker as soon as it joins must not flood the log. */
    private final RateLimitedLogger reconnectLog = new RateLimitedLogger(LOG, 10, 10_000);
    private final RateLimitedLogger handlerFailures = new RateLimitedLogger(LOG, 10_000);
    private final byte[][] received = new byte[MessageCodec.MAX_FRAMES][];
    private final ClientLink[] links;
    /** The worker's own CURVE key pair, when it encrypts: the configured one, else one made for this start. */
    private final CurveKeys.KeyPair curveKeys;
    private final long heartbeatNanos;
    /**
     * How long the loop may go without sending its heartbeats before its clients have taken the worker for gone,
     * or do at their next heartbeat check: they drop it after as many of its intervals without a message as their
     * liveness, taken to be the worker's own, and its last message may have gone out up to an interval after its
     * last heartbeat.
     */
    private final long standStillLimitNanos;
    private final WireMessage.Heartbeat heartbeat;
    private final WireMessage.Ready ready;

    private SocketWaiter waiter;
    private boolean running = true;
    /** Volatile for handler threads, which {@link #isCurrent} tells whether the loop replaces what stood still. */
    private volatile boolean draining;
    /** Draining, the last replies sent: the goodbye that clients answer once they have read them all. */
    private boolean farewellSent;
    private long drainDeadlineNanos;
    private long nextHeartbeatNanos;
    /** When the loop last sent its heartbeats, or READY on new connections; volatile for {@link #isCurrent}. */
    private volatile long lastHeartbeatNanos;
    /** Requests handed to the pool whose replies have not come back, over all links and generations. */
    private int handlersRunning;

    WorkerLoop(WorkerConfig config, ZContext context, boolean ownsContext, MessageCodec codec, Mailbox<Object> mailbox,
               HandlerPool handlers, SingleWriterCounts counts, EndpointLookup lookup, CompletableFuture<Void> started) {
        this.config = config;
        this.context = context;
        this.ownsContext = ownsContext;
        this.codec = codec;
        this.mailbox = mailbox;
        this.handlers = handlers;
        this.counts = counts;
        this.lookup = lookup;
        this.started = started;
        this.links = new ClientLink[config.endpoints().size()];
        for (int i = 0; i < links.length; i++) {
            links[i] = new ClientLink(i, config.endpoints().get(i));
        }
        this.curveKeys = config.curveServerKey().isEmpty() ? null : config.curvePublicKey()
                .map(publicKey -> new CurveKeys.KeyPair(publicKey, config.curveSecretKey()))
                .orElseGet(CurveKeys::generate);
        this.heartbeatNanos = config.heartbeatInterval().toNanos();
        this.standStillLimitNanos = heartbeatNanos * (config.liveness() + 1);
        this.progress = new LoopProgress(config.heartbeatInterval());
        int heartbeatMillis = (int) config.heartbeatInterval().toMillis();
        this.heartbeat = new WireMessage.Heartbeat(heartbeatMillis);
        this.ready = new WireMessage.Ready(config.slotsPerClient(), heartbeatMillis, config.maxMessageSize(),
                config.serviceName(), config.label());
    }

    /** When this loop last came round, for health checks. */
    LoopProgress progress() {
        return progress;
    }

    @Override
    public void run() {
        if (curveKeys != null) {
            // The key a client's curve-worker-keys must list for this worker to join it.
            LOG.log(Level.INFO, "Worker of service '" + config.serviceName() + "' encrypts with CURVE; its public key is "
                    + curveKeys.publicKey() + (config.curvePublicKey().isPresent() ? " (curve-secret-key)"
                    : ", made for this start (set curve-secret-key to keep one that a client can list)"));
        }
        try {
            waiter = new SocketWaiter(mailbox);
            FrameBudget.warnIfLargerThanBudget("The worker of service '" + config.serviceName() + "'",
                    config.maxMessageSize());
            connectAtStart();
        } catch (RuntimeException | Error e) {
            closeSockets();
            mailbox.close();
            started.completeExceptionally(e);
            return;
        }
        started.complete(null);
        try {
            loop();
        } catch (RuntimeException | Error e) {
            if (Causes.isContextTerminated(e, context)) { // the owner's mistake, not ours: no stack trace
                LOG.log(Level.ERROR, "Worker of service '" + config.serviceName() + "' stopped: "
                        + Causes.CONTEXT_CLOSED_FIRST);
            } else {
                LOG.log(Level.ERROR, "Worker of service '" + config.serviceName() + "' stopped unexpectedly", e);
            }
        } finally {
            counts.set(CLIENTS, 0);
            counts.set(RUNNING, 0);
            if (!farewellSent) {
                sendToAll(WireMessage.Disconnect.INSTANCE);
            }
            closeSockets();
            mailbox.close();
            if (ownsContext) {
                Thread.interrupted(); // it would make ZeroMQ give up terminating
                context.close(); // here rather than in close(), so that a socket thread late to stop still cleans up
            }
        }
    }

    private void loop() {
        lastHeartbeatNanos = System.nanoTime(); // READY has just gone out on every connection
        nextHeartbeatNanos = lastHeartbeatNanos + heartbeatNanos;
        Runnable stopWatchingContext = context instanceof WatchedContext watched
                ? watched.onDeath(() -> mailbox.post(ContextDied.WAKE)) : () -> { };
        try {
            serve();
        } finally {
            stopWatchingContext.run();
        }
    }

    /** Mailbox item that wakes the loop when a thread of its ZeroMQ context died. */
    private enum ContextDied { WAKE }

    private void serve() {
        while (running) {
            progress.turned();
            // Nothing interrupts a socket thread on purpose; an interrupt left would make every wait return at once.
            Thread.interrupted();
            String death = WatchedContext.deathOf(context);
            if (death != null) {
                // No message can come or go any more: stop, as after any other failure.
                throw new IllegalStateException(death);
            }
            replaceConnectionsIfStoodStill(); // before the replies of the mailbox go out on connections it replaces
            int work = takeMailbox();
            for (ClientLink link : links) {
                work += receiveBatch(link);
            }
            long now = System.nanoTime();
            if (now - nextHeartbeatNanos >= 0) {
                replaceConnectionsIfStoodStill(); // the loop may have stood still after its last read
                lastHeartbeatNanos = now;
                nextHeartbeatNanos = now + heartbeatNanos;
                heartbeatAndReconnectSilentClients(now);
            }
            long wakeAt = draining
                    ? (drainDeadlineNanos - nextHeartbeatNanos < 0 ? drainDeadlineNanos : nextHeartbeatNanos)
                    : connectLinksDue(now, nextHeartbeatNanos);
            publishLevels();
            if (draining && now - drainDeadlineNanos >= 0) {
                refuseNotStarted();
                running = false;
            } else if (draining && farewellSent && allGoodbyesAnswered()) {
                running = false;
            } else if (draining && !farewellSent && handlersRunning == 0 && allGoodbyesAnswered()) {
                sayFarewell();
            } else if (work == 0) {
                waiter.await(wakeAt - System.nanoTime());
            }
        }
    }

    /**
     * The grace has ended with requests admitted but not started: they are refused, so that the client sends
     * them to another worker, rather than left unanswered, which would fail their callers with this worker.
     */
    private void refuseNotStarted() {
        for (ClientLink link : links) {
            List<HandlerTask> notStarted = handlers.discardQueued(task -> task.cameOn(link.index, link.generation));
            handlersRunning -= notStarted.size();
            for (HandlerTask task : notStarted) {
                link.inFlight--;
                send(link, encode(link, new WireMessage.Refuse(task.correlationId())));
            }
        }
    }

    /**
     * When the loop stood still, and sent no heartbeat, for longer than the clients wait for one (the process
     * was frozen, paused or starved of CPU), they have dropped this worker and failed or sent again its calls.
     * What they sent meanwhile is still unread, from callers that have given up, and would only now be run: every
     * connection is then replaced, which discards it. Not while draining, which never reconnects.
     */
    private void replaceConnectionsIfStoodStill() {
        long now = System.nanoTime();
        if (!stoodStill(now) || draining) {
            return;
        }
        String reason = "this worker stood still for " + TimeUnit.NANOSECONDS.toMillis(now - lastHeartbeatNanos)
                + " ms (frozen, paused or starved of CPU), longer than its clients wait for its heartbeats: what they "
                + "sent meanwhile is not run, its callers have likely given up";
        for (ClientLink link : links) {
            if (link.socket != null) {
                reconnect(link, reason);
            }
        }
        // Only now that every connection is new: until then a handler thread must find the standstill (isCurrent).
        lastHeartbeatNanos = System.nanoTime(); // READY has gone out on every new connection
    }

    private boolean stoodStill(long now) {
        return now - lastHeartbeatNanos > standStillLimitNanos;
    }

    /** Publishes the levels of the statistics. */
    private void publishLevels() {
        int clients = 0;
        for (ClientLink link : links) {
            if (link.socket != null && link.registered) {
                clients++;
            }
        }
        counts.set(CLIENTS, clients);
        counts.set(RUNNING, handlersRunning);
    }

    // ---- links

    /**
     * Connects every link as the worker starts, when looking hosts up on this thread holds up nobody. Every host
     * is looked up first, so that a worker that cannot start has joined no client: it cannot when no host
     * resolves, which is most likely a mistake in its configuration. A host that does not resolve while others
     * do is taken for a client that is not up yet (its container is being replaced): that link is tried again
     * in the background, as after a reconnect, while the worker serves the others.
     */
    private void connectAtStart() {
        EndpointLookup.Result[] found = new EndpointLookup.Result[links.length];
        List<String> unresolved = new ArrayList<>();
        for (ClientLink link : links) {
            found[link.index] = lookup.resolve(link.endpoint, ipv6());
            if (found[link.index].failure() != null) {
                unresolved.add(link.endpoint);
            }
        }
        if (unresolved.size() == links.length) {
            EndpointConnectException first = doesNotResolve(links[0], found[0].failure());
            if (links.length == 1) {
                throw first;
            }
            throw new EndpointConnectException(config.serviceName(), links[0].endpoint, "no host name of its clients "
                    + "resolves: " + String.join(", ", unresolved) + "; the first: " + doesNotResolve(
                    found[0].failure().getMessage()), first.getCause());
        }
        for (ClientLink link : links) {
            if (found[link.index].failure() == null) {
                connect(link, found[link.index].address());
            } else {
                connectAgainFailed(link, doesNotResolve(link, found[link.index].failure()));
            }
        }
    }

    /** Connects a link to {@code address}, its endpoint with the host looked up already. */
    private void connect(ClientLink link, String address) {
        ZMQ.Socket socket = context.createSocket(SocketType.DEALER);
        JeroMqWakeupFix.applyTo(socket);
        socket.setLinger(0);
        socket.setMaxMsgSize(config.maxMessageSize());
        FrameSizeGuard.applyTo(socket, config.maxMessageSize());
        socket.setReconnectIVLMax(1000);
        // A connection whose handshake stalls is abandoned and retried rather than left mute.
        socket.setHandshakeIvl(1000);
        ConnectionLossNotice.reportBrokenConnections(socket);
        // Replies are bounded by the slots we announce; a client that leaves more than those and a few
        // heartbeats unread is not reading, and send() replaces the connection (as it does one that
        // ZeroMQ has closed for good).
        socket.setSndHWM(FrameIO.SEND_HIGH_WATER_MARK);
        if (curveKeys != null) {
            CurveSecurity.connectAs(socket, curveKeys, config.curveServerKey().orElseThrow());
        }
        if (EndpointLookup.isIpv6(address)) {
            socket.setIPv6(true); // else JeroMQ finds no such address, whatever the context's option says
        }
        try {
            socket.connect(address);
        } catch (RuntimeException e) {
            socket.close();
            throw new EndpointConnectException(config.serviceName(), link.endpoint, connectFailure(e), e);
        }
        link.socket = socket;
        waiter.watch(socket);
        link.generation++;
        link.registered = false;
        link.heardFromClient = false;
        link.inFlight = 0;
        link.nonce = SessionNonces.draw();
        link.clientNonce = 0;
        link.lastHeardNanos = System.nanoTime();
        link.silenceLimitNanos = heartbeatNanos * config.liveness();
        // Queued by ZeroMQ until the connection is up, so the client sees READY first.
        FrameIO.send(socket, null, encode(link, ready));
    }

    /** Why a connect failed; a name JeroMQ looks up itself (an endpoint with a source address) may not resolve. */
    private static String connectFailure(RuntimeException e) {
        String message = e.getMessage() != null ? e.getMessage() : e.toString();
        return Causes.find(e, UnknownHostException.class).isPresent() ? doesNotResolve(message) : message;
    }

    private static String doesNotResolve(String lookupFailure) {
        return "its host name does not resolve (" + lookupFailure + ")";
    }

    private EndpointConnectException doesNotResolve(ClientLink link, UnknownHostException failure) {
        return new EndpointConnectException(config.serviceName(), link.endpoint, doesNotResolve(failure.getMessage()), failure);
    }

    /**
     * Reconnects a link on which nothing has come: the client is not up, or it drops what this worker
     * signs (another passphrase), or the ZeroMQ handshake failed; only the client may log why (when
     * the two sides disagree on CURVE, neither may).
     */
    private void reconnectUnanswered(ClientLink link, long silentMillis) {
        String hint = "is the client up, with the same passphrase (its log says if not)" + (curveKeys != null
                ? ", and does it use CURVE with the key pair of curve-server-key? A client with curve-worker-keys takes "
                        + "only the workers whose public key it lists, and this one's is " + curveKeys.publicKey()
                : "? A client that uses CURVE needs curve-server-key here");
        reconnectNotJoined(link, ClientLink.NotJoined.UNANSWERED, "nothing came on this connection in " + silentMillis + " ms: " + hint);
    }

    /**
     * Reconnects a link on which the client answered only that it does not know this worker: it refused
     * the READY, and its log says why.
     */
    private void reconnectRefused(ClientLink link, long silentMillis) {
        reconnectNotJoined(link, ClientLink.NotJoined.REFUSED, "the client did not take this worker in " + silentMillis + " ms: a service name "
                + "other than '" + config.serviceName() + "', or maxWorkers reached? (its log says which)");
    }

    /**
     * Says each reason the first time at INFO, then at DEBUG, so that a worker that can never join does not
     * flood its log, yet says so when the reason changes (a client it could not reach that now refuses it).
     */
    private void reconnectNotJoined(ClientLink link, ClientLink.NotJoined why, String reason) {
        // Said at INFO once per reason already: not through the limiter, where another link's flood could hide it.
        reconnect(link, LOG, link.notJoinedReported == why ? Level.DEBUG : Level.INFO, reason);
        link.notJoinedReported = why;
    }

    private void reconnect(ClientLink link, String reason) {
        reconnect(link, reconnectLog, Level.INFO, reason);
    }

    private void reconnect(ClientLink link, System.Logger log, Level level, String reason) {
        log.log(level, "Worker of service '" + config.serviceName() + "' reconnects to " + link.endpoint + " because "
                + reason);
        closeConnection(link);
        connectAgain(link);
    }

    /** Closes a link's connection and forgets what came on it. */
    private void closeConnection(ClientLink link) {
        waiter.unwatch(link.socket);
        link.socket.close();
        link.socket = null;
        int replaced = link.generation;
        link.generation++; // first, so that a handler taking an old request sees it is stale
        link.inFlight = 0;
        // Requests of the old connection not started yet would only be answered into the void; their
        // memory is freed now, so that reconnects cannot pile them up while the handlers are busy.
        handlersRunning -= handlers.discardQueued(task -> task.cameOn(link.index, replaced)).size();
    }

    /**
     * Connects a link whose socket is gone. Its host name is looked up on another thread, whose answer
     * comes back through the mailbox ({@link #onAddressFound}). The name may not resolve for a while
     * (the client's machine or container is being replaced): then the link stays without a socket and
     * the loop tries again, further and further apart up to {@link #MAX_CONNECT_RETRY_NANOS}, rather
     * than the worker giving up on that client for good. One warning per outage, one line when it ends.
     */
    private void connectAgain(ClientLink link) {
        if (!EndpointLookup.needsLookup(link.endpoint)) {
            connectAgainTo(link, link.endpoint);
            return;
        }
        link.lookingUp = true;
        link.lookupStartedNanos = System.nanoTime();
        link.slowLookupReported = false;
        // The lookup may outlive the worker: it keeps hold of the mailbox only, not of this loop.
        Mailbox<Object> answers = mailbox;
        int linkIndex = link.index;
        try {
            lookup.resolveInBackground(link.endpoint, ipv6(), found -> answers.post(new AddressFound(linkIndex, found)));
        } catch (RuntimeException | OutOfMemoryError noThread) { // no thread can be made just now
            link.lookingUp = false;
            connectAgainFailed(link, new EndpointConnectException(config.serviceName(), link.endpoint,
                    "no thread can be started to look its host name up (" + noThread + ")", noThread));
        }
    }

    /** Whether ZeroMQ's IPv6 option is on in the context the worker's sockets are made in. */
    private boolean ipv6() {
        return context.getContext().isIPv6();
    }

    /**
     * Tries again to connect the links whose next attempt is due; returns the earlier of {@code wakeAt}
     * and the next attempt that is not due yet.
     */
    private long connectLinksDue(long now, long wakeAt) {
        for (ClientLink link : links) {
            if (link.awaitsConnectAttempt() && now - link.nextConnectNanos >= 0) {
                connectAgain(link);
            }
            if (link.awaitsConnectAttempt() && link.nextConnectNanos - wakeAt < 0) {
                wakeAt = link.nextConnectNanos;
            }
        }
        return wakeAt;
    }

    private void onAddressFound(AddressFound found) {
        ClientLink link = links[found.linkIndex()];
        link.lookingUp = false;
        if (link.socket != null || draining) {
            return;
        }
        if (found.result().failure() != null) {
            connectAgainFailed(link, doesNotResolve(link, found.result().failure()));
        } else {
            connectAgainTo(link, found.result().address());
        }
    }

    private void connectAgainTo(ClientLink link, String address) {
        try {
            connect(link, address);
        } catch (RuntimeException e) {
            if (Causes.isContextTerminated(e, context)) {
                throw e; // no socket can ever be made again: stop, as the context says
            }
            connectAgainFailed(link, e); // no socket can be made just now
            return;
        }
        if (link.failedConnects > 0) {
            LOG.log(Level.INFO, "Worker of service '" + config.serviceName() + "' connected to " + link.endpoint
                    + " again after " + link.failedConnects + (link.failedConnects == 1 ? " failed attempt" : " failed attempts"));
            link.failedConnects = 0;
        }
    }

    private void connectAgainFailed(ClientLink link, RuntimeException e) {
        link.failedConnects++;
        long backoff = heartbeatNanos << Math.min(link.failedConnects - 1, 16);
        link.nextConnectNanos = System.nanoTime() + Math.min(Math.max(backoff, heartbeatNanos), MAX_CONNECT_RETRY_NANOS);
        String failure = e instanceof EndpointConnectException ? e.getMessage() : "Worker of service '"
                + config.serviceName() + "' cannot connect to " + link.endpoint + ": " + e;
        LOG.log(link.failedConnects == 1 ? Level.WARNING : Level.DEBUG, failure + "; trying again, at most "
                + TimeUnit.NANOSECONDS.toSeconds(MAX_CONNECT_RETRY_NANOS) + " s apart");
    }

    private void heartbeatAndReconnectSilentClients(long now) {
        for (ClientLink link : links) {
            if (link.socket == null) {
                link.goodbyeUnanswered = false; // nothing can come from a client we are not connected to
                reportSlowLookup(link, now);
            } else if (!link.isSilentAt(now)) {
                send(link, encode(link, heartbeat));
            } else if (draining) {
                link.goodbyeUnanswered = false; // a client that is gone sends nothing more
                FrameIO.send(link.socket, null, encode(link, heartbeat));
            } else {
                long silentMillis = TimeUnit.NANOSECONDS.toMillis(now - link.lastHeardNanos);
                if (link.registered) {
                    reconnect(link, "it was silent for " + silentMillis + " ms");
                } else if (link.heardFromClient) {
                    reconnectRefused(link, silentMillis);
                } else {
                    reconnectUnanswered(link, silentMillis);
                }
            }
        }
    }

    /** Says once, at a heartbeat, when a lookup has taken longer than its connection's silence limit. */
    private void reportSlowLookup(ClientLink link, long now) {
        if (link.lookingUp && !link.slowLookupReported && now - link.lookupStartedNanos > link.silenceLimitNanos) {
            link.slowLookupReported = true;
            LOG.log(Level.WARNING, "Worker of service '" + config.serviceName() + "' has waited "
                    + TimeUnit.NANOSECONDS.toMillis(now - link.lookupStartedNanos) + " ms for the name service to look up "
                    + "the host of " + link.endpoint + "; it connects to that client again once it answers");
        }
    }

    /**
     * Every reply is sent and no request can come any more: says goodbye again, and waits for the
     * answers before closing. Messages on a connection arrive in order, so an answer tells that the
     * client has read every reply before it; a socket closed sooner could lose the end of a large
     * reply still on its way, since a connection closed with data unsent is reset as soon as the
     * client's next heartbeat reaches it.
     */
    private void sayFarewell() {
        farewellSent = true;
        sayGoodbye();
    }

    /** Sends DISCONNECT to every connected client, each of which is to answer it. */
    private void sayGoodbye() {
        for (ClientLink link : links) {
            link.goodbyeUnanswered = link.socket != null;
        }
        sendToAll(WireMessage.Disconnect.INSTANCE);
    }

    private boolean allGoodbyesAnswered() {
        for (ClientLink link : links) {
            if (link.goodbyeUnanswered) {
                return false;
            }
        }
        return true;
    }

    // ---- messages from clients

    /** Reads what is waiting from one client, up to a batch; returns how many messages it read. */
    private int receiveBatch(ClientLink link) {
        ZMQ.Socket socket = link.socket;
        if (socket == null) {
            return 0;
        }
        int messages = 0;
        for (; messages < RECEIVE_BATCH; messages++) {
            replaceConnectionsIfStoodStill(); // before each read: the loop may stand still anywhere, even mid-batch
            if (socket != link.socket) {
                break;
            }
            int count = FrameIO.receive(socket, received, config.maxMessageSize(), false, null);
            if (count == 0) {
                break;
            }
            if (count < 0) {
                String why = count == FrameIO.TOO_LARGE ? "larger than maxMessageSize"
                        : count == FrameIO.OVER_BUDGET ? "it had no memory for (" + FrameIO.overBudget() + ")"
                        : "with too many frames";
                droppedMessageLog.log(Level.WARNING, "Worker dropped a message from " + link.endpoint + " " + why);
                replaceIfRegistered(link, why);
                continue;
            }
            if (count == 1 && ConnectionLossNotice.is(received[0])) {
                onConnectionBroken(link);
                continue;
            }
            try {
                WireMessage message = codec.decode(received, count);
                if (isOfSession(link, message, received[0])) {
                    handle(link, message);
                } else {
                    replaceIfRegistered(link, "of another session");
                }
            } catch (MalformedMessageException e) {
                droppedMessageLog.log(Level.WARNING, "Worker dropped a message from " + link.endpoint + ": " + e.getMessage());
                replaceIfRegistered(link, e.getMessage());
            }
        }
        return messages;
    }

    /**
     * After a dropped message (docs/PROTOCOL.md §6): one that came on a connection the client has registered
     * means that client is faulty, and what it meant to send is lost. A REQUEST lost so would hold one of the
     * worker's slots at the client until the connection ends; replacing the connection makes the client settle
     * that connection's calls, as the client drops a registered worker that sends such a message. Before
     * registration the message may come from whatever listens at the address, and the silence check is left to
     * deal with it. A draining worker starts no new session.
     */
    private void replaceIfRegistered(ClientLink link, String why) {
        if (link.registered && !draining) {
            reconnect(link, "the client sent a message that was dropped: " + why);
        }
    }

    /**
     * The connection to a client broke. ZeroMQ connects again by itself, but the session is over: the
     * client knows the new connection only as a stranger's (§7.4). So a registered link announces itself
     * again at once, on a fresh connection, rather than at its next message there (§7.5). A link that never
     * joined is left to the silence check, as for a DISCONNECT, so that an endpoint that closes every
     * connection is not hammered with reconnects. A draining worker starts no new session: it closes the
     * link, and so waits for no answer on it.
     */
    private void onConnectionBroken(ClientLink link) {
        if (draining) {
            closeConnection(link);
            link.goodbyeUnanswered = false;
        } else if (link.registered) {
            reconnect(link, "its connection to the client broke");
        }
    }

    /**
     * Whether an authentic message belongs to the link's session: it names this connection's nonce, and
     * the client's once that is known. The first message that names ours and a nonce of its own fixes
     * the client's. A DISCONNECT naming ours and no nonce of the client's is how a client that does not
     * know this connection says so, at any time. Anything else was recorded in another session and is
     * replayed, or comes from a confused peer: dropped, and no sign of life (on a registered connection the
     * caller then replaces it).
     */
    private boolean isOfSession(ClientLink link, WireMessage message, byte[] header) {
        long sender = MessageCodec.senderNonce(header);
        if (MessageCodec.receiverNonce(header) == link.nonce) {
            if (sender == 0) {
                if (message instanceof WireMessage.Disconnect) {
                    return true;
                }
            } else if (link.clientNonce == 0 || sender == link.clientNonce) {
                link.clientNonce = sender;
                return true;
            }
        }
        otherSessionLog.log(Level.WARNING, "Worker dropped a " + message.command() + " from " + link.endpoint
                + " that belongs to another session (replayed?)");
        return false;
    }

    private void handle(ClientLink link, WireMessage message) {
        link.heardFromClient = true;
        if (message instanceof WireMessage.Disconnect) {
            // Either the client is closing, or it does not know us (it restarted, dropped us, or never
            // got our READY), or it answers our own goodbye. Whichever: it sends no REQUEST after it.
            link.goodbyeUnanswered = false;
            // Announce ourselves again on a fresh connection; one that never accepted us is left to
            // the silence check, so a client that refuses us is not hammered with reconnects. Not a
            // sign of life: a client that answers every heartbeat so must still let the silence limit
            // come, or a worker whose READY was lost would never send another.
            if (link.registered && !draining) {
                reconnect(link, "the client said goodbye or forgot this worker");
            }
            return;
        }
        link.lastHeardNanos = System.nanoTime();
        if (message instanceof WireMessage.Request request) {
            onRequest(link, request);
        } else if (message instanceof WireMessage.Heartbeat beat) {
            if (!link.registered) {
                link.registered = true;
                // Tells the client at once that we know its nonce: it gives us work only from then on.
                send(link, encode(link, heartbeat));
            }
            link.notJoinedReported = null;
            link.silenceLimitNanos = TimeUnit.MILLISECONDS.toNanos(beat.intervalMillis()) * config.liveness();
        } else {
            workerCommandLog.log(Level.WARNING, "Worker got a " + message.command() + " from " + link.endpoint
                    + "; clients must not send it");
        }
    }

    private void onRequest(ClientLink link, WireMessage.Request request) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(request.ttlMillis());
        if (draining || link.inFlight >= config.slotsPerClient()) {
            // Not started, so the client may give it to another worker.
            counts.increment(REFUSED);
            send(link, encode(link, new WireMessage.Refuse(request.correlationId())));
            return;
        }
        counts.increment(REQUESTS);
        link.inFlight++;
        handlersRunning++;
        handlers.execute(new HandlerTask(request, deadline, link.index, link.generation, link.nonce, link.clientNonce,
                this));
    }

    // ---- replies and control from other threads

    /** Sends the replies handlers finished and acts on control items; returns how many it took. */
    private int takeMailbox() {
        int items = 0;
        Object item;
        while ((item = mailbox.take()) != null) {
            items++;
            if (item instanceof HandlerTask.Outgoing reply) {
                handlersRunning--;
                counts.increment(HANDLED);
                if (reply.statusCode() >= 500) {
                    counts.increment(FAILED);
                }
                replaceConnectionsIfStoodStill(); // the loop may have stood still in a send before this one
                ClientLink link = links[reply.linkIndex()];
                if (link.generation == reply.generation()) {
                    link.inFlight--;
                    send(link, reply.frames());
                }
            } else if (item instanceof AddressFound found) {
                onAddressFound(found);
            } else if (item instanceof Drain drain && !draining) {
                draining = true;
                drainDeadlineNanos = drain.deadlineNanos();
                // Clients stop sending to us but still take the replies we owe them. Until a client
                // answers, a REQUEST it sent before reading this may still arrive, and is refused:
                // even on a connection not registered yet, since the client may have taken our READY
                // and sent requests before we read the HEARTBEAT that registers it.
                sayGoodbye();
            }
        }
        return items;
    }

    private void send(ClientLink link, byte[][] frames) {
        if (link.socket == null || FrameIO.send(link.socket, null, frames)) {
            return; // without a socket there is no client to answer; the link's next connection starts afresh
        }
        // A DEALER's send fails at the high-water mark (the client does not read), and also once
        // ZeroMQ has closed the connection for good, as it does after a protocol error (a frame over
        // maxMessageSize): it does not reconnect then. One that merely breaks it reconnects itself.
        if (!link.heardFromClient) {
            return; // ZeroMQ has dropped a connection whose handshake failed; the silence check reconnects it
        }
        if (draining) {
            sendFailureLog.log(Level.WARNING, "Worker could not send to " + link.endpoint + ": " + SEND_FAILED);
        } else {
            reconnect(link, "a send failed: " + SEND_FAILED);
        }
    }

    private void sendToAll(WireMessage message) {
        for (ClientLink link : links) {
            if (link.socket != null) {
                FrameIO.send(link.socket, null, encode(link, message));
            }
        }
    }

    /** The frames of a message on the link's current connection, in its session. */
    private byte[][] encode(ClientLink link, WireMessage message) {
        return codec.encode(message, link.nonce, link.clientNonce);
    }

    private void closeSockets() {
        if (waiter != null) {
            waiter.close();
        }
        for (ClientLink link : links) {
            if (link.socket != null) {
                link.socket.setLinger(CLOSE_LINGER_MILLIS);
                link.socket.close();
            }
        }
    }

    // ---- HandlerTask.WorkerContext

    @Override
    public RouteTable<RequestHandler> routes() {
        return config.routes();
    }

    @Override
    public MessageCodec codec() {
        return codec;
    }

    @Override
    public JsonSupport json() {
        return config.json();
    }

    @Override
    public int maxMessageSize() {
        return config.maxMessageSize();
    }

    @Override
    public RateLimitedLogger handlerFailures() {
        return handlerFailures;
    }

    @Override
    public boolean isCurrent(int linkIndex, int generation) {
        // A loop that stood still too long replaces every connection before it sends or reads anything more, unless
        // draining; a handler thread that runs first must not start what came on them either.
        // The standstill first: the loop moves the connections on before it resets the time it is judged by.
        return (draining || !stoodStill(System.nanoTime())) && links[linkIndex].generation == generation;
    }

    @Override
    public boolean handlersStopped() {
        return handlers.isStopped();
    }

    @Override
    public void deliver(HandlerTask.Outgoing reply) {
        mailbox.post(reply);
    }
}
