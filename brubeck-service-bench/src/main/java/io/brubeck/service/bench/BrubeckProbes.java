package io.brubeck.service.bench;

import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.engine.ServiceClientEndpoint;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The brubeck side of the comparison: calls to {@code /echo} through a {@link ServiceClientEndpoint}
 * and a worker. Each call is built as an application would build it, and each reply is checked.
 */
final class BrubeckProbes {
    private static final long DRAIN_SECONDS = 30;

    private final ServiceClientEndpoint client;
    private final byte[] payload;

    BrubeckProbes(ServiceClientEndpoint client, byte[] payload) {
        this.client = client;
        this.payload = payload;
    }

    /** Calls with {@code window} calls in flight, from one thread using {@code sendAsync()}. */
    Rate throughputAsync(long nanos, int window) throws InterruptedException {
        Semaphore free = new Semaphore(window);
        LongAdder done = new LongAdder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long start = System.nanoTime();
        long end = start + nanos;
        while (System.nanoTime() - end < 0 && failure.get() == null) {
            free.acquire();
            client.request(WorkerCommand.PATH).body(payload).sendAsync().whenComplete((result, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                } else if (!isEcho(result)) {
                    failure.compareAndSet(null, new IllegalStateException("Wrong reply: " + result.response()));
                }
                done.increment();
                free.release();
            });
        }
        long count = done.sum();
        long elapsed = System.nanoTime() - start;
        if (!free.tryAcquire(window, DRAIN_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Calls still unanswered " + DRAIN_SECONDS + " s after the round");
        }
        throwIfFailed(failure);
        return new Rate(count, elapsed, done.sum() - count);
    }

    /** Calls with {@code threads} threads each calling {@code send()} in a loop. */
    Rate throughputThreads(long nanos, int threads) throws InterruptedException {
        LongAdder done = new LongAdder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        long[] end = new long[1];
        Thread[] callers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            callers[i] = new Thread(() -> {
                try {
                    go.await();
                    while (System.nanoTime() - end[0] < 0 && failure.get() == null) {
                        ServiceResult result = client.request(WorkerCommand.PATH).body(payload).send();
                        if (!isEcho(result)) {
                            throw new IllegalStateException("Wrong reply: " + result.response());
                        }
                        done.increment();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }, "bench-caller-" + i);
            callers[i].setDaemon(true);
            callers[i].start();
        }
        long start = System.nanoTime();
        end[0] = start + nanos; // published to the callers by the latch
        go.countDown();
        TimeUnit.NANOSECONDS.sleep(nanos);
        long count = done.sum();
        long elapsed = System.nanoTime() - start;
        for (Thread caller : callers) {
            caller.join(TimeUnit.SECONDS.toMillis(DRAIN_SECONDS));
            if (caller.isAlive()) {
                throw new IllegalStateException(caller.getName() + " still waits " + DRAIN_SECONDS + " s after the round");
            }
        }
        throwIfFailed(failure);
        return new Rate(count, elapsed, done.sum() - count);
    }

    /** Round-trip times of {@code send()}, one call in flight. */
    LongSamples latency(long nanos) {
        LongSamples samples = new LongSamples(1 << 14);
        long end = System.nanoTime() + nanos;
        long start;
        do {
            start = System.nanoTime();
            ServiceResult result = client.request(WorkerCommand.PATH).body(payload).send();
            samples.add(System.nanoTime() - start);
            if (!isEcho(result)) {
                throw new IllegalStateException("Wrong reply: " + result.response());
            }
        } while (start - end < 0);
        return samples;
    }

    private boolean isEcho(ServiceResult result) {
        ServiceResponse response = result.response();
        return response.statusCode() == 200 && Arrays.equals(response.body(), payload);
    }

    private static void throwIfFailed(AtomicReference<Throwable> failure) {
        Throwable error = failure.get();
        if (error != null) {
            throw new IllegalStateException("A call failed: " + error, error);
        }
    }
}
