package io.brubeck.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JAX-RS demo's WAR deployed unchanged on a Jakarta EE server, browsed over HTTP as its user browses it,
 * with worker programs ({@code brubeck-service-worker.jar}) in JVMs of their own connected to its client: the
 * checks of its pages that {@code demo-war}, {@code demo-war-wildfly} and {@code demo-war-liberty} make, one
 * server each.
 *
 * <p>The server is given {@link #configuration}, the application's MicroProfile Config keys, in whatever way
 * its users give system properties; once it runs, {@link #open} waits until the index page answers and reads
 * the endpoint the client bound from the status page. A check starts the workers it needs;
 * {@link #stopWorkers()}, after each test, ends them and waits until the demo has none left.
 * {@link DeployedDemoTests} runs the checks as tests:
 *
 * <pre>{@code
 * server = SomeServer.start(DemoArtifacts.demoWar(), DeployedDemoPages.configuration(PASSPHRASE));
 * pages = DeployedDemoPages.open(server.awaitStarted(START_LIMIT), server.output(), PASSPHRASE, START_LIMIT);
 * pages.checkSync();
 * pages.stopWorkers();
 * }</pre>
 */
public final class DeployedDemoPages {
    /** The context root a server gives the WAR: its file name without {@code .war}. */
    private static final String CONTEXT_ROOT = "brubeck-service-jaxrs-demo/";
    /** How long a call may take before the page answers 504, as configured. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration HEARTBEAT = Duration.ofMillis(250);
    /** The client endpoint's address as configured: any free port, which the status page then names. */
    private static final String ANY_PORT = "tcp://127.0.0.1:*";
    private static final String SYNC_DATA = "I made a round trip, it took a while but I bring results.";
    private static final String ASYNC_DATA = "I made a round trip, it took so long I will respond to no one.";
    private static final Duration WORKER_START = Duration.ofSeconds(60);
    private static final Duration WORKERS_GONE = Duration.ofSeconds(15);
    private static final Duration HTTP_LIMIT = Duration.ofSeconds(30);
    private static final String HTML = "text/html";
    private static final String JSON = "application/json";
    private static final Pattern BOUND_ENDPOINT = Pattern.compile("\"endpoint\":\"([^\"]+)\"");

    private final Web web;
    private final ChildProcess server;
    private final String passphrase;
    private final String endpoint;
    private final ConnectedWorkers connected;
    private final List<JavaProgram> workers = new ArrayList<>();

    private DeployedDemoPages(Web web, ChildProcess server, String passphrase, String endpoint) {
        this.web = web;
        this.server = server;
        this.passphrase = passphrase;
        this.endpoint = endpoint;
        this.connected = new ConnectedWorkers(web);
    }

    /**
     * The application's configuration, as MicroProfile Config keys and values: the client of service
     * {@code demo} bound on any free port of the loopback address, with this passphrase, a call timeout of
     * {@link #CALL_TIMEOUT} and a short heartbeat, so that a killed worker is noticed quickly.
     */
    public static Map<String, String> configuration(String passphrase) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("brubeck.service.demo.endpoint", ANY_PORT);
        config.put("brubeck.service.demo.passphrase", passphrase);
        config.put("brubeck.service.demo.timeout", CALL_TIMEOUT.toString());
        config.put("brubeck.service.demo.heartbeat-interval", HEARTBEAT.toString());
        return config;
    }

    /**
     * Waits until the demo deployed on a server answers its index page, and reads the endpoint its client
     * bound; fails when the server ends first or the limit passes.
     *
     * @param serverRoot the root of the server's HTTP listener, under which the WAR has its context root
     * @param server     the server's process, whose output the checks read and failures show
     * @param passphrase the passphrase the demo was configured with, for the workers
     */
    public static DeployedDemoPages open(URI serverRoot, ChildProcess server, String passphrase, Duration limit) {
        Web web = new Web(serverRoot.resolve(CONTEXT_ROOT));
        Await.until(limit, "the deployed demo's index page at " + web.base(),
                () -> web.statusOrZero("") == 200 || !server.isAlive(), server::tail);
        if (!server.isAlive()) {
            fail("The server ended before the demo answered" + server.tail());
        }
        Matcher bound = BOUND_ENDPOINT.matcher(web.bodyOrEmpty("service/status"));
        if (!bound.find()) {
            fail("The status page names no endpoint" + server.tail());
        }
        return new DeployedDemoPages(web, server, passphrase, bound.group(1));
    }

    /** The demo's pages, under its context root. */
    public Web web() {
        return web;
    }

    /** The address the demo's client endpoint is bound to, as the status page named it. */
    public String endpoint() {
        return endpoint;
    }

    /**
     * Starts a worker program connected to the demo, whose slow echo takes the given time, and waits until it
     * has joined; {@link #stopWorkers()} ends it.
     */
    public JavaProgram startWorker(Duration slowDelay) {
        JavaProgram worker = JavaProgram.start("worker-" + (workers.size() + 1), DemoArtifacts.worker(), List.of(
                "-Xmx256m",
                "-Dbrubeck.worker.connect=" + endpoint,
                "-Dbrubeck.worker.passphrase=" + passphrase,
                "-Dbrubeck.worker.heartbeat-interval=" + HEARTBEAT,
                "-Dbrubeck.worker.concurrency=2",
                "-Ddemo.slow.delay=" + slowDelay,
                "-Dworker.exit-with-pid=" + ProcessHandle.current().pid()), List.of());
        workers.add(worker);
        worker.awaitSaid("brubeck-service worker ready: service 'demo', connecting to " + endpoint, WORKER_START);
        connected.await(WORKER_START, server::tail, worker.pid());
        return worker;
    }

    /** Ends every worker started so far and, while the server runs, waits until the demo has none left. */
    public void stopWorkers() {
        workers.forEach(JavaProgram::close);
        workers.clear();
        if (server.isAlive()) {
            connected.await(WORKERS_GONE, server::tail);
        }
    }

    /** The index page explains the patterns and links to the other pages relative to the context root. */
    public void checkIndexPage() {
        Web.Answer index = web.get("", HTML, HTTP_LIMIT);

        assertEquals(200, index.status(), index.body());
        assertTrue(index.body().contains("<h1>brubeck-service demo</h1>"), index.body());
        for (String link : List.of("service/sync", "service/async", "service/primes?below=", "service/status")) {
            assertTrue(index.body().contains("<a href=\"" + link), "No relative link to " + link + ":\n" + index.body());
        }
    }

    /**
     * The status page names the endpoint bound as MicroProfile Config said (a port of the loopback address) and
     * no worker: the WAR starts none of its own, and neither does the server.
     *
     * @param processesOfTheServer the processes the server's JVM started, which should be none
     */
    public void checkStatusPage(List<ProcessHandle> processesOfTheServer) {
        Web.Answer status = web.get("service/status", JSON, HTTP_LIMIT);

        assertEquals(200, status.status(), status.body());
        assertTrue(endpoint.matches("tcp://127\\.0\\.0\\.1:[1-9][0-9]*"), "bound as configured, " + ANY_PORT + ": " + endpoint);
        assertTrue(status.body().contains("\"serviceName\":\"demo\""), status.body());
        assertTrue(status.body().contains("\"endpoint\":\"" + endpoint + "\""), status.body());
        assertTrue(connected.labels().isEmpty(), status.body());
        assertEquals(List.of(), processesOfTheServer, "The server started processes");
    }

    /** {@code /service/sync} returns the echoed text and what the response route made of the answer. */
    public void checkSync() {
        startWorker(Duration.ofMillis(500));

        Web.Answer answer = web.get("service/sync", HTML, HTTP_LIMIT);

        assertEquals(200, answer.status(), answer.body());
        assertTrue(answer.body().contains(SYNC_DATA), answer.body());
        assertTrue(answer.body().contains("handled 200 Took a while, but I am back."), answer.body());
    }

    /**
     * {@code /service/async} answers before the slow route finishes, and the response route logs the reply in
     * the server's output later.
     */
    public void checkAsync() {
        Duration slowDelay = Duration.ofSeconds(3);
        JavaProgram worker = startWorker(slowDelay);

        Web.Answer answer = web.get("service/async", HTML, HTTP_LIMIT);
        boolean slowRouteDoneBeforeAnswer = worker.said("Slow echo done, sending back: " + ASYNC_DATA);

        assertEquals(200, answer.status(), answer.body());
        assertTrue(answer.body().contains("Async is faster, but ... nothing to report on my trip."), answer.body());
        assertFalse(slowRouteDoneBeforeAnswer, "The page waited for the slow route");
        assertTrue(answer.took().compareTo(slowDelay) < 0, "The page took " + answer.took() + ", as long as the slow route");
        server.awaitSaid("Successful 200:Took a while, but I am back. RETURN_DATA: " + ASYNC_DATA, Duration.ofSeconds(30));
    }

    /**
     * {@code /service/primes} counts right, as JSON (written by the server's JSON-B) and as a page, and refuses a
     * bound that is no number with 400.
     */
    public void checkPrimes() {
        startWorker(Duration.ofMillis(500));

        Web.Answer json = web.get("service/primes?below=1000000", JSON, HTTP_LIMIT);
        assertEquals(200, json.status(), json.body());
        assertTrue(json.body().contains("\"count\":78498"), json.body());
        assertTrue(json.body().contains("\"largest\":999983"), json.body());

        Web.Answer page = web.get("service/primes?below=100", HTML, HTTP_LIMIT);
        assertEquals(200, page.status(), page.body());
        assertTrue(page.body().contains("Primes below 100:</strong> <q class=\"result\">25</q>"), page.body());

        assertEquals(400, web.get("service/primes?below=many", HTML, HTTP_LIMIT).status());
    }

    /**
     * After the only worker is killed, {@code /service/sync} answers 503 or 504 within the call timeout, and a
     * new worker makes it work again.
     */
    public void checkKilledWorkerAndRecovery() {
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

    /**
     * The server's MicroProfile Health endpoints ({@code /health/ready} and {@code /health/live} at the server's
     * root) carry the library's checks: the demo's service is not ready (503) while no worker is connected and
     * ready (200) once one is, and the library is live either way. Call it with no worker connected.
     */
    public void checkHealthEndpoints() {
        Web.Answer notReady = health("ready");
        assertEquals(503, notReady.status(), notReady.body());
        assertTrue(HealthData.has(notReady.body(), "demo.workers", "0"), notReady.body());
        Web.Answer live = health("live");
        assertEquals(200, live.status(), live.body());
        assertTrue(HealthData.has(live.body(), "client.demo", "running"), live.body());

        startWorker(Duration.ofMillis(200));

        Web.Answer ready = health("ready");
        assertEquals(200, ready.status(), ready.body());
        assertTrue(HealthData.has(ready.body(), "demo.workers", "1"), ready.body());
    }

    private Web.Answer health(String which) {
        return web.get("/health/" + which, JSON, HTTP_LIMIT);
    }

    /**
     * The server's MicroProfile Metrics endpoint ({@code /metrics?scope=application} at the server's root, in
     * Prometheus' text format) carries the library's metrics of the demo's service: the calls made here are
     * counted as calls and as answers with a 2xx status, and the connected worker shows. Other checks may have
     * called before, so the counts are compared with those read before the calls. Call it with no worker
     * connected.
     */
    public void checkMetricsEndpoint() {
        startWorker(Duration.ofMillis(100));
        double callsBefore = metric("brubeck_client_calls", "");
        double answeredBefore = metric("brubeck_client_calls_answered", "status=\"2xx\"");

        int calls = 3;
        for (int i = 0; i < calls; i++) {
            assertEquals(200, web.get("service/sync", HTML, HTTP_LIMIT).status());
        }

        assertTrue(metric("brubeck_client_calls", "") >= callsBefore + calls, metrics());
        assertTrue(metric("brubeck_client_calls_answered", "status=\"2xx\"") >= answeredBefore + calls, metrics());
        assertEquals(1.0, metric("brubeck_client_workers", ""), metrics());
        assertEquals(0.0, metric("brubeck_client_calls_failed", "reason=\"rejected\""), metrics());
    }

    private String metrics() {
        Web.Answer answer = web.get("/metrics?scope=application", "text/plain", HTTP_LIMIT);
        assertEquals(200, answer.status(), answer.body());
        return answer.body();
    }

    /** The value of one of the demo service's metrics, with the tag given too when it is not empty. */
    private double metric(String name, String tag) {
        return PrometheusText.value(metrics(), name, "demo", tag);
    }
}
