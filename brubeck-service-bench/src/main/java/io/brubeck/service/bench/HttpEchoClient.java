package io.brubeck.service.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

/**
 * The HTTP side's client: the JDK's {@link HttpClient} over HTTP/1.1 with keep-alive, which opens a
 * connection per call in flight, posting the payload to an {@link HttpEchoServer}. It is driven the
 * fastest way found on a 2-core machine: blocking {@code send()} calls from as many threads as calls
 * in flight, with responses read on the client's own selector thread (its direct executor). Its
 * {@code sendAsync()} with a window of 64 did 2-5 k posts/s there, blocking calls from 64 threads
 * 10 k/s with the default executor and 16-23 k/s with the direct one.
 */
final class HttpEchoClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Runnable::run)
            .build();
    private final HttpRequest request;
    private final byte[] payload;

    HttpEchoClient(String url, byte[] payload) {
        this.payload = payload;
        request = HttpRequest.newBuilder(URI.create(url))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
                .build();
    }

    /** Posts with {@code window} requests in flight: {@code window} threads each posting in a loop. */
    Rate throughput(long nanos, int window) throws InterruptedException {
        return Calls.threads(nanos, window, this::post, this::isEcho);
    }

    /** Round-trip times of blocking posts, one in flight. */
    LongSamples latency(long nanos) {
        return Calls.latency(nanos, this::post, this::isEcho);
    }

    private HttpResponse<byte[]> post() {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private boolean isEcho(HttpResponse<byte[]> response) {
        return response.statusCode() == 200 && Arrays.equals(response.body(), payload);
    }
}
