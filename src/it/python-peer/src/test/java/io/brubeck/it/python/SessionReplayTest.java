package io.brubeck.it.python;

import static io.brubeck.it.python.Interop.HEARTBEAT;
import static io.brubeck.it.python.Interop.LIVENESS;
import static io.brubeck.it.python.Interop.PATIENCE;
import static io.brubeck.it.python.Interop.SECRET;
import static io.brubeck.it.python.Interop.SERVICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.Await;
import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.api.ServiceTimeoutException;
import io.brubeck.service.engine.ClientConfig;
import io.brubeck.service.engine.ClientStatus;
import io.brubeck.service.engine.RouteTable;
import io.brubeck.service.engine.ServiceClientEndpoint;
import io.brubeck.service.engine.ServiceWorker;
import io.brubeck.service.engine.WorkerConfig;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sessions against replays (docs/PROTOCOL.md sections 5.1 and 13): replay.py, a raw peer, takes part in a
 * genuine session with a Java peer, recording what it sends, and then replays the recording on a new
 * connection, as someone who saw the traffic but lacks the passphrase could.
 */
@Timeout(90)
class SessionReplayTest {
    private final LibraryLog libraryLog = new LibraryLog();

    @BeforeAll
    static void pythonWithZmq() {
        Python.interpreter();
    }

    @BeforeEach
    void captureLibraryLog() {
        libraryLog.start();
    }

    @AfterEach
    void releaseLibraryLog() {
        libraryLog.stop();
    }

    private static PythonPeer replayer(String mode, String... options) {
        List<String> arguments = new ArrayList<>(List.of(mode, "--heartbeat", String.valueOf(HEARTBEAT.toMillis())));
        arguments.addAll(List.of(options));
        return PythonPeer.start("replay-" + mode, "replay.py", SECRET, arguments);
    }

    @Test
    void aReadyReplayedFromAnotherSessionNeverGetsARequestFromTheJavaClient() {
        try (ServiceClientEndpoint client = ServiceClientEndpoint.start(ClientConfig.builder(SERVICE)
                .endpoint("tcp://127.0.0.1:*").passphrase(SECRET).heartbeatInterval(HEARTBEAT).liveness(LIVENESS).build());
             PythonPeer replayer = replayer("ready", "--connect", client.endpoint(), "--service", SERVICE)) {
            // The genuine session: the raw peer joins, answers a call and says goodbye, recording what it sent.
            Interop.awaitWorkers(client, 1, replayer);
            assertEquals("recorded", client.request("/probe").send().response().statusMessage());
            String recordedClientNonce = replayer.awaitEvent("joined", PATIENCE).getString("client");
            replayer.awaitEvent("recorded", PATIENCE);

            // The replay, on a new connection, again and again while a call waits for a worker.
            replayer.awaitEvent("cycle", PATIENCE);
            assertThrows(ServiceTimeoutException.class,
                    () -> client.request("/probe").timeout(Duration.ofSeconds(2)).send());
            // Two more cycles: whatever the client sent before its call timed out has been reported by then.
            int cycles = replayer.events("cycle").size();
            replayer.awaitEvent("cycle", e -> e.getInt("number") > cycles + 1, PATIENCE);

            assertEquals(List.of(), replayer.events("request", e -> e.getInt("phase") == 2), replayer.tail());
            assertEquals(List.of(), Interop.workers(client));
            // The client did take the replayed READYs, as joining workers, each answered in a session of its own ...
            List<JsonObject> answers = replayer.events("received", e -> e.getInt("phase") == 2
                    && e.getString("command").equals("HEARTBEAT"));
            assertFalse(answers.isEmpty(), replayer.tail());
            answers.forEach(answer -> assertNotEquals(recordedClientNonce, answer.getString("sender")));
            // ... and dropped each at the replayed HEARTBEAT of the recorded session.
            assertTrue(libraryLog.contains("HEARTBEAT of another session"),
                    "the client's log: " + libraryLog);
        }
    }

