package io.brubeck.service.demo.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The command the demo suggests for starting a worker by hand: one that the demo's client accepts. */
class WorkerByHandTest {

    @Test
    void withTheWorkersDefaultPassphraseItNeedsOnlyTheEndpoint() {
        assertEquals("java -Dbrubeck.worker.connect=tcp://127.0.0.1:5555 -jar /opt/brubeck-service-worker.jar",
                WorkerByHand.command("tcp://127.0.0.1:5555", Optional.empty(), "/opt/brubeck-service-worker.jar",
                        "my_shared_secret"));
    }

    @Test
    void withAnotherPassphraseItSaysThatTheWorkerNeedsItWithoutSayingIt() {
        String command = WorkerByHand.command("tcp://127.0.0.1:5555", Optional.empty(), "brubeck-service-worker.jar",
                "our own secret");

        assertEquals("java -Dbrubeck.worker.connect=tcp://127.0.0.1:5555 -jar brubeck-service-worker.jar, with the "
                + "environment variable BRUBECK_WORKER_PASSPHRASE set to the demo's passphrase", command);
        assertFalse(command.contains("our own secret"), command);
    }

    @Test
    void anEncryptingDemoGivesItsPublicKey() {
        assertEquals("java -Dbrubeck.worker.connect=tcp://127.0.0.1:5555 '-Dbrubeck.worker.curve-server-key=a<b>c' "
                + "-jar brubeck-service-worker.jar", WorkerByHand.command("tcp://127.0.0.1:5555", Optional.of("a<b>c"),
                "brubeck-service-worker.jar", "my_shared_secret"));
    }
}
