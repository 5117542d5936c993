package io.brubeck.it.python;

import static io.brubeck.it.python.Interop.HEARTBEAT;
import static io.brubeck.it.python.Interop.LIVENESS;
import static io.brubeck.it.python.Interop.PATIENCE;
import static io.brubeck.it.python.Interop.SECRET;
import static io.brubeck.it.python.Interop.SERVICE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.Await;
import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.engine.RouteTable;
import io.brubeck.service.engine.ServiceWorker;
import io.brubeck.service.engine.WorkerConfig;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Python client, client.py, in a process of its own, calling the Java worker ({@link ServiceWorker}):
 * registration and heartbeats, replies from a Java route, the worker's own status codes, credit, and the
 * worker's goodbye.
 */
@Timeout(90)
class PythonClientJavaWorkerTest {
    private static final int CONCURRENCY = 2;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int running;
    private int mostRunning;
    private int rounds;
    private int arrived;

    private PythonPeer client;
    private ServiceWorker worker;

    @BeforeAll
    static void pythonWithZmq() {
        Python.interpreter();
    }

    @BeforeEach
    void startPythonClientAndWorker() {
        client = Interop.pythonClient("python-client");
        String endpoint = client.awaitEvent("bound", PATIENCE).getString("endpoint");
        RouteTable<RequestHandler> routes = RouteTable.<RequestHandler>builder()
                .route("^/greet$", Method.REQUEST, request -> ServiceReply.created("Created for " + request.argument("name", "?"))
                        .with("greeting", "hello " + request.argument("name", "?")).withHeader("x-lang", "en")
                        .withBody(reversed(request.body())))
                .route("^/busy$", Method.REQUEST, request -> ServiceReply.ok().with("reached", holdUntilAllRun()))
                .build();
        worker = ServiceWorker.start(WorkerConfig.builder(SERVICE).endpoints(endpoint).passphrase(SECRET)
                .heartbeatInterval(HEARTBEAT).liveness(LIVENESS).concurrency(CONCURRENCY)
                .shutdownGrace(Duration.ofSeconds(10)).label("java-worker").routes(routes).build());
        client.awaitEvent("registered", PATIENCE);
    }

    @AfterEach
    void stopAll() {
        worker.close();
        client.close();
    }

    /** Returns once CONCURRENCY requests run at once (true), or after 5 s (false); counts the most at once. */
    private boolean holdUntilAllRun() throws InterruptedException {
        lock.lock();
        try {
            // A barrier: each round counts its own arrivals, so that members of the round before, still
            // on their way out, never complete the next one early.
            int enteredIn = rounds;
            running++;
            mostRunning = Math.max(mostRunning, running);
            if (++arrived >= CONCURRENCY) {
                arrived = 0;
                rounds++;
                changed.signalAll();
            }
            long nanos = TimeUnit.SECONDS.toNanos(5);
            while (rounds == enteredIn && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            running--;
            return rounds > enteredIn;
        } finally {
            lock.unlock();
        }
    }

    private static byte[] reversed(byte[] bytes) {
        byte[] copy = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            copy[i] = bytes[bytes.length - 1 - i];
        }
        return copy;
    }

    /** Asks the Python client for a call and waits for its reply. */
    private JsonObject call(String tag, String method, String path, JsonObject arguments, byte[] body) {
        JsonObject call = Json.createObjectBuilder().add("tag", tag).add("method", method).add("path", path)
                .add("arguments", arguments).add("body", Base64.getEncoder().encodeToString(body)).add("timeout", 10_000)
                .build();
        client.send(Json.createObjectBuilder().add("call", call).build().toString());
        return client.awaitEvent("reply", e -> tag.equals(e.getString("tag")), PATIENCE);
    }

    private JsonObject call(String tag, String method, String path) {
        return call(tag, method, path, JsonObject.EMPTY_JSON_OBJECT, new byte[0]);
    }

    private static JsonObject json(String text) {
        return text.isEmpty() ? JsonObject.EMPTY_JSON_OBJECT : Json.createReader(new StringReader(text)).readObject();
    }

    @Test
    void javaWorkerRegistersWithItsReadyAndHeartbeats() {
        JsonObject registered = client.awaitEvent("registered", PATIENCE);
        assertEquals(CONCURRENCY, registered.getInt("capacity"));
        assertEquals(HEARTBEAT.toMillis(), registered.getInt("heartbeat"));
        assertEquals(8 * 1024 * 1024, registered.getInt("maxSize"));
        assertEquals("java-worker", registered.getString("label"));
        // It answered the Python client's first HEARTBEAT with one naming the client's nonce: it gets work.
        assertEquals("java-worker", client.awaitEvent("active", PATIENCE).getString("label"));

        // Eight beats last longer than the worker's silence limit of three: had it not heard the Python
        // client's heartbeats, it would have reconnected and announced itself again meanwhile.
        Await.until(PATIENCE, "eight heartbeats from the Java worker", () -> client.events("heartbeat").size() >= 8,
                client::tail);
        assertTrue(client.events("heartbeat").stream().allMatch(e -> e.getInt("interval") == HEARTBEAT.toMillis()));
        assertEquals(1, client.events("registered").size(), client.tail());
    }

