package io.brubeck.service.demo.embedded;

import io.brubeck.service.demo.DemoApplication;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.GrizzlyFuture;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.HttpServerFilter;
import org.glassfish.grizzly.http.server.HttpServerProbe;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.SuspendContext;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * The demo's Jakarta REST application served by Jersey on a Grizzly HTTP server. Resources are CDI beans
 * of the running Weld SE container (through Jersey's CDI integration), so start that container first.
 *
 * <p>It stops in an order that leaves no request it accepted without an answer (see {@link #stop}).
 */
final class EmbeddedServer {
    /**
     * How long the requests answered 503 at the end of a stop may take to be written. Grizzly looks at
     * the timeouts of suspended responses once a second, so they are written within about that.
     */
    static final Duration ANSWER_TIME = Duration.ofSeconds(3);
    /** Seconds a client is asked to wait before trying again after the 503 of a stop. */
    static final int RETRY_AFTER_SECONDS = 5;

    private static final System.Logger LOG = System.getLogger(EmbeddedServer.class.getName());

    private final HttpServer server;
    private final URI uri;
    private final SuspendedResponses suspended;
    private final StoppingAnswer stoppingAnswer;

    private EmbeddedServer(HttpServer server, URI uri, SuspendedResponses suspended, StoppingAnswer stoppingAnswer) {
        this.server = server;
        this.uri = uri;
        this.suspended = suspended;
        this.stoppingAnswer = stoppingAnswer;
    }

    /**
     * Listens on the given address; port 0 picks a free port.
     *
     * @throws IllegalStateException when the server cannot listen there, saying why and which setting to change
     */
    static EmbeddedServer start(String host, int port) {
        URI requested = UriBuilder.fromUri("http://localhost/").host(host).port(port).build();
        StoppingAnswer stoppingAnswer = new StoppingAnswer();
        ResourceConfig application = ResourceConfig.forApplicationClass(DemoApplication.class)
                .property(ServerProperties.WADL_FEATURE_DISABLE, true)
                .register(stoppingAnswer);
        HttpServer server = GrizzlyHttpServerFactory.createHttpServer(requested, application, false);
        SuspendedResponses suspended = new SuspendedResponses();
        // Before start(): the listeners' filters take the probes the configuration has then.
        server.getServerConfiguration().getMonitoringConfig().getWebServerConfig().addProbes(suspended);
        try {
            server.start();
        } catch (IOException e) {
            server.shutdownNow();
            throw new IllegalStateException(cannotListen(host, port, new InetSocketAddress(host, port), e), e);
        }
        int actualPort = server.getListeners().stream().findFirst().map(NetworkListener::getPort).orElse(port);
        String shownHost = "0.0.0.0".equals(host) || "::".equals(host) ? "localhost" : host;
        return new EmbeddedServer(server, UriBuilder.fromUri("http://localhost/").host(shownHost).port(actualPort).build(),
                suspended, stoppingAnswer);
    }

    /**
     * Why the server cannot listen on {@code host:port}, with the setting to change: {@code demo.http.host}
     * when the host has no address or is not one of this machine's, {@code demo.http.port} when the
     * address is this machine's and the port cannot be bound there (in use, or not allowed).
     *
     * @param address the address it tried, resolved from {@code host} (unresolved when the host is not known)
     * @param failure why listening failed
     */
    static String cannotListen(String host, int port, InetSocketAddress address, IOException failure) {
        String why = "The web server cannot listen on " + host + ":" + port + " (" + failure.getMessage() + ")";
        String hostAdvice = "; choose another address with -D" + DemoSettings.HOST
                + "=..., for example 127.0.0.1, or 0.0.0.0 for every interface";
        if (address.isUnresolved()) {
            return why + ": the host " + host + " has no address" + hostAdvice;
        }
        if (!isOfThisMachine(address.getAddress())) {
            return why + ": " + address.getAddress().getHostAddress() + " is not an address of this machine" + hostAdvice;
        }
        if (failure instanceof BindException) {
            return why + "; choose another port with -D" + DemoSettings.PORT + "=..., or 0 for a free one";
        }
        return why;
    }

    private static boolean isOfThisMachine(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return true; // cannot tell: the failure is then said as it is, with the port's advice
        }
    }

    /** Where the demo is served, with the real port. */
    URI uri() {
        return uri;
    }

    /**
     * Stops the web server, answering every request it accepted.
     *
     * <ol>
     *   <li>It stops accepting connections at once; a request that still comes on a connection already
     *       open is answered 503 by Grizzly.</li>
     *   <li>Requests being answered (those waiting for a service call, whose responses are suspended)
     *       finish, for up to {@code grace}: it returns as soon as the last one is written.</li>
     *   <li>Those still waiting then are answered 503 Service Unavailable, saying that the demo is
     *       stopping, as Jakarta REST answers an asynchronous response whose time is up (an answer that
     *       comes later is not sent). Writing them takes up to {@link #ANSWER_TIME}.</li>
     *   <li>Then every connection is closed.</li>
     * </ol>
     *
     * So it takes at most {@code grace} plus {@link #ANSWER_TIME}. Grizzly's own graceful stop, which this
     * uses for the first two steps, would close the connections of the requests still suspended when its
     * grace ends, with no answer at all.
     *
     * @return how many requests were answered 503 because they were still waiting after the grace
     */
    int stop(Duration grace) {
        stoppingAnswer.stopping = true;
        // Grizzly's grace is longer than ours, so that it does not close the connections before the 503s are written.
        GrizzlyFuture<HttpServer> stopped = server.shutdown(grace.plus(ANSWER_TIME).toMillis(), TimeUnit.MILLISECONDS);
        int answered503 = 0;
        try {
            if (!await(stopped, grace)) {
                answered503 = suspended.expireAll();
                await(stopped, ANSWER_TIME);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.shutdownNow();
        }
        return answered503;
    }

    /** Closes the server at once, without a word: for a demo whose start failed after the server's. */
    void close() {
        server.shutdownNow();
    }

    /** Whether the future completed within the limit. */
    private static boolean await(Future<?> future, Duration limit) throws InterruptedException {
        try {
            future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, "The web server failed while stopping: " + e.getCause());
            return true;
        }
    }

    /**
     * The responses suspended now: those of resources that returned a {@code CompletionStage} whose call
     * has not completed yet. Grizzly tells of each suspension and of its end.
     */
    @SuppressWarnings("rawtypes") // Grizzly's probe declares its events with the raw Connection, so must an override
    static final class SuspendedResponses extends HttpServerProbe.Adapter {
        private final Set<Request> requests = ConcurrentHashMap.newKeySet();

        @Override
        public void onRequestSuspendEvent(HttpServerFilter filter, Connection connection, Request request) {
            requests.add(request);
        }

        @Override
        public void onRequestResumeEvent(HttpServerFilter filter, Connection connection, Request request) {
            requests.remove(request);
        }

        @Override
        public void onRequestTimeoutEvent(HttpServerFilter filter, Connection connection, Request request) {
            requests.remove(request);
        }

        @Override
        public void onRequestCancelEvent(HttpServerFilter filter, Connection connection, Request request) {
            requests.remove(request);
        }

        @Override
        public void onRequestCompleteEvent(HttpServerFilter filter, Connection connection,
                                           org.glassfish.grizzly.http.server.Response response) {
            requests.remove(response.getRequest());
        }

        /**
         * Ends the wait of every response still suspended: its timeout is set to pass now, and Jersey, told
         * of it, answers 503 (see {@link StoppingAnswer}). A response that completes meanwhile is left as it
         * is: Grizzly changes the timeout of a response only while it is suspended, and Jersey answers a
         * request once.
         *
         * @return how many were still suspended
         */
        int expireAll() {
            int expired = 0;
            for (Request request : List.copyOf(requests)) {
                try {
                    SuspendContext context = request.getResponse().getSuspendContext();
                    if (context.isSuspended()) {
                        context.setTimeout(1, TimeUnit.MILLISECONDS);
                        expired++;
                    }
                } catch (IllegalStateException e) {
                    // completed and recycled meanwhile: answered already
                }
            }
            return expired;
        }
    }

    /**
     * The answer Jersey gives a suspended response whose time is up (it throws a
     * {@link ServiceUnavailableException}): while the server stops, a plain-text 503 that says so, with
     * {@code Retry-After}. Otherwise the exception's own response.
     */
    static final class StoppingAnswer implements ExceptionMapper<ServiceUnavailableException> {
        static final String BODY = "503 Service Unavailable: the demo is stopping and did not get the answer to this "
                + "request in time; try again when it runs again\n";

        volatile boolean stopping;

        @Override
        public Response toResponse(ServiceUnavailableException exception) {
            if (!stopping) {
                return exception.getResponse();
            }
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.TEXT_PLAIN_TYPE)
                    .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).entity(BODY).build();
        }
    }
}
