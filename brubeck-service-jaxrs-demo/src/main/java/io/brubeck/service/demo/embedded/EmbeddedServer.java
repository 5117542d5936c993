package io.brubeck.service.demo.embedded;

import io.brubeck.service.demo.DemoApplication;
import jakarta.ws.rs.core.UriBuilder;
import java.io.IOException;
import java.lang.System.Logger.Level;
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
     * @throws IllegalStateException when the server cannot listen there, saying why
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
            throw new IllegalStateException("The web server cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "); choose another port with -D" + DemoSettings.PORT + "=..., or 0 for a free one", e);
        }
        int actualPort = server.getListeners().stream().findFirst().map(NetworkListener::getPort).orElse(port);
        String shownHost = "0.0.0.0".equals(host) || "::".equals(host) ? "localhost" : host;
        return new EmbeddedServer(server, UriBuilder.fromUri("http://localhost/").host(shownHost).port(actualPort).build());
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
