package io.brubeck.service.engine;

import io.brubeck.service.wire.MessageAuthenticator;
import io.brubeck.service.wire.MessageCodec;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.zeromq.ZContext;

/**
 * The working end of a service: connects to one or more client endpoints, announces the service and
 * its capacity, and runs each request on a bounded handler pool, never on the socket thread.
 *
 * <pre>{@code
 * RouteTable<RequestHandler> routes = RouteTable.<RequestHandler>builder()
 *         .route("^/service/slow$", Method.REQUEST, request -> ServiceReply.ok("Took a while, but I am back."))
 *         .build();
 * try (ServiceWorker worker = ServiceWorker.start(WorkerConfig.builder("slow")
 *         .endpoints("tcp://web1:5555").passphrase(secret).routes(routes).build())) {
 *     ...
 * }
 * }</pre>
 */
public final class ServiceWorker implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ServiceWorker.class.getName());
    private static final long STOP_MARGIN_MILLIS = 500;

    private final WorkerConfig config;
    private final Mailbox<Object> mailbox = new Mailbox<>();
    private final HandlerPool handlers;
    private final SingleWriterCounts counts = new SingleWriterCounts(WorkerLoop.COUNTS);
    private final Thread loopThread;
    private final LoopProgress progress;
    /** Whether the worker closes its ZeroMQ context itself; a shared one is closed by its owner after close(). */
    private final boolean ownsContext;
    private volatile boolean closed;

    private ServiceWorker(WorkerConfig config, ZContext context, boolean ownsContext, EndpointLookup.HostLookup hosts) {
        this.config = config;
        this.ownsContext = ownsContext;
        // The socket thread admits at most `concurrency + prefetch` requests per client connection;
        // work of a replaced connection not started yet is dropped when the connection is replaced.
        this.handlers = new HandlerPool(config.concurrency(), "brubeck-handler-" + config.serviceName(),
                config.handlerContext().orElse(null));
        CompletableFuture<Void> started = new CompletableFuture<>();
        MessageCodec codec = new MessageCodec(new MessageAuthenticator(config.passphrase()));
        EndpointLookup lookup = new EndpointLookup(hosts, "brubeck-lookup-" + config.serviceName());
        WorkerLoop loop = new WorkerLoop(config, context, ownsContext, codec, mailbox, handlers, counts, lookup, started);
        this.progress = loop.progress();
        this.loopThread = new Thread(loop, "brubeck-worker-" + config.serviceName());
        loopThread.setDaemon(true);
        loopThread.start();
        try {
            started.join();
        } catch (CompletionException e) {
            handlers.shutdownNow();
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * Connects to the configured client endpoints and starts serving, with a ZeroMQ context of its own. A client
     * whose host name does not resolve yet, while another's does, is warned about and tried again in the
     * background, as after a reconnect.
     *
     * @throws EndpointConnectException when an endpoint cannot be connected to, or no endpoint's host name
     *                                  resolves, naming it
     */
    public static ServiceWorker start(WorkerConfig config) {
        return start(config, EndpointLookup.SYSTEM);
    }

    /** Like {@link #start(WorkerConfig)}, looking host names up with {@code hosts}. */
    static ServiceWorker start(WorkerConfig config, EndpointLookup.HostLookup hosts) {
        ZContext context = ZeroMqContexts.create();
        try {
            return new ServiceWorker(config, context, true, hosts);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /**
     * Like {@link #start(WorkerConfig)}, in a shared ZeroMQ context the caller closes afterwards. A context closed
     * first stops the worker, which logs one line saying so.
     *
     * @throws EndpointConnectException when an endpoint cannot be connected to, or no endpoint's host name
     *                                  resolves, naming it
     */
    public static ServiceWorker start(WorkerConfig config, ZContext sharedContext) {
        return start(config, sharedContext, EndpointLookup.SYSTEM);
    }

    /** Like {@link #start(WorkerConfig, ZContext)}, looking host names up with {@code hosts}. */
    static ServiceWorker start(WorkerConfig config, ZContext sharedContext, EndpointLookup.HostLookup hosts) {
        return new ServiceWorker(config, Objects.requireNonNull(sharedContext, "sharedContext"), false, hosts);
    }

    /** The configuration this worker was started with. */
    public WorkerConfig config() {
        return config;
    }

    /**
     * What the worker has done since it started and its levels now, read at once without asking its socket
     * thread: cheap enough to call at every scrape of a metrics endpoint. Still readable once closed.
     */
    public WorkerStatistics statistics() {
        return new WorkerStatistics(config.serviceName(), (int) counts.get(WorkerLoop.CLIENTS),
                (int) counts.get(WorkerLoop.RUNNING), counts.get(WorkerLoop.REQUESTS), counts.get(WorkerLoop.REFUSED),
                counts.get(WorkerLoop.HANDLED), counts.get(WorkerLoop.FAILED));
    }

    /**
     * Whether the worker serves: its socket thread runs and it was not closed. False once {@link #close()}
     * was called, and also when the socket thread stopped on its own after a failure (see its log). For
     * health checks; it says nothing about whether a client is connected, since a worker connects again by
     * itself.
     */
    public boolean isRunning() {
        return !closed && loopThread.isAlive();
    }

    /**
     * Whether the socket thread runs but is stuck: it has not come round its loop, which it does at least once per
     * heartbeat interval even when idle, for three intervals and at least 10 s. Replies then go unsent though
     * {@link #isRunning()} is true; for liveness checks, since restarting the application mends it.
     */
    public boolean isStalled() {
        return isRunning() && progress.stalledAt(System.nanoTime());
    }

    /**
     * Stops taking new requests, lets running handlers finish for up to the configured shutdown
     * grace, sends their replies, says goodbye to every client and stops all threads. Requests taken but not
     * started within the grace are refused, so that their clients send them to another worker; handlers still
     * running after the grace are interrupted and their callers see the worker as unavailable.
     *
     * <p>It also waits, within the grace, until each client has answered the worker's goodbye, so
     * that a request a client sent just before it read the goodbye is refused (and sent to another
     * worker) rather than lost; a client answers at once, so that takes one round trip. Where no
     * client listens, or one went away without a goodbye, an idle worker waits until that client has
     * been silent beyond the liveness window, or to the end of the grace.
     *
     * <p>One thread may outlive it: a lookup of a client's host name that is under way (the worker was
     * connecting to that client again), since the JDK cannot interrupt one. It ends when the name
     * service answers, and keeps nothing of the worker but a small queue meanwhile.
     *
     * <p>Called from one of this worker's own handlers (a route that stops the worker) of a worker with a
     * ZeroMQ context of its own, it returns at once and the worker stops on a thread of its own,
     * {@code brubeck-worker-close}, once that handler has returned and its reply has been sent. With a shared
     * context, which its owner closes once this returns, it waits as from any thread, and that handler's
     * caller sees the worker as unavailable.
     */
    @Override
    public void close() {
        if (ownsContext && handlers.isRunningTaskHere()) {
            // Waiting here for the handlers to finish would wait for this one: its reply would be lost.
            Thread closer = new Thread(this::close, "brubeck-worker-close");
            closer.start();
            return;
        }
        closeAndWait();
    }

    private synchronized void closeAndWait() {
        if (closed) {
            return;
        }
        closed = true;
        // Interrupted or not, the caller wants the worker stopped: drain and wait, then restore it.
        boolean interrupted = Thread.interrupted();
        long graceMillis = config.shutdownGrace().toMillis();
        mailbox.post(new WorkerLoop.Drain(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis)));
        interrupted |= CloseWaits.join(loopThread, graceMillis + STOP_MARGIN_MILLIS);
        handlers.shutdownNow();
        interrupted |= CloseWaits.await(STOP_MARGIN_MILLIS, millis -> handlers.awaitTermination(millis, TimeUnit.MILLISECONDS));
        if (!handlers.isTerminated()) {
            LOG.log(Level.WARNING, "Handlers of service '" + config.serviceName() + "' ignored interruption");
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (loopThread.isAlive()) {
            // It closes an owned context itself when it ends.
            LOG.log(Level.WARNING, "The socket thread of the '" + config.serviceName() + "' worker did not stop in time");
        }
    }
}
