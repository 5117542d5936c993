package io.brubeck.it.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.Await;
import io.brubeck.it.support.Web;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIGTERM on the demo with a web request in flight: the request gets an HTTP answer, its real one when it
 * comes within the stop's grace (the calls' deadline, at most {@code demo.worker.stop-timeout}), a 503
 * saying that the demo is stopping otherwise, and the demo exits within a bound either way.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DemoShutdownTest {
    private static final String SYNC_DATA = "I made a round trip, it took a while but I bring results.";
    private static final String HTML = "text/html";
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration HTTP_LIMIT = Duration.ofSeconds(60);

    @Test
    void aRequestInFlightGetsItsRealAnswerBeforeTheDemoExits() {
        // The slow route takes its five seconds; the calls' deadline (10 s) is the grace.
        try (RunningDemo demo = RunningDemo.start(List.of())) {
            long child = demo.childWorker().orElseThrow();
            demo.awaitWorkers(START, child);
            CompletableFuture<Web.Answer> call = demo.web().getAsync("service/sync", HTML, HTTP_LIMIT);
            demo.program().awaitSaid("Slow echo started", Duration.ofSeconds(30));

            demo.program().terminate();
            Web.Answer answer = call.join();
            assertEquals(143, demo.program().awaitExit(Duration.ofSeconds(60)), demo.program().tail());

            assertEquals(200, answer.status(), answer.body());
            assertTrue(answer.body().contains(SYNC_DATA), answer.body());
            assertFalse(demo.program().said("answered 503"), demo.program().tail());
            assertTrue(demo.program().said("brubeck-service demo stopped"), demo.program().tail());
            awaitGone(child);
        }
    }

    @Test
    void aRequestStillWaitingWhenTheGraceEndsIsAnswered503AndTheDemoExitsPromptly() {
        Duration slowDelay = Duration.ofSeconds(60);
        Duration grace = Duration.ofSeconds(2);
        try (RunningDemo demo = RunningDemo.start(List.of("-Ddemo.worker.jvm-options=-Ddemo.slow.delay=" + slowDelay,
                "-Dbrubeck.service.demo.timeout=PT90S", "-Ddemo.worker.stop-timeout=" + grace))) {
            long child = demo.childWorker().orElseThrow();
            demo.awaitWorkers(START, child);
            CompletableFuture<Web.Answer> call = demo.web().getAsync("service/sync", HTML, HTTP_LIMIT);
            demo.program().awaitSaid("Slow echo started", Duration.ofSeconds(30));
            long stop = System.nanoTime();

            demo.program().terminate();
            // While the request in flight waits, the demo serves nothing new: a new connection is refused, a
            // request on a connection already open is answered 503.
            Await.until(Duration.ofSeconds(10), "the demo to stop serving new requests", () -> {
                int status = demo.web().statusOrZero("");
                return status == 0 || status == 503;
            }, demo.program()::tail);
            Web.Answer answer = call.join();
            Duration answeredAfter = Duration.ofNanos(System.nanoTime() - stop);
            demo.program().awaitExit(Duration.ofSeconds(60));
            Duration exitedAfter = Duration.ofNanos(System.nanoTime() - stop);

            assertEquals(503, answer.status(), answer.body());
            assertTrue(answer.body().startsWith("503 Service Unavailable: the demo is stopping"), answer.body());
            // The grace, then at most a few seconds to write the 503: not the minute the slow route takes.
            assertTrue(answeredAfter.compareTo(grace.plusSeconds(10)) < 0, "answered after " + answeredAfter);
            // Then the child worker gets its stop timeout before it is killed.
            assertTrue(exitedAfter.compareTo(grace.plus(grace).plusSeconds(20)) < 0, "exited after " + exitedAfter);
            assertTrue(demo.program().said("brubeck-service demo answered 503 to 1 request still waiting after 2000 ms"),
                    demo.program().tail());
            assertTrue(demo.program().said("brubeck-service demo stopped"), demo.program().tail());
            awaitGone(child);
        }
    }

    /**
     * A child worker still busy when its stop timeout ends is killed, and the demo says so, with the status the
     * child exited with: the demo stops itself on SIGTERM before it lets the JVM end, so what it logs while it
     * stops is not lost to the JVM's own shutdown, and it exits with the status SIGTERM gives, 143.
     */
    @Test
    void aChildWorkerStillBusyAfterItsStopTimeoutIsKilledAndTheDemoSaysSo() {
        try (RunningDemo demo = RunningDemo.start(List.of("-Ddemo.worker.jvm-options=-Ddemo.slow.delay=PT60S",
                "-Dbrubeck.service.demo.timeout=PT90S", "-Ddemo.worker.stop-timeout=PT1S"))) {
            long child = demo.childWorker().orElseThrow();
            demo.awaitWorkers(START, child);
            CompletableFuture<Web.Answer> call = demo.web().getAsync("service/sync", HTML, HTTP_LIMIT);
            demo.program().awaitSaid("Slow echo started", Duration.ofSeconds(30));

            demo.program().terminate();
            assertEquals(143, demo.program().awaitExit(Duration.ofSeconds(60)), demo.program().tail());

            assertEquals(503, call.join().status());
            assertTrue(demo.program().said("The worker " + child + " did not stop within PT1S; killing it"),
                    demo.program().tail());
            assertTrue(demo.program().said("The worker " + child + " exited with status 137"), demo.program().tail());
            assertTrue(demo.program().said("brubeck-service demo stopped"), demo.program().tail());
            awaitGone(child);
        }
    }

    private static void awaitGone(long pid) {
        Await.until(Duration.ofSeconds(30), "the child worker " + pid + " to end",
                () -> ProcessHandle.of(pid).map(process -> !process.isAlive()).orElse(true));
    }
}
