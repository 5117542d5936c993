package io.brubeck.it.war;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A browser for the deployed demo: GET requests over java.net.http, each with a time limit. */
final class Web {
    /** What a GET brought back, and how long it took. */
    record Answer(int status, String body, Duration took) {
    }

    /** HTTP/1.1 only: no h2c upgrade, whose broken connections Payara logs as errors while it starts. */
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    Web(URI base) {
        this.base = base;
    }

    URI base() {
        return base;
    }

    /** The status of a GET, or 0 when the server cannot be reached (yet). */
    int statusOrZero(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5)).GET().build();
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** GETs a path relative to the demo's root, for example {@code service/sync}. */
    Answer get(String path, String accept, Duration limit) {
        try {
            return getAsync(path, accept, limit).join();
        } catch (RuntimeException e) {
            throw new AssertionError("GET " + base.resolve(path) + " failed: " + e, e);
        }
    }

    /** Starts a GET and returns at once. */
    CompletableFuture<Answer> getAsync(String path, String accept, Duration limit) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).header("Accept", accept).timeout(limit).GET().build();
        long start = System.nanoTime();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> new Answer(response.statusCode(), response.body(),
                        Duration.ofNanos(System.nanoTime() - start)));
    }

    /** The body of a GET, or empty text when the server cannot be reached. */
    String bodyOrEmpty(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5)).GET().build();
            return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
