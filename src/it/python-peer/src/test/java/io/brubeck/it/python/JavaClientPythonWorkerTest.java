package io.brubeck.it.python;

import static io.brubeck.it.python.Interop.HEARTBEAT;
import static io.brubeck.it.python.Interop.LIVENESS;
import static io.brubeck.it.python.Interop.PATIENCE;
import static io.brubeck.it.python.Interop.SECRET;
import static io.brubeck.it.python.Interop.SERVICE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.Await;
import io.brubeck.service.api.Method;
import io.brubeck.service.api.ResponseHandler;
import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.api.ServiceTimeoutException;
import io.brubeck.service.api.ServiceUnavailableException;
import io.brubeck.service.engine.ClientConfig;
import io.brubeck.service.engine.RouteTable;
import io.brubeck.service.engine.ServiceClientEndpoint;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Java client ({@link ServiceClientEndpoint}) calling the Python worker, worker.py, in a process of its
 * own: every verb, the worker's own status codes, concurrency, credit, deadlines, a crash and a wrong secret.
 */
@Timeout(90)
class JavaClientPythonWorkerTest {
    private static final int CAPACITY = 4;

    private final Queue<ServiceResponse> routedResponses = new ConcurrentLinkedQueue<>();
    private final LibraryLog libraryLog = new LibraryLog();
    private final List<AutoCloseable> open = new ArrayList<>();
    private ServiceClientEndpoint client;
    private PythonPeer worker;

    @BeforeAll
    static void pythonWithZmq() {
        Python.interpreter();
    }

    @BeforeEach
    void startClientAndPythonWorker() {
        libraryLog.start();
        client = startClient();
        worker = track(Interop.pythonWorker("python-worker", client.endpoint(), SECRET,
                "--capacity", String.valueOf(CAPACITY), "--grace", "10000"));
        worker.awaitEvent("registered", PATIENCE);
        Interop.awaitWorkers(client, 1, worker);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        libraryLog.stop();
    }

    private ServiceClientEndpoint startClient() {
        return startClient("tcp://127.0.0.1:*");
    }

    private ServiceClientEndpoint startClient(String endpoint) {
        RouteTable<ResponseHandler> responseRoutes = RouteTable.<ResponseHandler>builder()
                .route("^/echo$", Method.RESPONSE, response -> {
                    routedResponses.add(response);
                    return "routed";
                }).build();
        return track(ServiceClientEndpoint.start(ClientConfig.builder(SERVICE).endpoint(endpoint)
                .passphrase(SECRET).heartbeatInterval(HEARTBEAT).liveness(LIVENESS).timeout(Duration.ofSeconds(10))
                .responseRoutes(responseRoutes).build()));
    }

    private <T extends AutoCloseable> T track(T resource) {
        open.add(resource);
        return resource;
    }

    @Test
    void sendCarriesJsonArgumentsHeadersAndABinaryBodyBothWaysUnchanged() {
        byte[] body = new byte[600];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i; // every byte value, 0x00 and 0xff included, more than once
        }
        String text = "h\u00e9llo \u2713 \"quoted\" \\ \ud83d\ude00";

        ServiceResult result = client.request("/echo").argument("text", text).argument("number", 42)
                .argument("nested", Map.of("list", List.of(1, 2, 3))).header("x-trace", "t-1").body(body).send();

