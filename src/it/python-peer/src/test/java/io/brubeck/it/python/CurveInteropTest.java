package io.brubeck.it.python;

import static io.brubeck.it.python.Interop.HEARTBEAT;
import static io.brubeck.it.python.Interop.LIVENESS;
import static io.brubeck.it.python.Interop.PATIENCE;
import static io.brubeck.it.python.Interop.SECRET;
import static io.brubeck.it.python.Interop.SERVICE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.engine.ClientConfig;
import io.brubeck.service.engine.CurveKeys;
import io.brubeck.service.engine.RouteTable;
import io.brubeck.service.engine.ServiceClientEndpoint;
import io.brubeck.service.engine.ServiceWorker;
import io.brubeck.service.engine.WorkerConfig;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connections encrypted with CURVE between the Java peers and the Python ones (libzmq), each side
 * configured as docs/PROTOCOL.md section 2 says: the client is the CURVE server of the service's key pair,
 * and may list the public keys of the workers it takes.
 */
@Timeout(90)
class CurveInteropTest {
    private static final CurveKeys.KeyPair KEYS = CurveKeys.generate();
    /** With the key in the same argument: argparse would take a key that starts with '-' for an option. */
    private static final String CURVE_SERVER_KEY_OPTION = "--curve-server-key=";

    @BeforeAll
    static void pythonWithZmq() {
        Python.interpreter();
    }

    private static ServiceClientEndpoint encryptingJavaClient() {
        return ServiceClientEndpoint.start(ClientConfig.builder(SERVICE).endpoint("tcp://127.0.0.1:*").passphrase(SECRET)
                .heartbeatInterval(HEARTBEAT).liveness(LIVENESS).curveSecretKey(KEYS.secretKey()).build());
    }

    @Test
    void aPythonWorkerTrustingTheClientsKeyServesAnEncryptingJavaClient() {
        try (ServiceClientEndpoint client = encryptingJavaClient();
             PythonPeer worker = Interop.pythonWorker("python-curve-worker", client.endpoint(), SECRET,
                     CURVE_SERVER_KEY_OPTION + KEYS.publicKey())) {
            Interop.awaitWorkers(client, 1, worker);

            ServiceResponse response = client.request("/echo").argument("text", "sealed")
                    .body("sealed body".getBytes(StandardCharsets.UTF_8)).send().response();

            assertEquals("echoed", response.statusMessage());
            assertEquals("sealed", response.payload().getJsonObject("arguments").getString("text"));
            assertEquals("sealed body", new String(response.body(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aPythonWorkerThatDoesNotEncryptNeverJoinsAnEncryptingJavaClient() {
        try (ServiceClientEndpoint client = encryptingJavaClient();
             PythonPeer worker = Interop.pythonWorker("python-plain-worker", client.endpoint(), SECRET)) {
            worker.awaitEvent("reconnected", PATIENCE);

            assertEquals(0, Interop.workers(client).size());
            assertEquals(0, worker.events("registered").size(), worker.tail());
        }
    }

    @Test
    void aJavaClientThatListsWorkerKeysTakesAPythonWorkerWithAListedFixedPairAndNoOther() {
        CurveKeys.KeyPair listed = CurveKeys.generate();
        CurveKeys.KeyPair unlisted = CurveKeys.generate();
        try (ServiceClientEndpoint client = ServiceClientEndpoint.start(ClientConfig.builder(SERVICE)
                .endpoint("tcp://127.0.0.1:*").passphrase(SECRET).heartbeatInterval(HEARTBEAT).liveness(LIVENESS)
                .curveSecretKey(KEYS.secretKey()).curveWorkerKeys(List.of(listed.publicKey())).build());
             PythonPeer refused = pythonWorkerWithPair("python-unlisted-worker", client, unlisted);
             PythonPeer worker = pythonWorkerWithPair("python-listed-worker", client, listed)) {
            Interop.awaitWorkers(client, 1, worker);
            refused.awaitEvent("reconnected", PATIENCE);

            assertEquals("echoed", client.request("/echo").send().response().statusMessage());
            assertEquals(1, Interop.workers(client).size());
            assertEquals(0, refused.events("registered").size(), refused.tail());
        }
    }

    /** worker.py encrypting with a fixed key pair of its own, as section 2 says a peer does to be listed. */
    private static PythonPeer pythonWorkerWithPair(String name, ServiceClientEndpoint client, CurveKeys.KeyPair own) {
        return PythonPeer.startWithEnvironment(name, "worker.py",
                Map.of("BRUBECK_SECRET", SECRET, "BRUBECK_CURVE_SECRET_KEY", own.secretKey()),
                List.of("--connect", client.endpoint(), "--service", SERVICE, "--heartbeat", String.valueOf(HEARTBEAT.toMillis()),
                        "--liveness", String.valueOf(LIVENESS), CURVE_SERVER_KEY_OPTION + KEYS.publicKey()));
    }

    @Test
    void aJavaWorkerTrustingTheClientsKeyServesAnEncryptingPythonClient() {
        try (PythonPeer client = Interop.pythonClient("python-curve-client", Map.of("BRUBECK_CURVE_SECRET_KEY", KEYS.secretKey()))) {
            String endpoint = client.awaitEvent("bound", PATIENCE).getString("endpoint");
            RouteTable<RequestHandler> routes = RouteTable.<RequestHandler>builder()
                    .route("^/greet$", Method.REQUEST, request -> ServiceReply.ok("hello " + request.argument("name", "?")))
                    .build();
            try (ServiceWorker worker = ServiceWorker.start(WorkerConfig.builder(SERVICE).endpoints(endpoint)
                    .passphrase(SECRET).heartbeatInterval(HEARTBEAT).liveness(LIVENESS).concurrency(1)
                    .curveServerKey(KEYS.publicKey()).routes(routes).build())) {
                client.awaitEvent("registered", PATIENCE);

                JsonObject call = Json.createObjectBuilder().add("tag", "greet").add("method", "request")
                        .add("path", "/greet").add("arguments", Json.createObjectBuilder().add("name", "curve"))
                        .add("body", Base64.getEncoder().encodeToString(new byte[0])).add("timeout", 10_000).build();
                client.send(Json.createObjectBuilder().add("call", call).build().toString());
                JsonObject reply = client.awaitEvent("reply", e -> "greet".equals(e.getString("tag")), PATIENCE);

                assertEquals(200, reply.getInt("status"));
                assertEquals("hello curve", reply.getString("message"));
            }
        }
    }
}
