package io.brubeck.it.roundtrip;

import io.brubeck.service.api.ServiceCall;
import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.api.ServiceResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Callers that keep calling the {@code chaos} routes until stopped, each on a thread of its own, one call after
 * another, every other one idempotent; each call sends an id of its own ({@code c3-17}: caller 3's call 17) and
 * every outcome is kept.
 */
final class ChaosCallers implements AutoCloseable {
    private final ExecutorService threads;
    private final List<Future<?>> running = new ArrayList<>();
    private final AtomicBoolean calling = new AtomicBoolean(true);
    private final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final AtomicInteger ended = new AtomicInteger();
    private final Map<String, LongAdder> answersByWorker = new ConcurrentHashMap<>();

    /** How one call ended: with its result, or with the exception it threw. */
    record Outcome(String id, boolean idempotent, long tookMillis, ServiceResult result, RuntimeException error) {

        /** The worker that answered, as its answer names it; empty for a call that failed. */
        Optional<String> worker() {
            return error != null ? Optional.empty()
                    : Optional.ofNullable(result.response().payload().getString("worker", null));
        }

        String describe() {
            return id + (idempotent ? " (idempotent)" : "") + " after " + tookMillis + " ms: "
                    + (error != null ? error : result.response().statusCode() + " " + result.response().payload());
        }
    }

    /** Starts the callers. */
    ChaosCallers(ServiceClient client, int callers) {
        this.threads = Executors.newFixedThreadPool(callers);
        for (int c = 0; c < callers; c++) {
            int caller = c;
            running.add(threads.submit(() -> {
                for (int n = 0; calling.get(); n++) {
                    Outcome outcome = call(client, "c" + caller + "-" + n, (caller + n) % 2 == 0);
                    outcomes.add(outcome);
                    outcome.worker().ifPresent(worker -> answersByWorker.computeIfAbsent(worker, key -> new LongAdder())
                            .increment());
                    ended.incrementAndGet();
                }
            }));
        }
    }

    /** Makes one call, to {@code /chaos/idempotent} marked idempotent or to {@code /chaos/once}, and waits for it. */
    static Outcome call(ServiceClient client, String id, boolean idempotent) {
        long start = System.nanoTime();
        try {
            ServiceCall call = client.request(idempotent ? "/chaos/idempotent" : "/chaos/once").argument("ID", id);
            ServiceResult result = (idempotent ? call.idempotent() : call).send();
            return new Outcome(id, idempotent, millisSince(start), result, null);
        } catch (RuntimeException e) {
            return new Outcome(id, idempotent, millisSince(start), null, e);
        }
    }

    /** How many calls have ended so far. */
    int ended() {
        return ended.get();
    }

    /** How many calls each worker has answered so far. */
    Map<String, Long> answersByWorker() {
        Map<String, Long> answers = new TreeMap<>();
        answersByWorker.forEach((worker, count) -> answers.put(worker, count.sum()));
        return answers;
    }

    /**
     * Lets each caller finish the call it is making, and returns every outcome.
     *
     * @throws Exception when a caller failed or did not finish within the limit
     */
    List<Outcome> stop(Duration limit) throws Exception {
        calling.set(false);
        long deadline = System.nanoTime() + limit.toNanos();
        for (Future<?> caller : running) {
            caller.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        return List.copyOf(outcomes);
    }

    /** Stops the callers, interrupting any that still waits for a call. */
    @Override
    public void close() {
        calling.set(false);
        threads.shutdownNow();
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
