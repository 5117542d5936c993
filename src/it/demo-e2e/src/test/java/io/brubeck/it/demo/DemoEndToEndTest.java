package io.brubeck.it.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.JavaProgram;
import io.brubeck.it.support.Web;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The original demo end to end: the web demo (with its child worker turned off) and worker programs, each
 * in a JVM of its own started with {@code java -jar}, on free ports, driven over HTTP. Each test starts
 * the workers it needs; after each, every worker is gone and the demo has none left.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DemoEndToEndTest {
    private static final String SYNC_DATA = "I made a round trip, it took a while but I bring results.";
    private static final String ASYNC_DATA = "I made a round trip, it took so long I will respond to no one.";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration HEARTBEAT = Duration.ofMillis(250);
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration HTTP_LIMIT = Duration.ofSeconds(30);
    private static final String HTML = "text/html";

    private static RunningDemo demo;
    private final List<JavaProgram> workers = new ArrayList<>();

    @BeforeAll
    static void startDemo() {
        demo = RunningDemo.start(List.of("-Ddemo.worker.start=false",
                "-Dbrubeck.service.demo.timeout=" + CALL_TIMEOUT,
                "-Dbrubeck.service.demo.heartbeat-interval=" + HEARTBEAT));
        assertTrue(demo.childWorker().isEmpty(), "The demo started a worker although told not to");
    }

    @AfterAll
    static void stopDemo() {
        if (demo != null) {
            demo.close();
        }
    }

    @AfterEach
    void stopWorkers() {
        workers.forEach(JavaProgram::close);
        workers.clear();
        if (demo != null && demo.program().isAlive()) {
            demo.awaitWorkers(Duration.ofSeconds(15));
        }
    }

    /** Starts a worker program connected to the demo, whose slow echo takes the given time, and waits until it has joined. */
    private JavaProgram startWorker(Duration slowDelay) {
        JavaProgram worker = JavaProgram.start("worker-" + (workers.size() + 1), Jars.worker(), List.of(
                "-Xmx256m",
                "-Dbrubeck.worker.connect=" + demo.endpoint(),
                "-Dbrubeck.worker.heartbeat-interval=" + HEARTBEAT,
                "-Dbrubeck.worker.concurrency=2",
                "-Ddemo.slow.delay=" + slowDelay,
                "-Dworker.exit-with-pid=" + ProcessHandle.current().pid()), List.of());
        workers.add(worker);
        worker.awaitSaid("brubeck-service worker ready: service 'demo', connecting to " + demo.endpoint(), START);
        demo.awaitWorkers(START, worker.pid());
        return worker;
    }

    @Test
    void syncReturnsTheEchoedTextAndWhatTheResponseRouteMadeOfIt() {
        startWorker(Duration.ofMillis(500));

        Web.Answer answer = demo.web().get("service/sync", HTML, HTTP_LIMIT);

        assertEquals(200, answer.status(), answer.body());
        assertTrue(answer.body().contains(SYNC_DATA), answer.body());
        assertTrue(answer.body().contains("handled 200 Took a while, but I am back."), answer.body());
    }

    @Test
    void asyncAnswersBeforeTheSlowRouteFinishesAndTheResponseRouteHandlesTheReplyLater() {
        Duration slowDelay = Duration.ofSeconds(3);
        JavaProgram worker = startWorker(slowDelay);

        Web.Answer answer = demo.web().get("service/async", HTML, HTTP_LIMIT);
        boolean slowRouteDoneBeforeAnswer = worker.said("Slow echo done, sending back: " + ASYNC_DATA);
        boolean handledBeforeAnswer = demo.program().said("RETURN_DATA: " + ASYNC_DATA);

        assertEquals(200, answer.status(), answer.body());
        assertTrue(answer.body().contains("Async is faster, but ... nothing to report on my trip."), answer.body());
        assertFalse(slowRouteDoneBeforeAnswer, "The page waited for the slow route");
        assertFalse(handledBeforeAnswer, "The reply was handled before the page answered");
        assertTrue(answer.took().compareTo(slowDelay) < 0, "The page took " + answer.took() + ", as long as the slow route");
        worker.awaitSaid("Slow echo done, sending back: " + ASYNC_DATA, Duration.ofSeconds(30));
        demo.program().awaitSaid("Successful 200:Took a while, but I am back. RETURN_DATA: " + ASYNC_DATA, Duration.ofSeconds(30));
    }

    @Test
    void theCpuHeavyRouteCountsThePrimesRight() {
        startWorker(Duration.ofMillis(500));

        Web.Answer json = demo.web().get("service/primes?below=1000000", "application/json", HTTP_LIMIT);
        assertEquals(200, json.status(), json.body());
        assertTrue(json.body().contains("\"count\":78498"), json.body());
        assertTrue(json.body().contains("\"largest\":999983"), json.body());

        Web.Answer page = demo.web().get("service/primes?below=100", HTML, HTTP_LIMIT);
        assertEquals(200, page.status(), page.body());
        assertTrue(page.body().contains("Primes below 100:</strong> <q class=\"result\">25</q>"), page.body());

        assertEquals(400, demo.web().get("service/primes?below=1", HTML, HTTP_LIMIT).status());
        assertEquals(400, demo.web().get("service/primes?below=many", HTML, HTTP_LIMIT).status());
    }

    @Test
    void aWorkerKilledWithTheCallInFlightAnswers503BeforeTheDeadline() {
        JavaProgram worker = startWorker(Duration.ofSeconds(30));
        CompletableFuture<Web.Answer> call = demo.web().getAsync("service/sync", HTML, HTTP_LIMIT);
        worker.awaitSaid("Slow echo started", Duration.ofSeconds(15));

        worker.kill();
        Web.Answer answer = call.join();

        assertEquals(503, answer.status(), answer.body());
        assertTrue(answer.body().startsWith("503 Service Unavailable"), answer.body());
    }

    @Test
    void afterTheWorkerIsKilledSyncAnswers503Or504WithinItsTimeoutAndANewWorkerMakesItWorkAgain() {
        JavaProgram first = startWorker(Duration.ofMillis(200));
        assertEquals(200, demo.web().get("service/sync", HTML, HTTP_LIMIT).status());

        first.kill();
        Web.Answer failed = demo.web().get("service/sync", HTML, HTTP_LIMIT);

        assertTrue(failed.status() == 503 || failed.status() == 504, failed.status() + " " + failed.body());
        assertTrue(failed.took().compareTo(CALL_TIMEOUT.plusSeconds(5)) < 0, "The failure took " + failed.took());

        startWorker(Duration.ofMillis(200));
        Web.Answer again = demo.web().get("service/sync", HTML, HTTP_LIMIT);
        assertEquals(200, again.status(), again.body());
        assertTrue(again.body().contains(SYNC_DATA), again.body());
    }

    @Test
    void onSigtermTheWorkerFinishesTheCallInFlightSaysGoodbyeAndExitsZero() {
        JavaProgram worker = startWorker(Duration.ofSeconds(2));
        CompletableFuture<Web.Answer> call = demo.web().getAsync("service/sync", HTML, HTTP_LIMIT);
        worker.awaitSaid("Slow echo started", Duration.ofSeconds(15));

        worker.terminate();
        Web.Answer answer = call.join();
        int status = worker.awaitExit(Duration.ofSeconds(30));

        assertEquals(200, answer.status(), answer.body());
        assertTrue(answer.body().contains(SYNC_DATA), answer.body());
        assertEquals(0, status, worker.tail());
        assertTrue(worker.said("brubeck-service worker of service 'demo' stopping (SIGTERM)"), worker.tail());
        assertTrue(worker.said("brubeck-service worker of service 'demo' stopped; goodbye"), worker.tail());
    }
}
