package io.brubeck.it.war;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.HealthData;
import io.brubeck.it.support.JavaProgram;
import io.brubeck.it.support.PrometheusText;
import io.brubeck.it.support.Web;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo's WAR, unchanged, in a real Jakarta EE 10 server: Payara Micro provides Jakarta REST, CDI, JSON-B
 * and MicroProfile Config, the WAR only the application, the library and JeroMQ. The service client is
 * configured through MicroProfile Config (its endpoint on any free port, passphrase, timeout, heartbeat);
 * worker programs started by the test connect to it, and the pages are driven over HTTP. The WAR starts no
 * worker of its own. The server starts once for all tests; each test starts the workers it needs, and after
 * each, every worker is gone and the application has none left.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WarOnPayaraMicroTest {
    private static final String SYNC_DATA = "I made a round trip, it took a while but I bring results.";
    private static final String ASYNC_DATA = "I made a round trip, it took so long I will respond to no one.";
    private static final String PASSPHRASE = "a secret of the war test";
    /** The client endpoint's address as configured: any free port, which the status page then names. */
    private static final String ANY_PORT = "tcp://127.0.0.1:*";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration HEARTBEAT = Duration.ofMillis(250);
    /** Payara Micro unpacks itself, boots and deploys: about 20 s on an idle two-core machine. */
    private static final Duration SERVER_START = Duration.ofSeconds(180);
    private static final Duration WORKER_START = Duration.ofSeconds(60);
    private static final Duration HTTP_LIMIT = Duration.ofSeconds(30);
    private static final String HTML = "text/html";

    private static String endpoint;
    private static DeployedDemo demo;
    private final List<JavaProgram> workers = new ArrayList<>();

    @BeforeAll
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    static void deploy() {
        demo = DeployedDemo.start(List.of(
                "-Dbrubeck.service.demo.endpoint=" + ANY_PORT,
                "-Dbrubeck.service.demo.passphrase=" + PASSPHRASE,
                "-Dbrubeck.service.demo.timeout=" + CALL_TIMEOUT,
                "-Dbrubeck.service.demo.heartbeat-interval=" + HEARTBEAT), SERVER_START);
        endpoint = demo.boundEndpoint();
    }

    @AfterAll
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    static void undeploy() {
        if (demo != null) {
            demo.close();
        }
    }

    @AfterEach
    void stopWorkers() {
        workers.forEach(JavaProgram::close);
        workers.clear();
        if (demo != null && demo.server().isAlive()) {
            demo.awaitWorkers(Duration.ofSeconds(15));
        }
    }

    /** Starts a worker program connected to the deployed demo, whose slow echo takes the given time, and waits until it has joined. */
    private JavaProgram startWorker(Duration slowDelay) {
        JavaProgram worker = JavaProgram.start("worker-" + (workers.size() + 1), Artifacts.worker(), List.of(
                "-Xmx256m",
                "-Dbrubeck.worker.connect=" + endpoint,
                "-Dbrubeck.worker.passphrase=" + PASSPHRASE,
                "-Dbrubeck.worker.heartbeat-interval=" + HEARTBEAT,
                "-Dbrubeck.worker.concurrency=2",
                "-Ddemo.slow.delay=" + slowDelay,
                "-Dworker.exit-with-pid=" + ProcessHandle.current().pid()), List.of());
        workers.add(worker);
        worker.awaitSaid("brubeck-service worker ready: service 'demo', connecting to " + endpoint, WORKER_START);
        demo.awaitWorkers(WORKER_START, worker.pid());
        return worker;
    }

    @Test
    void theIndexPageExplainsThePatternsAndLinksToThePagesUnderTheContextRoot() {
        Web.Answer index = demo.web().get("", HTML, HTTP_LIMIT);

        assertEquals(200, index.status(), index.body());
        assertTrue(index.body().contains("<h1>brubeck-service demo</h1>"), index.body());
        for (String link : List.of("service/sync", "service/async", "service/primes?below=", "service/status")) {
            assertTrue(index.body().contains("<a href=\"" + link), "No relative link to " + link + ":\n" + index.body());
        }
    }

    @Test
    void theWarStartsNoWorkerAndItsClientListensWhereMicroProfileConfigSays() {
        String status = demo.web().get("service/status", "application/json", HTTP_LIMIT).body();

        assertTrue(endpoint.matches("tcp://127\\.0\\.0\\.1:[1-9][0-9]*"), "bound as configured, " + ANY_PORT + ": " + endpoint);
        assertTrue(status.contains("\"endpoint\":\"" + endpoint + "\""), status);
        assertTrue(demo.workers().isEmpty(), status);
        assertEquals(List.of(), demo.server().children(), "The server started processes");
    }

    /**
     * The server's MicroProfile Health endpoints carry the library's checks: the demo's service is not ready
     * (503) while no worker is connected and ready (200) once one is, and the library is live either way.
     */
    @Test
    void theServerReportsTheServiceReadyOnceAWorkerIsConnected() {
        Web.Answer notReady = health("ready");
        assertEquals(503, notReady.status(), notReady.body());
        assertTrue(hasData(notReady, "demo.workers", "0"), notReady.body());
        Web.Answer live = health("live");
        assertEquals(200, live.status(), live.body());
        assertTrue(hasData(live, "client.demo", "running"), live.body());

        startWorker(Duration.ofMillis(200));

        Web.Answer ready = health("ready");
        assertEquals(200, ready.status(), ready.body());
        assertTrue(hasData(ready, "demo.workers", "1"), ready.body());
    }

    /** GETs one of the server's health endpoints, at the server's root rather than under the application's. */
    private static Web.Answer health(String which) {
        return demo.web().get("/health/" + which, "application/json", HTTP_LIMIT);
    }

    /** Whether the answer has brubeck-service's check with this datum. */
    private static boolean hasData(Web.Answer answer, String key, String value) {
        return HealthData.has(answer.body(), key, value);
    }

    /**
     * The server's MicroProfile Metrics endpoint carries the library's metrics for the demo's service: the calls
     * the test makes are counted as calls and as answers with a 2xx status, and the connected worker shows.
     * Other tests may have called before, so the counts are compared with those read before the calls.
     */
    @Test
    void theServerReportsTheServicesMetrics() {
        startWorker(Duration.ofMillis(100));
        double callsBefore = metric("brubeck_client_calls", "");
        double answeredBefore = metric("brubeck_client_calls_answered", "status=\"2xx\"");

        int calls = 3;
        for (int i = 0; i < calls; i++) {
            assertEquals(200, demo.web().get("service/sync", HTML, HTTP_LIMIT).status());
        }

        assertTrue(metric("brubeck_client_calls", "") >= callsBefore + calls, metrics());
        assertTrue(metric("brubeck_client_calls_answered", "status=\"2xx\"") >= answeredBefore + calls, metrics());
        assertEquals(1.0, metric("brubeck_client_workers", ""), metrics());
        assertEquals(0.0, metric("brubeck_client_calls_failed", "reason=\"rejected\""), metrics());
    }

    /** The application's metrics in Prometheus' text format, from the server's root rather than the application's. */
    private static String metrics() {
        Web.Answer answer = demo.web().get("/metrics?scope=application", "text/plain", HTTP_LIMIT);
        assertEquals(200, answer.status(), answer.body());
        return answer.body();
    }

    /** The value of one of the demo service's metrics, with the tag given too when it is not empty. */
    private static double metric(String name, String tag) {
        return PrometheusText.value(metrics(), name, "demo", tag);
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
    void asyncAnswersAtOnceAndTheResponseRouteLogsTheReplyLater() {
        Duration slowDelay = Duration.ofSeconds(3);
        JavaProgram worker = startWorker(slowDelay);

        Web.Answer answer = demo.web().get("service/async", HTML, HTTP_LIMIT);
        boolean slowRouteDoneBeforeAnswer = worker.said("Slow echo done, sending back: " + ASYNC_DATA);

        assertEquals(200, answer.status(), answer.body());
        assertTrue(answer.body().contains("Async is faster, but ... nothing to report on my trip."), answer.body());
        assertFalse(slowRouteDoneBeforeAnswer, "The page waited for the slow route");
        assertTrue(answer.took().compareTo(slowDelay) < 0, "The page took " + answer.took() + ", as long as the slow route");
        demo.server().awaitSaid("Successful 200:Took a while, but I am back. RETURN_DATA: " + ASYNC_DATA, Duration.ofSeconds(30));
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

        assertEquals(400, demo.web().get("service/primes?below=many", HTML, HTTP_LIMIT).status());
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
}
