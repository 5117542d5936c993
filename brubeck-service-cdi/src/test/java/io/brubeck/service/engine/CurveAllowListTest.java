package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.KeptLog;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** Clients that take only the workers whose CURVE public key they list: real clients, workers, sockets and ZAP. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CurveAllowListTest {
    private static final String SERVICE = "listed";
    private static final RouteTable<RequestHandler> ECHO = Fixtures.routes("^/echo$", request -> ServiceReply.ok("echoed"));

    /**
     * Short enough that a refused worker gives its connection up within a wait here, long enough that a busy
     * machine never makes a listed worker look silent.
     */
    private final Fixtures fixtures = new Fixtures(Duration.ofMillis(500), 4);
    private final CurveKeys.KeyPair serverKeys = CurveKeys.generate();
    private final CurveKeys.KeyPair listedKeys = CurveKeys.generate();
    private final CurveKeys.KeyPair unlistedKeys = CurveKeys.generate();

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    private ClientConfig.Builder listing() {
        return fixtures.clientConfig(SERVICE).curveSecretKey(serverKeys.secretKey())
                .curveWorkerKeys(List.of(CurveKeys.generate().publicKey(), listedKeys.publicKey()));
    }

    /** A worker of every client given, with a fixed key pair. */
    private ServiceWorker worker(CurveKeys.KeyPair own, String label, ServiceClientEndpoint... clients) {
        return fixtures.worker(fixtures.workerConfig(clients[0], ECHO)
                .endpoints(Arrays.stream(clients).map(ServiceClientEndpoint::endpoint).toList())
                .curveServerKey(serverKeys.publicKey()).curveSecretKey(own.secretKey()).label(label).build());
    }

    private static List<String> labels(ServiceClientEndpoint client) {
        return client.status().toCompletableFuture().join().workers().stream().map(ClientStatus.WorkerStatus::label).toList();
    }

    private static String refusal(CurveKeys.KeyPair worker) {
        return "its CURVE public key " + worker.publicKey() + " is not on curve-worker-keys";
    }

    private static boolean handlerRunning() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("brubeck-zap") && t.isAlive());
    }

    @Test
    void aListedWorkerServesWhileAnUnlistedOneNeverJoinsAndIsNamed() {
        try (KeptLog zapLog = KeptLog.of(ZapHandler.class); KeptLog workerLog = KeptLog.of(WorkerLoop.class)) {
            ServiceClientEndpoint client = fixtures.client(listing().build());
            ServiceWorker unlisted = worker(unlistedKeys, "unlisted", client);

            Fixtures.awaitCondition(Duration.ofSeconds(10), "the client to name the refused worker's key",
                    () -> zapLog.has(refusal(unlistedKeys)));
            String warning = zapLog.messages().get(0);
            assertTrue(warning.startsWith("Client of service '" + SERVICE + "' refused a worker from 127.0.0.1: "), warning);
            assertEquals(List.of(), labels(client));
            // The worker gives the connection up as unanswered and says which key a list must hold.
            Fixtures.awaitCondition(Duration.ofSeconds(10), "the refused worker to say why it may not be answered",
                    () -> workerLog.has("takes only the workers whose public key it lists, and this one's is "
                            + unlistedKeys.publicKey()));

            worker(listedKeys, "listed", client);
            Fixtures.awaitWorkers(client, 1);

            assertEquals("echoed", client.request("/echo").send().response().statusMessage());
            assertEquals(List.of("listed"), labels(client));
            assertEquals(0, unlisted.statistics().clients(), "the unlisted worker is still not registered");
            assertFalse(zapLog.has(listedKeys.publicKey()), zapLog.messages().toString());
            assertFalse(zapLog.has(serverKeys.secretKey()) || zapLog.has(unlistedKeys.secretKey()), "no secret is logged");
        }
    }

    @Test
    void aWorkerWithAFreshKeyPairIsRefusedToo() {
        try (KeptLog zapLog = KeptLog.of(ZapHandler.class)) {
            ServiceClientEndpoint client = fixtures.client(listing().build());
            fixtures.worker(fixtures.workerConfig(client, ECHO).curveServerKey(serverKeys.publicKey()).build());

            Fixtures.awaitCondition(Duration.ofSeconds(10), "the client to refuse the worker",
                    () -> zapLog.has("is not on curve-worker-keys"));
            assertEquals(List.of(), labels(client));
        }
    }

    @Test
    void twoClientsInOneContextEachTakeTheWorkersTheyAreConfiguredFor() {
        try (KeptLog zapLog = KeptLog.of(ZapHandler.class)) {
            ZContext shared = fixtures.track(ZeroMqContexts.create()); // closed after the clients, tracked later
            ServiceClientEndpoint open = fixtures.track(ServiceClientEndpoint.start(fixtures.clientConfig(SERVICE)
                    .curveSecretKey(serverKeys.secretKey()).build(), shared));
            ServiceClientEndpoint listing = fixtures.track(ServiceClientEndpoint.start(listing().build(), shared));
            // Each worker connects to both clients; only the client with a list checks keys.
            worker(unlistedKeys, "unlisted", open, listing);
            worker(listedKeys, "listed", open, listing);

            Fixtures.awaitWorkers(open, 2);
            Fixtures.awaitWorkers(listing, 1);
            Fixtures.awaitCondition(Duration.ofSeconds(10), "the client with a list to refuse the unlisted worker",
                    () -> zapLog.has(refusal(unlistedKeys)));

            assertEquals(List.of("listed"), labels(listing));
            assertEquals(Set.of("listed", "unlisted"), Set.copyOf(labels(open)));
            assertEquals("echoed", listing.request("/echo").send().response().statusMessage());
            assertEquals("echoed", open.request("/echo").send().response().statusMessage());
        }
    }

    /** Shadows of one context, JeroMQ's way of sharing it, share its handler as they share its inproc endpoints. */
    @Test
    void clientsWithListsInShadowsOfOneContextShareItsHandler() {
        ZContext main = fixtures.track(ZeroMqContexts.create()); // closed after the clients, tracked later
        ServiceClientEndpoint first = fixtures.track(ServiceClientEndpoint.start(listing().build(), main));
        ServiceClientEndpoint second = fixtures.track(ServiceClientEndpoint.start(listing().build(), main.shadow()));
        worker(listedKeys, "listed", first, second);

        Fixtures.awaitWorkers(first, 1);
        Fixtures.awaitWorkers(second, 1);
        assertEquals("echoed", second.request("/echo").send().response().statusMessage());
        assertEquals(1, Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("brubeck-zap")).count());
    }

    @Test
    void theHandlerRunsWhileAClientWithAListIsOpenAndStartsAgainForTheNext() throws Exception {
        try (KeptLog zapLog = KeptLog.of(ZapHandler.class)) {
            ZContext shared = fixtures.track(ZeroMqContexts.create());
            ServiceClientEndpoint first = fixtures.track(ServiceClientEndpoint.start(listing().build(), shared));
            ServiceClientEndpoint second = fixtures.track(ServiceClientEndpoint.start(listing().build(), shared));
            assertEquals(1, Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("brubeck-zap")).count(),
                    "one handler for the context");

            first.close();
            assertTrue(handlerRunning(), "the second client still has a list");
            worker(unlistedKeys, "unlisted", second);
            worker(listedKeys, "listed", second);
            Fixtures.awaitWorkers(second, 1);
            Fixtures.awaitCondition(Duration.ofSeconds(10), "the unlisted worker to be refused",
                    () -> zapLog.has(refusal(unlistedKeys)));
            assertEquals(List.of("listed"), labels(second));

            second.close();
            Fixtures.awaitCondition(Duration.ofSeconds(5), "the handler to stop with the last client", () -> !handlerRunning());

            // The endpoint is free again at once: a new client with a list starts a handler of its own.
            ServiceClientEndpoint third = fixtures.track(ServiceClientEndpoint.start(listing().build(), shared));
            assertTrue(handlerRunning());
            worker(listedKeys, "listed again", third);
            Fixtures.awaitWorkers(third, 1);
            assertEquals("echoed", third.request("/echo").send().response().statusMessage());
        }
    }

    @Test
    void closingWithTheHandlerRunningTakesUnderTwoSecondsAndLeavesNoThread() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (KeptLog zapLog = KeptLog.of(ZapHandler.class); Fixtures local = new Fixtures(Duration.ofMillis(500), 4)) {
            ServiceClientEndpoint owned = local.client(listing().build());
            ZContext shared = ZeroMqContexts.create();
            ServiceClientEndpoint inShared = ServiceClientEndpoint.start(listing().build(), shared);
            local.worker(local.workerConfig(owned, ECHO).endpoints(owned.endpoint(), inShared.endpoint())
                    .curveServerKey(serverKeys.publicKey()).curveSecretKey(listedKeys.secretKey()).build());
            local.worker(local.workerConfig(owned, ECHO).endpoints(owned.endpoint(), inShared.endpoint())
                    .curveServerKey(serverKeys.publicKey()).curveSecretKey(unlistedKeys.secretKey()).build());
            Fixtures.awaitWorkers(owned, 1);
            Fixtures.awaitWorkers(inShared, 1);
            Fixtures.awaitCondition(Duration.ofSeconds(10), "the unlisted worker to be refused",
                    () -> zapLog.has(refusal(unlistedKeys)));

            long begin = System.nanoTime();
            owned.close();
            inShared.close();
            shared.close();
            long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
            assertTrue(closeMillis < 2000, "closing the clients and the shared context took " + closeMillis + " ms");
        }
        Fixtures.awaitCondition(Duration.ofSeconds(5), "every thread the test started to end", () -> Thread.getAllStackTraces()
                .keySet().stream().noneMatch(t -> !before.contains(t) && t.isAlive()
                        && (t.getName().contains("zap") || t.getName().startsWith("brubeck"))));
    }

    @Test
    void aZapHandlerOfTheApplicationsInTheSharedContextIsNamed() {
        try (ZContext shared = ZeroMqContexts.create()) {
            ZMQ.Socket own = shared.createSocket(SocketType.REP);
            own.bind(ZapHandler.ENDPOINT);

            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> ServiceClientEndpoint.start(listing().build(), shared));

            assertEquals("The client of service '" + SERVICE + "' cannot check its curve-worker-keys: another ZAP handler "
                    + "is bound at inproc://zeromq.zap.01 in its ZeroMQ context", refused.getMessage());
            assertFalse(handlerRunning(), "the library's handler gave up");
            own.close();
        }
    }

    @Test
    void aListNeedsTheSecretKeyAndABadKeyOnItIsNamedByItsPlaceNotItsText() {
        String secret = CurveKeys.generate().secretKey();
        IllegalArgumentException withoutSecret = assertThrows(IllegalArgumentException.class,
                () -> fixtures.clientConfig(SERVICE).curveWorkerKeys(List.of(listedKeys.publicKey())).build());
        assertEquals("Client setting 'curveWorkerKeys' needs curveSecretKey too: workers' keys are checked only on "
                + "connections encrypted with CURVE", withoutSecret.getMessage());

        // a secret key cut short when pasted into the list
        String pasted = secret.substring(0, 39);
        IllegalArgumentException badKey = assertThrows(IllegalArgumentException.class, () -> fixtures.clientConfig(SERVICE)
                .curveSecretKey(serverKeys.secretKey()).curveWorkerKeys(List.of(listedKeys.publicKey(), pasted)).build());
        assertEquals("Client setting 'curveWorkerKeys' must be a list of CURVE keys, each 40 characters of Z85 text: "
                + "key 2 of 2 is a text of 39 characters", badKey.getMessage());
        assertFalse(badKey.getMessage().contains(pasted));

        assertTrue(fixtures.clientConfig(SERVICE).curveWorkerKeys(List.of()).build().curveWorkerKeys().isEmpty(),
                "an empty list is no list");
        assertEquals(Set.of(listedKeys.publicKey()), listing().curveWorkerKeys(List.of(listedKeys.publicKey(),
                listedKeys.publicKey())).build().curveWorkerKeys());
    }

    @Test
    void withoutAListNoHandlerRuns() {
        ServiceClientEndpoint client = fixtures.client(fixtures.clientConfig(SERVICE).curveSecretKey(serverKeys.secretKey())
                .build());
        worker(unlistedKeys, "any", client);
        Fixtures.awaitWorkers(client, 1);

        assertFalse(handlerRunning());
        assertEquals(Set.of(), Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.contains("zap")).collect(Collectors.toSet()));
    }
}