        ServiceResponse response = result.response();
        assertEquals(200, response.statusCode());
        assertEquals("echoed", response.statusMessage());
        assertEquals(Method.RESPONSE, response.method());
        JsonObject arguments = response.payload().getJsonObject("arguments");
        assertEquals(text, arguments.getString("text"));
        assertEquals(42, arguments.getInt("number"));
        assertEquals("[1,2,3]", arguments.getJsonObject("nested").getJsonArray("list").toString());
        assertEquals("t-1", response.payload().getJsonObject("headers").getString("x-trace"));
        assertEquals("request", response.payload().getString("method"));
        assertEquals("/echo", response.path());
        assertEquals("yes", response.headers().get("x-echo"));
        assertArrayEquals(body, response.body());
        assertTrue(response.payload().getString("label").startsWith(worker.pid() + "@"), response.payload().toString());
        assertFalse(response.endTime().isBefore(response.startTime()));
        // The REPLY's METHOD, response, routed it to the client's response route.
        assertEquals("routed", result.handlerResponse());
    }

    @Test
    void sendAsyncCompletesWithTheAnswer() throws Exception {
        ServiceResult result = client.request("/echo").argument("n", 7).sendAsync().toCompletableFuture()
                .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

        assertEquals(200, result.response().statusCode());
        assertEquals(7, result.response().payload().getJsonObject("arguments").getInt("n"));
    }

    @Test
    void sendNoWaitRunsTheResponseRouteExactlyOnce() {
        client.request("/echo").argument("nowait", "n-1").sendNoWait();

        Await.until(PATIENCE, "the response route to run", () -> !routedResponses.isEmpty(), worker::tail);
        long id = worker.awaitEvent("request", e -> e.getString("path").equals("/echo"), PATIENCE).getJsonNumber("id")
                .longValue();
        // One more round trip through the same worker: by its end, anything more about the nowait call would
        // have shown up, at the client and in the worker's output, which reports its replies in order.
        assertEquals(200, client.request("/stats").send().response().statusCode());
        long stats = worker.awaitEvent("request", e -> e.getString("path").equals("/stats"), PATIENCE)
                .getJsonNumber("id").longValue();
        worker.awaitEvent("replied", e -> e.getJsonNumber("id").longValue() == stats, PATIENCE);
        assertEquals(1, worker.events("replied", e -> e.getJsonNumber("id").longValue() == id).size());
        assertEquals(1, routedResponses.size(), "the response route ran " + routedResponses.size() + " times");
        assertEquals("n-1", routedResponses.peek().payload().getJsonObject("arguments").getString("nowait"));
    }

    @Test
    void unknownPathIsAnswered404() {
        ServiceResponse response = client.request("/nowhere").send().response();

        assertEquals(404, response.statusCode());
        assertEquals("No route for /nowhere", response.statusMessage());
    }

    @Test
    void methodTheRouteDoesNotServeIsAnswered405() {
        ServiceResponse response = client.request("/echo").method(Method.PUT).send().response();

        assertEquals(405, response.statusCode());
        assertEquals("METHOD 'put' is not allowed on /echo", response.statusMessage());
        // The same path with a METHOD it serves.
        assertEquals(200, client.request("/echo").method(Method.POST).send().response().statusCode());
    }

    @Test
    void concurrentCallsEachGetTheirOwnAnswer() throws Exception {
        int threads = 16;
        int callsPerThread = 25;
        ExecutorService callers = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> mismatches = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                mismatches.add(callers.submit(() -> {
                    List<String> wrong = new ArrayList<>();
                    for (int i = 0; i < callsPerThread; i++) {
                        String tag = thread + "-" + i;
                        byte[] body = ("body of " + tag).getBytes(StandardCharsets.UTF_8);
                        ServiceResponse response = client.request("/echo").argument("tag", tag).body(body).send().response();
                        String echoed = response.payload().getJsonObject("arguments").getString("tag");
                        String echoedBody = new String(response.body(), StandardCharsets.UTF_8);
                        if (response.statusCode() != 200 || !tag.equals(echoed) || !echoedBody.equals("body of " + tag)) {
                            wrong.add(tag + " got " + response.statusCode() + " " + echoed + " / " + echoedBody);
                        }
                    }
                    return wrong;
                }));
            }
            List<String> wrong = new ArrayList<>();
            for (Future<List<String>> result : mismatches) {
                wrong.addAll(result.get(60, TimeUnit.SECONDS));
            }
            assertEquals(List.of(), wrong);
            // The worker's own account, which its output may still be delivering.
            Await.until(PATIENCE, "the worker to report " + threads * callsPerThread + " replies",
                    () -> worker.events("replied").size() >= threads * callsPerThread, worker::tail);
            assertEquals(threads * callsPerThread, worker.events("replied").size());
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void clientNeverHasMoreCallsAtTheWorkerThanItsCapacity() throws Exception {
        assertEquals(CAPACITY, Interop.workers(client).get(0).capacity());
        // Each /hold call returns once CAPACITY of them run at once: that happens only if the client uses all
        // the credit, and the worker counts how many it had admitted at most, and how many it refused.
        List<CompletableFuture<ServiceResult>> calls = new ArrayList<>();
        for (int i = 0; i < 3 * CAPACITY; i++) {
            calls.add(client.request("/hold").argument("until", CAPACITY).sendAsync().toCompletableFuture());
        }
        for (CompletableFuture<ServiceResult> call : calls) {
            ServiceResponse response = call.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).response();
            assertEquals(200, response.statusCode());
            assertTrue(response.payload().getBoolean("reached"), response.payload().toString());
        }

        JsonObject stats = client.request("/stats").send().response().payload();
        assertEquals(CAPACITY, stats.getInt("maxAdmitted"), stats.toString());
        assertEquals(0, stats.getInt("refused"), stats.toString());
    }

    @Test
    void deadlineShorterThanTheHandlerFailsWithATimeoutNearTheDeadline() {
        Duration deadline = Duration.ofMillis(800);
        long start = System.nanoTime();

        assertThrows(ServiceTimeoutException.class,
                () -> client.request("/slow").argument("ms", 30_000).timeout(deadline).send());

        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(elapsed.compareTo(deadline) >= 0, "failed after " + elapsed.toMillis() + " ms, before its deadline");
        assertTrue(elapsed.compareTo(deadline.plusMillis(3000)) < 0, "failed only after " + elapsed.toMillis() + " ms");
        // It timed out at the worker, not in the client's queue.
        JsonObject request = worker.awaitEvent("request", e -> e.getString("path").equals("/slow"), PATIENCE);
        assertTrue(worker.events("replied", e -> e.getJsonNumber("id").equals(request.getJsonNumber("id"))).isEmpty());
    }

    @Test
    void killedWorkerFailsItsCallAsUnavailableWithinTheLivenessWindow() {
        CompletableFuture<ServiceResult> call = client.request("/slow").argument("ms", 60_000)
                .timeout(Duration.ofSeconds(60)).sendAsync().toCompletableFuture();
        worker.awaitEvent("request", e -> e.getString("path").equals("/slow"), PATIENCE);

        long killed = System.nanoTime();
        worker.kill();
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> call.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));

        Duration elapsed = Duration.ofNanos(System.nanoTime() - killed);
        assertInstanceOf(ServiceUnavailableException.class, failure.getCause());
        // Silence is noticed between the limit and the limit plus one of the client's own intervals (7.2);
        // three seconds more for a loaded machine.
        Duration window = HEARTBEAT.multipliedBy(LIVENESS + 1);
        assertTrue(elapsed.compareTo(window.plusSeconds(3)) < 0, "unavailable only after " + elapsed.toMillis() + " ms");
        Await.until(PATIENCE, "the client to drop the killed worker", () -> Interop.workers(client).isEmpty());
    }

    @Test
    void restartedClientGetsTheWorkerBack() {
        String endpoint = client.endpoint();
        client.close();
        // The client's goodbye (10.2) makes the registered worker reconnect and announce itself again.
        worker.awaitEvent("reconnected", e -> e.getString("reason").equals("disconnect"), PATIENCE);

        ServiceClientEndpoint restarted = startClient(endpoint);

        worker.awaitEvent("registered", e -> e.getInt("generation") > 1, PATIENCE);
        Interop.awaitWorkers(restarted, 1, worker);
        assertEquals(200, restarted.request("/echo").send().response().statusCode());
    }

    @Test
    void workerWithTheWrongPassphraseIsNeverUsed() {
        ServiceClientEndpoint lonely = startClient();
        PythonPeer impostor = track(Interop.pythonWorker("impostor", lonely.endpoint(), "not-the-secret"));
        // Its READY went unanswered for a whole silence limit, so it announced itself again.
        impostor.awaitEvent("reconnected", e -> e.getString("reason").equals("silence"), PATIENCE);

        assertThrows(ServiceTimeoutException.class,
                () -> lonely.request("/echo").timeout(Duration.ofSeconds(1)).send());

        assertEquals(List.of(), Interop.workers(lonely));
        assertEquals(List.of(), impostor.events("registered"));
        assertEquals(List.of(), impostor.events("request"));
        assertTrue(libraryLog.contains("signature does not match"),
                "the client's log: " + libraryLog);
    }

    @Test
    void stoppedWorkerFinishesTheCallItRunsAndLeaves() throws Exception {
        CompletableFuture<ServiceResult> call = client.request("/slow").argument("ms", 1000).sendAsync()
                .toCompletableFuture();
        long id = worker.awaitEvent("request", e -> e.getString("path").equals("/slow"), PATIENCE)
                .getJsonNumber("id").longValue();

        worker.send("stop");

        assertEquals(200, call.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).response().statusCode());
        assertEquals(0, worker.awaitExit(PATIENCE));
        // It said goodbye, heard the client's answer, finished its request and only then stopped, with nothing
        // left over, well within its grace of 10 s.
        int draining = worker.position("draining", e -> true);
        int answered = worker.position("disconnect", e -> true);
        int replied = worker.position("replied", e -> e.getJsonNumber("id").longValue() == id);
        int stopped = worker.position("stopped", e -> e.getInt("unfinished") == 0);
        assertTrue(draining >= 0 && answered > draining && replied > draining && stopped > Math.max(answered, replied),
                "draining " + draining + ", answered " + answered + ", replied " + replied + ", stopped " + stopped
                        + worker.tail());
        Await.until(PATIENCE, "the client to forget the worker", () -> Interop.workers(client).isEmpty());
    }
}
