package io.brubeck.service.bench;

import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.engine.ClientConfig;
import io.brubeck.service.engine.ServiceClientEndpoint;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * Client heap per queued call: with no worker connected, submits many {@code sendAsync()} calls
 * with a long deadline, waits until the client's socket thread has queued them all, and divides the
 * growth of the used heap after a full GC by the number of calls. The caller keeps every stage, as
 * a web resource waiting on them would. Closing the client afterwards must fail every one of them.
 */
final class QueueMemory {
    private static final Duration DEADLINE = Duration.ofMinutes(10);
    private static final long QUEUE_WAIT_MILLIS = 60_000;

    private static final long SETTLE_SECONDS = 10;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    /**
     * What one measurement found.
     *
     * @param bytesPerCall   growth of the used heap after GC, divided by the calls queued
     * @param leftIncomplete stages still not completed {@value #SETTLE_SECONDS} s after the client
     *                       closed; every one should have failed at once
     */
    record Result(double bytesPerCall, int leftIncomplete) {
    }

    /**
     * Queues {@code calls} calls, measures the heap they hold, then closes the client.
     *
     * @param calls  how many calls to queue
     * @param bodies the body of call {@code i}
     */
    Result measure(int calls, IntFunction<byte[]> bodies) throws Exception {
        ClientConfig config = ClientConfig.builder("bench-memory")
                .endpoint("tcp://127.0.0.1:*")
                .passphrase(WorkerCommand.PASSPHRASE)
                .maxQueued(calls)
                .timeout(DEADLINE)
                .build();
        CompletableFuture<?>[] stages = new CompletableFuture<?>[calls];
        double perCall;
        ServiceClientEndpoint client = ServiceClientEndpoint.start(config);
        try {
            long before = usedHeapAfterGc();
            for (int i = 0; i < calls; i++) {
                CompletionStage<ServiceResult> stage = client.request(WorkerCommand.PATH).body(bodies.apply(i)).sendAsync();
                stages[i] = stage.toCompletableFuture(); // no copy: the endpoint's stages are CompletableFutures
            }
            awaitQueued(client, calls);
            long after = usedHeapAfterGc();
            perCall = (after - before) / (double) calls;
        } finally {
            client.close();
        }
        return new Result(perCall, countIncomplete(stages));
    }

    /** Waits for every stage to end (all fail when the client closes) and counts those that never do. */
    private static int countIncomplete(CompletableFuture<?>[] stages) throws InterruptedException {
        try {
            CompletableFuture.allOf(stages).get(SETTLE_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException expected) {
            // failing is what they should do; the count below tells whether they all ended
        }
        int incomplete = 0;
        for (CompletableFuture<?> stage : stages) {
            if (!stage.isDone()) {
                incomplete++;
            }
        }
        return incomplete;
    }

    private static void awaitQueued(ServiceClientEndpoint client, int calls) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(QUEUE_WAIT_MILLIS);
        int queued;
        while ((queued = client.status().toCompletableFuture().get(10, TimeUnit.SECONDS).queued()) < calls) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("Only " + queued + " of " + calls + " calls queued after "
                        + QUEUE_WAIT_MILLIS + " ms");
            }
            Thread.sleep(10);
        }
    }

    private long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(20);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
