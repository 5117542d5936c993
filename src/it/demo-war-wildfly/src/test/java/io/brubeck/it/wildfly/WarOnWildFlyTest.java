package io.brubeck.it.wildfly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.brubeck.it.support.Await;
import io.brubeck.it.support.ConnectedWorkers;
import io.brubeck.it.support.JavaProgram;
import io.brubeck.it.support.Web;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo's WAR, unchanged, in WildFly (full Jakarta EE 10 profile): the server provides Jakarta REST
 * (RESTEasy), CDI (Weld), JSON-B and MicroProfile Config (SmallRye), the WAR only the application, the library
 * and JeroMQ. The service client is configured through MicroProfile Config from system properties the server
 * reads from a properties file (its endpoint on any free port, passphrase, timeout, heartbeat); worker programs
 * started by the test connect to it, and the pages are driven over HTTP. The server starts once for all tests;
 * each test starts the workers it needs, and after each, every worker is gone and the application has none left.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WarOnWildFlyTest {
    /** The context root WildFly gives the WAR: its file name without {@code .war}. */
    private static final String CONTEXT_ROOT = "brubeck-service-jaxrs-demo/";
    private static final String SYNC_DATA = "I made a round trip, it took a while but I bring results.";
    private static final String ASYNC_DATA = "I made a round trip, it took so long I will respond to no one.";
    private static final String PASSPHRASE = "a secret of the wildfly test";
    /** The client endpoint's address as configured: any free port, which the status page then names. */
    private static final String ANY_PORT = "tcp://127.0.0.1:*";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration HEARTBEAT = Duration.ofMillis(250);
    /** WildFly boots the full profile and deploys: about 15 s on an idle two-core machine. */
    private static final Duration SERVER_START = Duration.ofSeconds(180);
    private static final Duration WORKER_START = Duration.ofSeconds(60);
    private static final Duration HTTP_LIMIT = Duration.ofSeconds(30);
    private static final String HTML = "text/html";
    private static final Pattern BOUND_ENDPOINT = Pattern.compile("\"endpoint\":\"([^\"]+)\"");

    private static WildFlyServer server;
    private static Web web;
    private static ConnectedWorkers connected;
    private static String endpoint;
    private final List<JavaProgram> workers = new ArrayList<>();

    @BeforeAll
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    static void deploy() {
        server = WildFlyServer.start(Artifacts.demoWar(), Map.of(
                "brubeck.service.demo.endpoint", ANY_PORT,
                "brubeck.service.demo.passphrase", PASSPHRASE,
                "brubeck.service.demo.timeout", CALL_TIMEOUT.toString(),
                "brubeck.service.demo.heartbeat-interval", HEARTBEAT.toString()));
        server.awaitStarted(SERVER_START);
        web = new Web(server.httpBase().resolve(CONTEXT_ROOT));
        connected = new ConnectedWorkers(web);
        Await.until(HTTP_LIMIT, "the deployed demo's index page at " + web.base(),
                () -> web.statusOrZero("") == 200, server.output()::tail);
        Matcher bound = BOUND_ENDPOINT.matcher(web.bodyOrEmpty("service/status"));
        if (!bound.find()) {
            fail("The status page names no endpoint" + server.output().tail());
        }
        endpoint = bound.group(1);
    }

    @AfterAll
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    static void undeploy() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void stopWorkers() {
        workers.forEach(JavaProgram::close);
        workers.clear();
        if (server != null && server.isAlive()) {
            connected.await(Duration.ofSeconds(15), server.output()::tail);
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
        connected.await(WORKER_START, server.output()::tail, worker.pid());
        return worker;
    }

    @Test
    void theIndexPageExplainsThePatternsAndLinksToThePagesUnderTheContextRoot() {
        Web.Answer index = web.get("", HTML, HTTP_LIMIT);

        assertEquals(200, index.status(), index.body());
        assertTrue(index.body().contains("<h1>brubeck-service demo</h1>"), index.body());
        for (String link : List.of("service/sync", "service/async", "service/primes?below=", "service/status")) {
            assertTrue(index.body().contains("<a href=\"" + link), "No relative link to " + link + ":\n" + index.body());
        }
    }

    @Test
    void theStatusPageShowsTheEndpointMicroProfileConfigGaveAndTheWarStartsNoWorker() {
        Web.Answer status = web.get("service/status", "application/json", HTTP_LIMIT);

        assertEquals(200, status.status(), status.body());
        assertTrue(endpoint.matches("tcp://127\\.0\\.0\\.1:[1-9][0-9]*"), "bound as configured, " + ANY_PORT + ": " + endpoint);
        assertTrue(status.body().contains("\"serviceName\":\"demo\""), status.body());
        assertTrue(connected.labels().isEmpty(), status.body());
        assertEquals(List.of(), server.childrenOfTheServer(), "The server started processes");
    }

    @Test
    void syncReturnsTheEchoedTextAndWhatTheResponseRouteMadeOfIt() {
        startWorker(Duration.ofMillis(500));

        Web.Answer answer = web.get("service/sync", HTML, HTTP_LIMIT);

        assertEquals(200, answer.status(), answer.body());
        assertTrue(answer.body().contains(SYNC_DATA), answer.body());
        assertTrue(answer.body().contains("handled 200 Took a while, but I am back."), answer.body());
    }

    @Test
    void asyncAnswersAtOnceAndTheResponseRouteLogsTheReplyLater() {
        Duration slowDelay = Duration.ofSeconds(3);
        JavaProgram worker = startWorker(slowDelay);

        Web.Answer answer = web.get("service/async", HTML, HTTP_LIMIT);
        boolean slowRouteDoneBeforeAnswer = worker.said("Slow echo done, sending back: " + ASYNC_DATA);

        assertEquals(200, answer.status(), answer.body());
        assertTrue(answer.body().contains("Async is faster, but ... nothing to report on my trip."), answer.body());
        assertFalse(slowRouteDoneBeforeAnswer, "The page waited for the slow route");
        assertTrue(answer.took().compareTo(slowDelay) < 0, "The page took " + answer.took() + ", as long as the slow route");
        server.output().awaitSaid("Successful 200:Took a while, but I am back. RETURN_DATA: " + ASYNC_DATA, Duration.ofSeconds(30));
    }

    /** The count comes back as JSON written by the server's JSON-B, and as a page. */
    @Test
    void theCpuHeavyRouteCountsThePrimesRight() {
        startWorker(Duration.ofMillis(500));

        Web.Answer json = web.get("service/primes?below=1000000", "application/json", HTTP_LIMIT);
        assertEquals(200, json.status(), json.body());
        assertTrue(json.body().contains("\"count\":78498"), json.body());
        assertTrue(json.body().contains("\"largest\":999983"), json.body());

        Web.Answer page = web.get("service/primes?below=100", HTML, HTTP_LIMIT);
        assertEquals(200, page.status(), page.body());
        assertTrue(page.body().contains("Primes below 100:</strong> <q class=\"result\">25</q>"), page.body());

        assertEquals(400, web.get("service/primes?below=many", HTML, HTTP_LIMIT).status());
    }

    @Test
    void afterTheWorkerIsKilledSyncAnswers503Or504WithinItsTimeoutAndANewWorkerMakesItWorkAgain() {
        JavaProgram first = startWorker(Duration.ofMillis(200));
        assertEquals(200, web.get("service/sync", HTML, HTTP_LIMIT).status());

        first.kill();
        Web.Answer failed = web.get("service/sync", HTML, HTTP_LIMIT);

        assertTrue(failed.status() == 503 || failed.status() == 504, failed.status() + " " + failed.body());
        assertTrue(failed.took().compareTo(CALL_TIMEOUT.plusSeconds(5)) < 0, "The failure took " + failed.took());

        startWorker(Duration.ofMillis(200));
        Web.Answer again = web.get("service/sync", HTML, HTTP_LIMIT);
        assertEquals(200, again.status(), again.body());
        assertTrue(again.body().contains(SYNC_DATA), again.body());
    }
}