    /**
     * The client's answers cannot make a replayed READY join (sections 7.4 and 11.6): its HEARTBEAT answer to the
     * READY on connection A, sent from a second connection B, is answered there with a DISCONNECT that names no
     * nonce of the client's, which, sent on A, is of another session.
     */
    @Test
    void theJavaClientsOwnAnswersDoNotMakeAReplayedReadyJoin() throws Exception {
        // A join limit of 3 s: each reflection reaches the replayed READY's connection while it is still joining.
        try (ServiceClientEndpoint client = ServiceClientEndpoint.start(ClientConfig.builder(SERVICE)
                .endpoint("tcp://127.0.0.1:*").passphrase(SECRET).heartbeatInterval(Duration.ofSeconds(1))
                .liveness(LIVENESS).build());
             PythonPeer replayer = replayer("reflect", "--connect", client.endpoint(), "--service", SERVICE)) {
            // The genuine session: the raw peer joins, answers a call and says goodbye, recording its READY.
            Interop.awaitWorkers(client, 1, replayer);
            assertEquals("recorded", client.request("/probe").send().response().statusMessage());
            replayer.awaitEvent("recorded", PATIENCE);
            Await.until(PATIENCE, "the client to forget the genuine session", () -> Interop.workers(client).isEmpty(),
                    replayer::tail);

            // The reflections, one connection pair after another, while a call waits for a worker; meanwhile the
            // client's status is read again and again.
            CompletableFuture<ServiceResult> call = client.request("/probe").timeout(Duration.ofSeconds(3)).sendAsync()
                    .toCompletableFuture();
            List<ClientStatus.WorkerStatus> listed = new CopyOnWriteArrayList<>();
            Await.until(PATIENCE, "the call to time out during three reflections", () -> {
                listed.addAll(Interop.workers(client));
                return call.isDone() && replayer.events("cycle").size() >= 3;
            }, () -> "; listed: " + listed + replayer.tail());

            ExecutionException failure = assertThrows(ExecutionException.class, call::get);
            assertInstanceOf(ServiceTimeoutException.class, failure.getCause());
            // Joining workers do not count as connected ones.
            assertTrue(failure.getCause().getMessage().contains("while no worker was connected"),
                    failure.getCause().getMessage());
            assertEquals(List.of(), listed);
            assertEquals(List.of(), replayer.events("request", e -> e.getInt("phase") == 2), replayer.tail());
            // The answer on B named only the sender of the HEARTBEAT it answered: the client's nonce for A ...
            List<JsonObject> reflected = replayer.events("reflected");
            assertFalse(reflected.isEmpty(), replayer.tail());
            for (JsonObject answer : reflected) {
                assertEquals("0000000000000000", answer.getString("sender"), replayer.tail());
                assertEquals(answer.getString("heartbeat"), answer.getString("receiver"), replayer.tail());
            }
            // ... so on A it was of another session, and the replayed READY was dropped; only the genuine one joined.
            assertTrue(libraryLog.contains("DISCONNECT of another session"),
                    "the client's log: " + libraryLog);
            assertEquals(1, libraryLog.count(" joined with "),
                    "the client's log: " + libraryLog);
        }
    }

    @Test
    void aRequestRecordedInOneSessionIsNotRunWhenReplayedToTheJavaWorkerOnANewConnection() {
        List<String> ran = new CopyOnWriteArrayList<>();
        RouteTable<RequestHandler> routes = RouteTable.<RequestHandler>builder()
                .route("^/count$", Method.REQUEST, request -> {
                    ran.add(request.argument("tag", "?"));
                    return ServiceReply.ok();
                }).build();
        try (PythonPeer replayer = replayer("request", "--bind", "tcp://127.0.0.1:*")) {
            String endpoint = replayer.awaitEvent("bound", PATIENCE).getString("endpoint");
            // One handler thread: a replayed request the worker took would run before the fresh one sent after it.
            try (ServiceWorker worker = ServiceWorker.start(WorkerConfig.builder(SERVICE).endpoints(endpoint)
                    .passphrase(SECRET).heartbeatInterval(HEARTBEAT).liveness(LIVENESS).concurrency(1)
                    .label("java-worker").routes(routes).build())) {
                JsonObject recorded = replayer.awaitEvent("reply", e -> e.getInt("phase") == 1, PATIENCE);
                assertEquals(200, recorded.getInt("status"));
                JsonObject fresh = replayer.awaitEvent("reply", e -> e.getInt("phase") == 2, PATIENCE);
                assertEquals(200, fresh.getInt("status"));
                // The replay on the registered connection made the worker replace it and announce itself again.
                JsonObject rejoined = replayer.awaitEvent("rejoined", PATIENCE);

                // The worker's second connection is a new session: the recorded REQUEST named the first one.
                List<JsonObject> joined = replayer.events("joined");
                assertEquals(2, joined.size(), replayer.tail());
                assertNotEquals(joined.get(0).getString("worker"), joined.get(1).getString("worker"));
                assertNotEquals(joined.get(1).getString("worker"), rejoined.getString("worker"));
                assertEquals(2, replayer.events("replayed").size(), replayer.tail());
                // Messages on a connection arrive in order: had the worker taken the first replay, it would have
                // run it before the fresh request; the second it dropped before it replaced the connection.
                assertEquals(List.of("recorded", "fresh"), ran);
                assertEquals(List.of(), replayer.events("received", e -> e.getInt("phase") >= 2
                        && e.getInt("id", 0) == 1), replayer.tail());
                Await.until(PATIENCE, "the worker to log the replay",
                        () -> libraryLog.contains("belongs to another session"), () -> "; log: " + libraryLog);
            }
        }
    }
}
