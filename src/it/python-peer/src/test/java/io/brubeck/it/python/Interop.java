package io.brubeck.it.python;

import io.brubeck.it.support.Await;
import io.brubeck.service.engine.ClientStatus;
import io.brubeck.service.engine.ServiceClientEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What both directions of the interoperability tests share: the service, its secret and its timing. */
final class Interop {
    static final String SERVICE = "py";
    static final String SECRET = "python-peer-secret";
    /** Short, so that liveness tests are quick; both sides use the same. */
    static final Duration HEARTBEAT = Duration.ofMillis(250);
    static final int LIVENESS = 3;
    /** How long any single step may take on a loaded machine before the test gives up on it. */
    static final Duration PATIENCE = Duration.ofSeconds(15);

    private Interop() {
    }

    /** Starts worker.py, connected to the endpoint, with the shared timing and the extra arguments. */
    static PythonPeer pythonWorker(String name, String endpoint, String passphrase, String... extra) {
        List<String> arguments = new ArrayList<>(List.of("--connect", endpoint, "--service", SERVICE,
                "--heartbeat", String.valueOf(HEARTBEAT.toMillis()), "--liveness", String.valueOf(LIVENESS)));
        arguments.addAll(List.of(extra));
        return PythonPeer.start(name, "worker.py", passphrase, arguments);
    }

    /** Starts client.py, bound to a port ZeroMQ picks on the loopback address. */
    static PythonPeer pythonClient(String name) {
        return pythonClient(name, Map.of());
    }

    /** Starts client.py, bound to a port ZeroMQ picks on the loopback address, with more environment variables. */
    static PythonPeer pythonClient(String name, Map<String, String> environment) {
        Map<String, String> all = new HashMap<>(environment);
        all.put("BRUBECK_SECRET", SECRET);
        return PythonPeer.startWithEnvironment(name, "client.py", all, List.of("--bind", "tcp://127.0.0.1:*", "--service", SERVICE,
                "--heartbeat", String.valueOf(HEARTBEAT.toMillis()), "--liveness", String.valueOf(LIVENESS)));
    }

    /** The client's view of its workers now. */
    static List<ClientStatus.WorkerStatus> workers(ServiceClientEndpoint client) {
        return client.status().toCompletableFuture().join().workers();
    }

    /** Waits until the client has exactly this many workers. */
    static void awaitWorkers(ServiceClientEndpoint client, int count, PythonPeer peer) {
        Await.until(PATIENCE, count + " workers registered at " + client.endpoint(),
                () -> workers(client).size() == count, () -> "; workers: " + workers(client) + peer.tail());
    }
}
