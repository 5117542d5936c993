package io.brubeck.service.demo.embedded;

import io.brubeck.service.demo.DemoApplication;
import jakarta.ws.rs.core.UriBuilder;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * The demo's Jakarta REST application served by Jersey on a Grizzly HTTP server. Resources are CDI beans
 * of the running Weld SE container (through Jersey's CDI integration), so start that container first.
 */
final class EmbeddedServer {
    private static final System.Logger LOG = System.getLogger(EmbeddedServer.class.getName());

    private final HttpServer server;
    private final URI uri;

    private EmbeddedServer(HttpServer server, URI uri) {
        this.server = server;
        this.uri = uri;
    }

    /**
     * Listens on the given address; port 0 picks a free port.
     *
     * @throws IllegalStateException when the server cannot listen there, saying why and which setting to change
     */
    static EmbeddedServer start(String host, int port) {
        URI requested = UriBuilder.fromUri("http://localhost/").host(host).port(port).build();
        ResourceConfig application = ResourceConfig.forApplicationClass(DemoApplication.class)
                .property(ServerProperties.WADL_FEATURE_DISABLE, true);
        HttpServer server = GrizzlyHttpServerFactory.createHttpServer(requested, application, false);
        try {
            server.start();
        } catch (IOException e) {
            server.shutdownNow();
            throw new IllegalStateException(cannotListen(host, port, new InetSocketAddress(host, port), e), e);
        }
        int actualPort = server.getListeners().stream().findFirst().map(NetworkListener::getPort).orElse(port);
        String shownHost = "0.0.0.0".equals(host) || "::".equals(host) ? "localhost" : host;
        return new EmbeddedServer(server, UriBuilder.fromUri("http://localhost/").host(shownHost).port(actualPort).build());
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

    /** Stops listening and lets requests being answered finish, for up to the grace. */
    void stop(Duration grace) {
        try {
            server.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS).get(grace.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "The web server did not stop in time: " + e);
        } finally {
            server.shutdownNow();
        }
    }
}
