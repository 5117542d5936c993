package io.brubeck.it.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A browser for a web application under test: GET requests over java.net.http, each with a time limit. */
public final class Web {
    /** What a GET brought back (status, headers and body), and how long it took. */
    public record Answer(int status, HttpHeaders headers, String body, Duration took) {
    }

    /** HTTP/1.1 only: no h2c upgrade, whose broken connections a server may log as errors while it starts. */
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    /** A browser for the application whose root is {@code base}; it should end with a slash. */
    public Web(URI base) {
        this.base = base;
    }

    /** The application's root. */
    public URI base() {
        return base;
    }

    /** GETs a path relative to the application's root, for example {@code service/sync}. */
    public Answer get(String path, String accept, Duration limit) {
        try {
            return getAsync(path, accept, limit).join();
        } catch (RuntimeException e) {
            throw new AssertionError("GET " + base.resolve(path) + " failed: " + e, e);
        }
    }

    /** Starts a GET and returns at once. */
    public CompletableFuture<Answer> getAsync(String path, String accept, Duration limit) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).header("Accept", accept).timeout(limit).GET().build();
        long start = System.nanoTime();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> new Answer(response.statusCode(), response.headers(), response.body(),
                        Duration.ofNanos(System.nanoTime() - start)));
    }

    /** The status of a GET, or 0 when the server cannot be reached (yet). */
    public int statusOrZero(String path) {
        HttpResponse<Void> response = send(path, HttpResponse.BodyHandlers.discarding());
        return response == null ? 0 : response.statusCode();
    }

    /** The body of a GET, or empty text when the server cannot be reached. */
    public String bodyOrEmpty(String path) {
        HttpResponse<String> response = send(path, HttpResponse.BodyHandlers.ofString());
        return response == null ? "" : response.body();
    }

    /** A GET with a time limit of five seconds, or null when the server cannot be reached. */
    private <T> HttpResponse<T> send(String path, HttpResponse.BodyHandler<T> handler) {
        try {
            HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5)).GET().build();
            return client.send(request, handler);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
