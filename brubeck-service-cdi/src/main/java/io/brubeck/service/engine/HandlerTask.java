package io.brubeck.service.engine;

import static io.brubeck.service.api.ServiceReply.BAD_REQUEST;
import static io.brubeck.service.api.ServiceReply.GATEWAY_TIMEOUT;
import static io.brubeck.service.api.ServiceReply.METHOD_NOT_ALLOWED;
import static io.brubeck.service.api.ServiceReply.NOT_FOUND;
import static io.brubeck.service.api.ServiceReply.SERVER_ERROR;
import static io.brubeck.service.api.ServiceReply.SERVICE_UNAVAILABLE;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.wire.MessageCodec;
import io.brubeck.service.wire.WireMessage;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one request on the handler pool: routes it, runs the handler, and encodes and signs the reply
 * there too, so the socket thread only moves frames. Every request gets exactly one reply, which is
 * what returns the slot to the client.
 */
final class HandlerTask implements Runnable {
    private static final System.Logger LOG = System.getLogger(HandlerTask.class.getName());
    private static final int REPLY_OVERHEAD = 160;

    /** A finished reply on its way back to the socket thread, with the status it carries, for the statistics. */
    record Outgoing(int linkIndex, int generation, int statusCode, byte[][] frames) {
    }

    /** A reply encoded, and the status it carries: 500 when the handler's own reply could not be encoded. */
    record Encoded(int statusCode, byte[][] frames) {
    }

    private final WireMessage.Request request;
    private final long deadlineNanos;
    private final int linkIndex;
    private final int generation;
    private final long workerNonce;
    private final long clientNonce;
    private final WorkerContext worker;
    /** Taken by whichever comes first: a handler thread running the task, or the socket thread discarding it. */
    private final AtomicBoolean claimed = new AtomicBoolean();

    /** What a task needs of its worker. */
    interface WorkerContext {
        RouteTable<RequestHandler> routes();

        MessageCodec codec();

        JsonSupport json();

        int maxMessageSize();

        RateLimitedLogger handlerFailures();

        void deliver(Outgoing reply);

        /** Whether the connection a request came on is still the current one for its client. */
        boolean isCurrent(int linkIndex, int generation);

        /** Whether the worker's stop has interrupted its handlers, at the end of its shutdown grace. */
        boolean handlersStopped();
    }

    /** {@code workerNonce} and {@code clientNonce} are the session's of the connection the request came on. */
    HandlerTask(WireMessage.Request request, long deadlineNanos, int linkIndex, int generation, long workerNonce,
                long clientNonce, WorkerContext worker) {
        this.request = request;
        this.deadlineNanos = deadlineNanos;
        this.linkIndex = linkIndex;
        this.generation = generation;
        this.workerNonce = workerNonce;
        this.clientNonce = clientNonce;
        this.worker = worker;
    }

    /** Whether this request came on the given generation of the given connection. */
    boolean cameOn(int linkIndex, int generation) {
        return this.linkIndex == linkIndex && this.generation == generation;
    }

    /** The correlation id of the request, for a REFUSE of it. */
    long correlationId() {
        return request.correlationId();
    }

    /** Claims the task so that it never runs; false when a handler thread has taken it already. */
    boolean discard() {
        return claimed.compareAndSet(false, true);
    }

    @Override
    public void run() {
        if (!claimed.compareAndSet(false, true)) {
            return; // discarded: its connection was replaced, and the socket thread no longer waits for it
        }
        long start = System.currentTimeMillis();
        Encoded reply;
        try {
            reply = encode(handle(), start);
        } catch (Throwable e) { // the reply is what returns the slot: it goes out whatever happened
            reply = encode(ServiceReply.status(SERVER_ERROR, "The request failed: " + describe(e)), start);
        }
        worker.deliver(new Outgoing(linkIndex, generation, reply.statusCode(), reply.frames()));
    }

