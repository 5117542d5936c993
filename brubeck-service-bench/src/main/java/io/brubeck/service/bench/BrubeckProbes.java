package io.brubeck.service.bench;

import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.engine.ServiceClientEndpoint;
import java.util.Arrays;

/**
 * The brubeck side of the comparison: calls to {@code /echo} through a {@link ServiceClientEndpoint}
 * and a worker. Each call is built as an application would build it, and each reply is checked.
 */
final class BrubeckProbes {
    private final ServiceClientEndpoint client;
    private final byte[] payload;

    BrubeckProbes(ServiceClientEndpoint client, byte[] payload) {
        this.client = client;
        this.payload = payload;
    }

    /** Calls with {@code window} calls in flight, from one thread using {@code sendAsync()}. */
    Rate throughputAsync(long nanos, int window) throws InterruptedException {
        return Calls.throughput(nanos, window, () -> client.request(WorkerCommand.PATH).body(payload).sendAsync(),
                this::isEcho);
    }

    /** Calls with {@code threads} threads each calling {@code send()} in a loop. */
    Rate throughputThreads(long nanos, int threads) throws InterruptedException {
        return Calls.threads(nanos, threads, () -> client.request(WorkerCommand.PATH).body(payload).send(), this::isEcho);
    }

    /** Round-trip times of {@code send()}, one call in flight. */
    LongSamples latency(long nanos) {
        return Calls.latency(nanos, () -> client.request(WorkerCommand.PATH).body(payload).send(), this::isEcho);
    }

    private boolean isEcho(ServiceResult result) {
        ServiceResponse response = result.response();
        return response.statusCode() == 200 && Arrays.equals(response.body(), payload);
    }
}
