package io.brubeck.it.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.Await;
import io.brubeck.it.support.Web;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo flooded over HTTP with far more concurrent requests than its queue bound and its worker can
 * take, in a small heap that ends the JVM on an {@code OutOfMemoryError}: every request is answered, 200
 * or the 503 of a full queue (with {@code Retry-After}), the calls waiting never exceed the bound, the demo
 * lives on and serves again, and every nowait call it accepted reaches its response route.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DemoOverloadTest {
    private static final String SYNC_DATA = "I made a round trip, it took a while but I bring results.";
    private static final String ASYNC_DATA = "I made a round trip, it took so long I will respond to no one.";
    private static final String ASYNC_HANDLED = "Successful 200:Took a while, but I am back. RETURN_DATA: " + ASYNC_DATA;
    private static final String HTML = "text/html";
    private static final int MAX_QUEUED = 20;
    /** The child worker's capacity: two handlers, no prefetch. */
    private static final int CAPACITY = 2;
    private static final int REQUESTS = 2000;
    private static final int IN_FLIGHT = 250;
    /** Each request's own limit: far beyond the call's deadline, so that a request never answered shows as one. */
    private static final Duration HTTP_LIMIT = Duration.ofSeconds(60);
    private static final Duration FLOOD_LIMIT = Duration.ofSeconds(120);
    /** The service's own counts in the status JSON, before its workers' (JSON-B writes properties in alphabetical order). */
    private static final Pattern STATUS = Pattern.compile("\"inFlight\":(\\d+),\"queued\":(\\d+)");

    private static RunningDemo demo;

    @BeforeAll
    static void startDemo() {
        // The last -Xmx wins over the 256 MB RunningDemo gives by default. The call's deadline is far beyond
        // the longest wait in a full queue (MAX_QUEUED calls at 10 a second), so no call should answer 504.
        demo = RunningDemo.start(List.of("-Xmx96m", "-XX:+ExitOnOutOfMemoryError",
                "-Dbrubeck.service.demo.max-queued=" + MAX_QUEUED,
                "-Dbrubeck.service.demo.timeout=PT30S",
                "-Ddemo.worker.jvm-options=-Xmx128m -Ddemo.slow.delay=PT0.2S -Dbrubeck.worker.concurrency=" + CAPACITY));
        demo.awaitWorkers(Duration.ofSeconds(60), demo.childWorker().orElseThrow());
    }

    @AfterAll
    static void stopDemo() {
        if (demo != null) {
            demo.close();
        }
    }

    /** After each flood the demo is alive, its queue drains, and a plain request is served. */
    @AfterEach
    void theDemoRecovers() {
        assertTrue(demo.program().isAlive(), "The demo ended under the flood" + demo.program().tail());
        assertFalse(demo.program().said("OutOfMemoryError"), demo.program().tail());
        Await.until(Duration.ofSeconds(60), "the demo's calls to drain", () -> status(demo.web())
                .filter(calls -> calls.queued() == 0 && calls.inFlight() == 0).isPresent(), demo.program()::tail);
        Web.Answer answer = demo.web().get("service/sync", HTML, Duration.ofSeconds(30));
        assertEquals(200, answer.status(), answer.body());
        assertTrue(answer.body().contains(SYNC_DATA), answer.body());
    }

    @Test
    void aFloodOfSyncRequestsIsServedOrAnswered503AndNoMoreCallsWaitThanTheBound() {
        Flood flood = Flood.of(demo.web(), "service/sync", SYNC_DATA);

        flood.assertOnlyServedOrRefused();
    }

    @Test
    void aFloodOfNowaitRequestsIsAcceptedOrAnswered503AndEveryAcceptedCallReachesItsResponseRoute() {
        long handledBefore = demo.program().count(ASYNC_HANDLED);

        Flood flood = Flood.of(demo.web(), "service/async", "Async is faster, but ... nothing to report on my trip.");

        flood.assertOnlyServedOrRefused();
        long accepted = flood.count("200");
        Await.until(Duration.ofSeconds(60), accepted + " accepted nowait calls to reach the response route",
                () -> demo.program().count(ASYNC_HANDLED) - handledBefore >= accepted,
                () -> "; handled: " + (demo.program().count(ASYNC_HANDLED) - handledBefore) + demo.program().tail());
        assertEquals(accepted, demo.program().count(ASYNC_HANDLED) - handledBefore, "Each accepted call is handled once");
        assertFalse(demo.program().said("got no answer"), demo.program().tail());
    }

    /** The calls of the demo's service now, as {@code service/status} shows them; empty when it does not answer. */
    private static Optional<Calls> status(Web web) {
        Matcher status = STATUS.matcher(web.bodyOrEmpty("service/status"));
        if (!status.find()) {
            return Optional.empty();
        }
        return Optional.of(new Calls(Integer.parseInt(status.group(2)), Integer.parseInt(status.group(1))));
    }

    private record Calls(int queued, int inFlight) {
    }

    /**
     * {@link #REQUESTS} GETs of one page, at most {@link #IN_FLIGHT} at a time, each with its own limit: how
     * many got 200 with the page, how many the 503 of a full queue, what else happened, and the most calls
     * {@code service/status} showed waiting and in flight meanwhile.
     */
    private record Flood(Map<String, Long> outcomes, List<String> unexpected, int mostQueued, int mostInFlight,
                         int statusSamples) {

        static Flood of(Web web, String path, String servedText) {
            Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
            Queue<String> unexpected = new ConcurrentLinkedQueue<>();
            Semaphore slots = new Semaphore(IN_FLIGHT);
            long deadline = System.nanoTime() + FLOOD_LIMIT.toNanos();
            StatusWatcher watcher = new StatusWatcher(web);
            watcher.start();
            try {
                for (int i = 0; i < REQUESTS; i++) {
                    acquire(slots, 1, deadline, outcomes);
                    web.getAsync(path, HTML, HTTP_LIMIT).whenComplete((answer, failure) -> {
                        String outcome = outcomeOf(answer, failure, servedText);
                        outcomes.computeIfAbsent(outcome, key -> new LongAdder()).increment();
                        if (!outcome.equals("200") && !outcome.equals("503")) {
                            unexpected.add(outcome + (answer == null ? "" : ": " + answer.headers().map() + " " + answer.body()));
                        }
                        slots.release();
                    });
                }
                acquire(slots, IN_FLIGHT, deadline, outcomes);
            } finally {
                watcher.stop();
            }
            Map<String, Long> counts = new TreeMap<>();
            outcomes.forEach((outcome, count) -> counts.put(outcome, count.sum()));
            return new Flood(counts, List.copyOf(unexpected), watcher.mostQueued.get(), watcher.mostInFlight.get(),
                    watcher.samples.get());
        }

        /** "200" for the page, "503" for the answer of a full queue, and what it was otherwise. */
        private static String outcomeOf(Web.Answer answer, Throwable failure, String servedText) {
            if (failure != null) {
                return "failed " + failure;
            }
            if (answer.status() == 200) {
                return answer.body().contains(servedText) ? "200" : "200 without the page";
            }
            if (answer.status() == 503) {
                return answer.body().startsWith("503 Service Unavailable: ") && answer.body().contains("(maxQueued)")
                        && answer.headers().firstValue("Retry-After").isPresent() ? "503" : "503 not of a full queue";
            }
            return String.valueOf(answer.status());
        }

        /** Takes the permits of answered requests; fails when the flood's time is up first. */
        private static void acquire(Semaphore slots, int permits, long deadline, Map<String, LongAdder> outcomes) {
            try {
                if (!slots.tryAcquire(permits, deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                    throw new AssertionError("Requests still unanswered after " + FLOOD_LIMIT + "; answered so far: "
                            + outcomes + demo.program().tail());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted during the flood", e);
            }
        }

        long count(String outcome) {
            return outcomes.getOrDefault(outcome, 0L);
        }

        /**
         * Every request was answered: 200 with the page, or the 503 of a full queue, some of each; the calls
         * waiting never exceeded the bound plus the worker's capacity, nor those in flight its capacity.
         */
        void assertOnlyServedOrRefused() {
            String summary = "outcomes " + outcomes + ", most queued " + mostQueued + ", most in flight " + mostInFlight
                    + " (" + statusSamples + " status samples); first unexpected: "
                    + unexpected.subList(0, Math.min(5, unexpected.size()));
            System.out.println("Flood: " + summary);
            assertTrue(unexpected.isEmpty(), summary);
            assertEquals(REQUESTS, count("200") + count("503"), summary);
            assertTrue(count("200") > 0, "None served: " + summary);
            assertTrue(count("503") > 0, "None refused: " + summary);
            assertTrue(statusSamples > 0, "service/status never answered during the flood: " + summary);
            assertTrue(mostQueued <= MAX_QUEUED + CAPACITY, summary);
            assertTrue(mostInFlight <= CAPACITY, summary);
        }
    }

    /** Reads {@code service/status} over and over on a thread of its own, keeping the most calls it saw. */
    private static final class StatusWatcher {
        private final Web web;
        private final AtomicBoolean watching = new AtomicBoolean(true);
        private final AtomicInteger mostQueued = new AtomicInteger();
        private final AtomicInteger mostInFlight = new AtomicInteger();
        private final AtomicInteger samples = new AtomicInteger();
        private final Thread thread = new Thread(this::watch, "status-watcher");

        StatusWatcher(Web web) {
            this.web = web;
        }

        void start() {
            thread.start();
        }

        private void watch() {
            while (watching.get()) {
                status(web).ifPresent(calls -> {
                    samples.incrementAndGet();
                    mostQueued.accumulateAndGet(calls.queued(), Math::max);
                    mostInFlight.accumulateAndGet(calls.inFlight(), Math::max);
                });
            }
        }

        /** Stops watching; waits for the status request under way, which has a limit of its own. */
        void stop() {
            watching.set(false);
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