    private ServiceReply handle() {
        if (!worker.isCurrent(linkIndex, generation)) {
            // The client session this came from is gone; its reply would be dropped anyway.
            return ServiceReply.status(SERVICE_UNAVAILABLE, "The connection this request came on was replaced");
        }
        if (System.nanoTime() - deadlineNanos >= 0) {
            return ServiceReply.status(GATEWAY_TIMEOUT, "The caller's deadline passed before the work started");
        }
        String path = new String(request.path(), StandardCharsets.UTF_8);
        Optional<Method> method = MethodNames.parse(request.method());
        if (method.isEmpty()) {
            return ServiceReply.status(METHOD_NOT_ALLOWED,
                    "METHOD '" + new String(request.method(), StandardCharsets.UTF_8) + "' is not supported");
        }
        if (PeerText.hasControl(path)) {
            // No route takes such a path, whatever its pattern: Java's $ also matches before a final line
            // terminator, so ^/a$ would take "/a\n"; and a handler could pass the path on into a log line.
            return ServiceReply.status(NOT_FOUND, "No route for " + PeerText.forLog(path));
        }
        RouteTable.Match<RequestHandler> match = worker.routes().match(path, method.get());
        switch (match.outcome()) {
            case NO_PATH:
                return ServiceReply.status(NOT_FOUND, "No route for " + path);
            case NO_METHOD:
                return ServiceReply.status(METHOD_NOT_ALLOWED,
                        "METHOD '" + method.get().wireName() + "' is not allowed on " + path);
            default:
                break;
        }
        try {
            ServiceReply reply = match.handler().handle(
                    new ReceivedRequest(path, method.get(), request, deadlineNanos, match.route().pattern(), worker.json()));
            return reply == null ? ServiceReply.ok() : reply;
        } catch (Throwable e) { // even after an Error the caller gets its answer, or it would wait for its deadline
            Optional<MalformedRequestException> malformed = MalformedRequestException.in(e);
            if (malformed.isPresent()) {
                return ServiceReply.status(BAD_REQUEST, malformed.get().getMessage()); // the sender's fault: not logged
            }
            if (worker.handlersStopped() && isInterruption(e)) {
                // The worker's own stop interrupted it: the handler did not fail, and the caller's error says so.
                LOG.log(Level.INFO, "Handler for " + PeerText.forLog(path) + " was interrupted as the worker stopped");
                return ServiceReply.status(SERVER_ERROR, describe(e));
            }
            worker.handlerFailures().log(Level.WARNING, "Handler for " + PeerText.forLog(path) + " failed: " + e);
            LOG.log(Level.DEBUG, "Handler failure detail", e);
            return ServiceReply.status(SERVER_ERROR, describe(e));
        }
    }

    /** Whether a failure comes of the thread's interruption, even wrapped in another exception. */
    private static boolean isInterruption(Throwable e) {
        // Not InterruptedIOException: its SocketTimeoutException comes of a timeout, whatever the thread's interrupt.
        return Causes.find(e, InterruptedException.class).isPresent()
                || Causes.find(e, ClosedByInterruptException.class).isPresent();
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /**
     * Encodes a reply; one that cannot be written, or is too large, becomes a 500 saying why, and is logged as a
     * handler failure is: the handler's work is lost, and JSON-B's own log line does not say whose it was.
     */
    Encoded encode(ServiceReply reply, long startMillis) {
        byte[] payload;
        byte[] headers;
        try {
            payload = worker.json().writeObject(reply.payload());
            headers = JsonSupport.writeHeaders(reply.headers());
        } catch (RuntimeException e) {
            return replyFailed("The reply could not be written as JSON: " + describe(e), e, startMillis);
        }
        int maxMessageSize = worker.maxMessageSize();
        byte[] status = reply.statusMessage().getBytes(StandardCharsets.UTF_8);
        long size = (long) payload.length + headers.length + reply.body().length + status.length + REPLY_OVERHEAD;
        if (size > maxMessageSize) {
            return replyFailed("The reply is " + size + " bytes; the limit is " + maxMessageSize, null, startMillis);
        }
        return new Encoded(reply.statusCode(), worker.codec().encode(new WireMessage.Reply(request.correlationId(),
                reply.statusCode(), startMillis, System.currentTimeMillis(), status, MethodNames.bytes(reply.method()),
                headers, payload, reply.body()), workerNonce, clientNonce));
    }

    /** A reply that could not be sent: logged with the request's path, and answered with a 500 saying why. */
    private Encoded replyFailed(String why, Throwable cause, long startMillis) {
        String path = PeerText.forLog(new String(request.path(), StandardCharsets.UTF_8));
        worker.handlerFailures().log(Level.WARNING, "Handler for " + path + " failed: " + why);
        if (cause != null) {
            LOG.log(Level.DEBUG, "Why the reply for " + path + " could not be sent", cause);
        }
        return encode(ServiceReply.status(SERVER_ERROR, why), startMillis);
    }
}
