package io.brubeck.service.engine;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * The ZAP handler (ZeroMQ's authentication protocol, RFC 27) of one ZeroMQ context: it lets a worker
 * complete the CURVE handshake with a client that has {@link ClientConfig#curveWorkerKeys()} only when
 * the worker's public key is on that list.
 *
 * <p>JeroMQ's CURVE server asks the handler bound at {@value #ENDPOINT} in its own context about every
 * connection, whatever its ZAP domain, and accepts any key when no handler is bound there. One handler
 * therefore serves every client of a context, and tells them apart by the ZAP domain: a client with a
 * list sets a domain of its own on its socket before it binds ({@link #register}); a request of any other
 * domain, such as the empty one of a client without a list, is accepted, as if no handler were bound.
 *
 * <p>The handler runs on a thread of its own, the only one to use its socket. It starts when the first
 * client of its context with a list registers, and stops, unbinding and closing its socket, when the
 * last one has closed its own socket and unregistered; clients close before their context, so it is gone
 * before the context ends.
 */
final class ZapHandler implements Runnable {
    /** Where ZeroMQ's security mechanisms look for the handler of their context. */
    static final String ENDPOINT = "inproc://zeromq.zap.01";
    private static final System.Logger LOG = System.getLogger(ZapHandler.class.getName());
    /** The start of the domains of clients with a list; one no client holds any more is refused. */
    private static final String DOMAIN_PREFIX = "brubeck-curve-worker-keys-";
    private static final String VERSION = "1.0";
    private static final int CREDENTIALS_FRAME = 6;
    private static final int MAX_FRAMES = 8;
    private static final long STOP_MILLIS = 500;
    private static final Object STOP = new Object();
    /** The running handler of each context; shadows of one context share its handler, as they share its endpoints. */
    private static final Map<ZMQ.Context, ZapHandler> HANDLERS = new IdentityHashMap<>();
    private static final AtomicLong DOMAINS = new AtomicLong();

    private final ZContext context;
    private final Map<String, AllowList> lists = new ConcurrentHashMap<>();
    private final Mailbox<Object> mailbox = new Mailbox<>();
    private final CompletableFuture<Void> bound = new CompletableFuture<>();
    private final Thread thread;

    /**
     * The workers' keys one client accepts, registered with its context's handler until {@link #close()}.
     * Set {@link #domain()} on the client's socket before it binds; close this after closing that socket.
     */
    static final class AllowList implements AutoCloseable {
        private final String domain;
        private final String serviceName;
        private final Set<String> keys;
        private final RateLimitedLogger refusals = new RateLimitedLogger(LOG, 10_000);
        private ZapHandler handler;

        private AllowList(String domain, String serviceName, Set<String> keys) {
            this.domain = domain;
            this.serviceName = serviceName;
            this.keys = keys;
        }

        /** The ZAP domain of the client's socket. */
        String domain() {
            return domain;
        }

        @Override
        public void close() {
            unregister(this);
        }
    }

    private ZapHandler(ZContext context) {
        this.context = context;
        this.thread = new Thread(this, "brubeck-zap");
        thread.setDaemon(true);
    }

    /**
     * Registers the allow-list of a client of {@code config}, which has one, starting the handler of
     * {@code context} when it has none yet.
     *
     * @throws IllegalStateException when the handler cannot bind, for example because the application
     *                               bound a ZAP handler of its own in this context
     */
    static AllowList register(ZContext context, ClientConfig config) {
        // Only ASCII in a domain: JeroMQ sizes the domain frame by the string's length, not its bytes'.
        AllowList list = new AllowList(DOMAIN_PREFIX + DOMAINS.incrementAndGet(), config.serviceName(),
                config.curveWorkerKeys());
        synchronized (HANDLERS) {
            ZapHandler handler = HANDLERS.get(context.getContext());
            if (handler == null) {
                handler = new ZapHandler(context);
                handler.start(config.serviceName());
                HANDLERS.put(context.getContext(), handler);
            }
            list.handler = handler;
            handler.lists.put(list.domain, list);
        }
        return list;
    }

    /** Removes a list; the last one of a context stops its handler. A second call does nothing. */
    private static void unregister(AllowList list) {
        synchronized (HANDLERS) {
            ZapHandler handler = list.handler;
            list.handler = null;
            if (handler == null || handler.lists.remove(list.domain) == null || !handler.lists.isEmpty()) {
                return;
            }
            HANDLERS.remove(handler.context.getContext());
            // Under the lock: a client registering next in this context binds only once this one has unbound.
            handler.stop();
        }
    }

    private void start(String serviceName) {
        thread.start();
        try {
            bound.join();
        } catch (CompletionException e) {
            CloseWaits.join(thread, STOP_MILLIS);
            boolean taken = e.getCause() instanceof ZMQException zmq && zmq.getErrorCode() == ZMQ.Error.EADDRINUSE.getCode();
            throw new IllegalStateException("The client of service '" + serviceName + "' cannot check its "
                    + "curve-worker-keys: " + (taken ? "another ZAP handler is bound at " + ENDPOINT
                    + " in its ZeroMQ context" : "its ZAP handler cannot bind " + ENDPOINT + ": " + e.getCause()), e.getCause());
        }
    }

    private void stop() {
        mailbox.post(STOP);
        if (CloseWaits.join(thread, STOP_MILLIS)) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.log(Level.WARNING, "The ZAP handler did not stop within " + STOP_MILLIS + " ms");
        }
    }

    @Override
    public void run() {
        ZMQ.Socket socket = null;
        SocketWaiter waiter = null;
        try {
            socket = context.createSocket(SocketType.REP);
            JeroMqWakeupFix.applyTo(socket);
            socket.setLinger(0);
            waiter = new SocketWaiter(mailbox);
            socket.bind(ENDPOINT);
            waiter.watch(socket);
        } catch (RuntimeException | Error e) {
            close(socket, waiter, false);
            bound.completeExceptionally(e);
            return;
        }
        bound.complete(null);
        try {
            while (mailbox.take() == null) { // STOP is all it is ever sent
                if (!answer(socket)) {
                    waiter.await(Long.MAX_VALUE);
                }
            }
        } catch (RuntimeException | Error e) {
            if (!(e instanceof ZMQException zmq && zmq.getErrorCode() == ZMQ.Error.ETERM.getCode())) {
                // Failing closed: bound and silent, the handler leaves every handshake that asks it to time out.
                LOG.log(Level.ERROR, "The ZAP handler stopped answering: no worker can join a client with "
                        + "curve-worker-keys in this ZeroMQ context until those clients are restarted", e);
                waiter.unwatch(socket);
                while (mailbox.take() == null) {
                    waiter.await(Long.MAX_VALUE);
                }
            }
        } finally {
            close(socket, waiter, true);
        }
    }

    /**
     * Answers one request, if one is waiting. A REP socket strips the request's empty delimiter frame and
     * adds it to the reply.
     */
    private boolean answer(ZMQ.Socket socket) {
        byte[] first = socket.recv(ZMQ.DONTWAIT);
        if (first == null) {
            return false;
        }
        List<byte[]> request = new ArrayList<>(MAX_FRAMES);
        request.add(first);
        while (socket.hasReceiveMore()) {
            byte[] frame = socket.recv();
            if (request.size() < MAX_FRAMES) {
                request.add(frame);
            }
        }
        boolean accepted = accepts(request);
        socket.sendMore(VERSION);
        socket.sendMore(request.size() > 1 ? request.get(1) : new byte[0]); // the request id, as it came
        socket.sendMore(accepted ? "200" : "400");
        socket.sendMore(accepted ? "OK" : "Not allowed");
        socket.sendMore(""); // user id
        socket.send(new byte[0]); // metadata
        return true;
    }

    /**
     * Whether a request's peer may complete its handshake. Frames: version, request id, domain, address,
     * routing id, mechanism, then the mechanism's credentials (CURVE: the client's public key, 32 bytes).
     */
    private boolean accepts(List<byte[]> request) {
        String domain = request.size() > 2 ? ascii(request.get(2)) : "";
        AllowList list = lists.get(domain);
        if (list == null) {
            // A client without a list, or a socket of the application's: not ours to judge. A domain of
            // ours no client holds any more is a client that is closing.
            return !domain.startsWith(DOMAIN_PREFIX);
        }
        if (request.size() != CREDENTIALS_FRAME + 1 || !VERSION.equals(ascii(request.get(0)))
                || !"CURVE".equals(ascii(request.get(5))) || request.get(CREDENTIALS_FRAME).length != 32) {
            return false;
        }
        String key = ZMQ.Curve.z85Encode(request.get(CREDENTIALS_FRAME));
        if (list.keys.contains(key)) {
            return true;
        }
        list.refusals.log(Level.WARNING, "Client of service '" + list.serviceName + "' refused a worker from "
                + ascii(request.get(3)) + ": its CURVE public key " + key + " is not on curve-worker-keys");
        return false;
    }

    private static String ascii(byte[] frame) {
        return new String(frame, StandardCharsets.US_ASCII);
    }

    private void close(ZMQ.Socket socket, SocketWaiter waiter, boolean unbind) {
        if (waiter != null) {
            waiter.close();
        }
        if (socket != null) {
            if (unbind) {
                try {
                    // At once, unlike close(): the next handler of this context may bind the endpoint right away.
                    socket.unbind(ENDPOINT);
                } catch (RuntimeException e) {
                    LOG.log(Level.DEBUG, () -> "The ZAP handler could not unbind " + ENDPOINT + ": " + e);
                }
            }
            socket.close();
        }
        mailbox.close();
    }
}
