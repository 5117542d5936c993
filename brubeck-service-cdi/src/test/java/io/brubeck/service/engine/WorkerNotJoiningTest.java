package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.KeptLog;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker that a real client never takes, for a setting the two do not share: the worker's log names
 * the likely setting, and the client's log says which one it is.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkerNotJoiningTest {
    private static final String SERVICE = "joining";
    private static final RouteTable<RequestHandler> ECHO = Fixtures.routes("^/echo$", request -> ServiceReply.ok("echoed"));

    /** A short silence limit, so that the worker gives its connection up within a wait here. */
    private final Fixtures fixtures = new Fixtures(Duration.ofMillis(300), 3);

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    /**
     * A worker none of whose clients' host names resolves cannot start (most likely its configuration is wrong),
     * and says which they are.
     */
    @Test
    void aWorkerNoneOfWhoseClientsResolvesCannotStartAndNamesThemAll() {
        WorkerConfig unresolvable = WorkerConfig.builder(SERVICE).passphrase(Fixtures.SECRET).routes(ECHO)
                .endpoints("tcp://no-such-host.invalid:5555", "tcp://nor-this-one.invalid:5555").build();

        EndpointConnectException error = assertThrows(EndpointConnectException.class, () -> ServiceWorker.start(unresolvable));

        assertEquals("tcp://no-such-host.invalid:5555", error.endpoint());
        assertTrue(error.getMessage().contains("no host name of its clients resolves: tcp://no-such-host.invalid:5555, "
                + "tcp://nor-this-one.invalid:5555"), error.getMessage());
    }

    @Test
    void aWorkerWithAnotherPassphraseSaysSoAndTheClientSaysWhichSettingDiffers() {
        try (KeptLog workerLog = KeptLog.of(WorkerLoop.class); KeptLog clientLog = KeptLog.of(ClientLoop.class)) {
            ServiceClientEndpoint client = fixtures.client(SERVICE);
            fixtures.worker(fixtures.workerConfig(client, ECHO).passphrase("not-the-client's").build());
            String gaveUp = "reconnects to " + client.endpoint() + " because nothing came on this connection";

            Fixtures.awaitCondition(Duration.ofSeconds(10), "the worker to give the unanswered connection up",
                    () -> workerLog.has(gaveUp));

            String reason = workerLog.messages().stream().filter(message -> message.contains(gaveUp)).findFirst().orElseThrow();
            assertTrue(reason.contains("is the client up, with the same passphrase (its log says if not)?"), reason);
            // names where the message came from: the worker's address and port, as ZeroMQ tells it
            assertTrue(clientLog.matches("dropped a message from 127\\.0\\.0\\.1:\\d+: signature does not match "
                    + "\\(wrong passphrase\\?\\)"), clientLog.messages().toString());
            assertEquals(0, client.status().toCompletableFuture().join().workers().size());
        }
    }

    @Test
    void aWorkerOfAnotherServiceSaysTheClientDidNotTakeItAndTheClientSaysWhy() {
        try (KeptLog workerLog = KeptLog.of(WorkerLoop.class); KeptLog clientLog = KeptLog.of(ClientLoop.class)) {
            ServiceClientEndpoint client = fixtures.client(SERVICE);
            fixtures.worker(WorkerConfig.builder("elsewhere").endpoints(client.endpoint()).passphrase(Fixtures.SECRET)
                    .heartbeatInterval(Duration.ofMillis(300)).liveness(3).concurrency(1).routes(ECHO).build());
            String gaveUp = "reconnects to " + client.endpoint() + " because the client did not take this worker in ";

            Fixtures.awaitCondition(Duration.ofSeconds(10), "the worker to give the refused connection up",
                    () -> workerLog.has(gaveUp));

            String reason = workerLog.messages().stream().filter(message -> message.contains(gaveUp)).findFirst().orElseThrow();
            assertTrue(reason.endsWith(" ms: a service name other than 'elsewhere', or maxWorkers reached? (its log says which)"),
                    reason);
            assertFalse(workerLog.has("was silent"), workerLog.messages().toString());
            assertTrue(clientLog.matches("refused worker \\S+ from 127\\.0\\.0\\.1:\\d+ that serves 'elsewhere'"),
                    clientLog.messages().toString());
            assertEquals(0, client.status().toCompletableFuture().join().workers().size());
        }
    }

    @Test
    void twoWorkersWithDifferentMistakesAreBothReportedAtOnce() {
        try (KeptLog clientLog = KeptLog.of(ClientLoop.class)) {
            ServiceClientEndpoint client = fixtures.client(SERVICE);
            fixtures.worker(fixtures.workerConfig(client, ECHO).passphrase("not-the-client's").build());
            fixtures.worker(WorkerConfig.builder("elsewhere").endpoints(client.endpoint()).passphrase(Fixtures.SECRET)
                    .concurrency(1).routes(ECHO).build());

            // well within the 10 s in which one kind of problem is logged once: neither hides the other
            Fixtures.awaitCondition(Duration.ofSeconds(8), "the client to report both workers",
                    () -> clientLog.has("signature does not match") && clientLog.has("that serves 'elsewhere'"));
        }
    }

    @Test
    void aWorkerSaysSoWhenTheReasonItCannotJoinChanges() throws Exception {
        try (KeptLog workerLog = KeptLog.of(WorkerLoop.class)) {
            ServiceClientEndpoint gone = fixtures.client(SERVICE);
            String endpoint = gone.endpoint();
            gone.close();
            fixtures.worker(WorkerConfig.builder("elsewhere").endpoints(endpoint).passphrase(Fixtures.SECRET)
                    .heartbeatInterval(Duration.ofMillis(300)).liveness(3).concurrency(1).routes(ECHO).build());
            Fixtures.awaitCondition(Duration.ofSeconds(10), "the worker to say that nothing came",
                    () -> workerLog.has("reconnects to " + endpoint + " because nothing came on this connection"));

            fixtures.client(fixtures.clientConfig(SERVICE).endpoint(endpoint).build()); // up, but for another service

            Fixtures.awaitCondition(Duration.ofSeconds(10), "the worker to say, at INFO again, that it was refused",
                    () -> workerLog.has("reconnects to " + endpoint + " because the client did not take this worker in "));
        }
    }
}
