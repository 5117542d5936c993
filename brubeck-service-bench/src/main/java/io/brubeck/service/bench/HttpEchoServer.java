package io.brubeck.service.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * HTTP delegation, the usual alternative: the JDK's HTTP server answers {@code POST /echo} with the
 * request's body, on a pool of handler threads as a brubeck worker runs its handlers. Its JVM is started
 * with {@code -Dsun.net.httpserver.nodelay=true}.
 */
final class HttpEchoServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService handlers;

    HttpEchoServer(int handlerThreads) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        handlers = Executors.newFixedThreadPool(handlerThreads);
        server.setExecutor(handlers);
        server.createContext(WorkerCommand.PATH, HttpEchoServer::echo);
        server.start();
    }

    /** The URL to post to. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + WorkerCommand.PATH;
    }

    private static void echo(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