    @Test
    void replyOfAJavaRouteCarriesStatusPayloadHeadersAndBody() {
        byte[] body = new byte[300];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }

        JsonObject reply = call("greet", "request", "/greet", Json.createObjectBuilder().add("name", "Ada").build(), body);

        assertEquals(201, reply.getInt("status"));
        assertEquals("Created for Ada", reply.getString("message"));
        assertEquals("response", reply.getString("method"));
        assertEquals("hello Ada", json(reply.getString("payload")).getString("greeting"));
        assertEquals("en", json(reply.getString("headers")).getString("x-lang"));
        assertArrayEquals(reversed(body), Base64.getDecoder().decode(reply.getString("body")));
        assertTrue(reply.getJsonNumber("start").longValue() <= reply.getJsonNumber("end").longValue(), reply.toString());
        assertEquals("java-worker", reply.getString("worker"));
    }

    @Test
    void unknownPathIsAnswered404() {
        JsonObject reply = call("nowhere", "request", "/nowhere");

        assertEquals(404, reply.getInt("status"));
        assertEquals("No route for /nowhere", reply.getString("message"));
        assertEquals("response", reply.getString("method"));
        assertEquals("", reply.getString("payload"));
    }

    @Test
    void argumentsThatAreNotAJsonObjectAreAnswered400() {
        JsonObject call = Json.createObjectBuilder().add("tag", "broken").add("path", "/greet")
                .add("raw_arguments", "{\"name\": ").add("timeout", 10_000).build();
        client.send(Json.createObjectBuilder().add("call", call).build().toString());
        JsonObject reply = client.awaitEvent("reply", e -> "broken".equals(e.getString("tag")), PATIENCE);

        assertEquals(400, reply.getInt("status"));
        assertTrue(reply.getString("message").startsWith("The request's arguments are not a JSON object: "),
                reply.toString());
    }

    @Test
    void unsupportedOrUnservedMethodIsAnswered405() {
        JsonObject unsupported = call("patch", "PATCH", "/greet");
        assertEquals(405, unsupported.getInt("status"));
        assertEquals("METHOD 'PATCH' is not supported", unsupported.getString("message"));

        // Section 3.2: receivers compare METHODs case-insensitively.
        JsonObject unserved = call("put", "PUT", "/greet");
        assertEquals(405, unserved.getInt("status"));
        assertEquals("METHOD 'put' is not allowed on /greet", unserved.getString("message"));

        assertEquals(201, call("upper-case request", "REQUEST", "/greet").getInt("status"));
    }

    @Test
    void pythonClientKeepsWithinTheCreditTheWorkerAnnounced() {
        int calls = 5 * CONCURRENCY;
        for (int i = 0; i < calls; i++) {
            JsonObject call = Json.createObjectBuilder().add("tag", "busy-" + i).add("path", "/busy").build();
            client.send(Json.createObjectBuilder().add("call", call).build().toString());
        }
        for (int i = 0; i < calls; i++) {
            String tag = "busy-" + i;
            JsonObject reply = client.awaitEvent("reply", e -> tag.equals(e.getString("tag")), PATIENCE);
            assertEquals(200, reply.getInt("status"));
            assertTrue(json(reply.getString("payload")).getBoolean("reached"), reply.toString());
        }

        lock.lock();
        try {
            assertEquals(CONCURRENCY, mostRunning);
        } finally {
            lock.unlock();
        }
        // The Java worker refuses a REQUEST beyond the capacity it announced: none was.
        assertEquals(List.of(), client.events("refused"));
    }

    @Test
    void pythonClientAnswersTheWorkersGoodbyeAtOnce() {
        long start = System.nanoTime();
        worker.close();
        Duration closing = Duration.ofNanos(System.nanoTime() - start);

        // An idle worker waits, within its grace of 10 s, only for the client to answer its DISCONNECT.
        assertTrue(closing.compareTo(Duration.ofSeconds(5)) < 0, "closing took " + closing.toMillis() + " ms");
        client.awaitEvent("disconnect", PATIENCE);
        JsonObject dropped = client.awaitEvent("dropped", PATIENCE);
        assertEquals("said goodbye", dropped.getString("reason"));
        assertFalse(client.events("registered").isEmpty());
    }
}
