package io.brubeck.it.roundtrip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.roundtrip.client.CallState;
import io.brubeck.it.roundtrip.client.ClientProbe;
import io.brubeck.it.roundtrip.client.ResponseLog;
import io.brubeck.it.roundtrip.client.SlowResponses;
import io.brubeck.it.support.Await;
import io.brubeck.it.support.LibraryThreads;
import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.api.ServiceUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Stopping either application while calls are in flight fails those calls clearly, and once both
 * have stopped no thread of the library is left.
 */
@Timeout(90)
@RunAsClient
@ExtendWith(ArquillianExtension.class)
class ShutdownTest {
    private static final Duration THREADS_GONE = Duration.ofSeconds(10);

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = "client", managed = false)
    static JavaArchive client() {
        return ShrinkWrap.create(JavaArchive.class, "client.jar")
                .addClasses(SlowResponses.class, ResponseLog.class, CallState.class, ClientProbe.class)
                .addAsManifestResource(EmptyAsset.INSTANCE, "beans.xml")
                .addAsManifestResource(new StringAsset(String.join("\n",
                        "brubeck.service.slow.endpoint=tcp://127.0.0.1:*",
                        "brubeck.service.slow.passphrase=my_shared_secret",
                        "brubeck.service.slow.timeout=PT30S",
                        "brubeck.service.slow.heartbeat-interval=PT0.2S")), "microprofile-config.properties");
    }

    @Test
    void stoppingTheClientFailsItsCallsInFlight() throws Exception {
        deployer.deploy("client");
        ClientProbe probe = ClientProbe.current();
        String gate = "client-stop-" + UUID.randomUUID();
        try (WorkerContainer worker = WorkerContainer.connectTo(probe.endpoint())) {
            Await.until(Duration.ofSeconds(20), "the worker to join", () -> probe.workers() == 1);
            ServiceClient slow = probe.client();
            List<CompletableFuture<ServiceResult>> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                calls.add(slow.request("/service/slow").argument("HOLD", gate).sendAsync().toCompletableFuture());
            }
            Await.until(Duration.ofSeconds(20), "two calls running and one queued", () -> Gate.named(gate).waiting() == 2);

            deployer.undeploy("client");

            for (CompletableFuture<ServiceResult> call : calls) {
                ExecutionException failure = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
                assertTrue(failure.getCause() instanceof ServiceUnavailableException, String.valueOf(failure.getCause()));
                assertTrue(failure.getCause().getMessage().contains("closed"), failure.getCause().getMessage());
            }
            ServiceUnavailableException late = assertThrows(ServiceUnavailableException.class,
                    () -> slow.request("/service/slow").send(), "a call after shutdown fails at once");
            assertTrue(late.getMessage().contains("'slow'"), late.getMessage());
            Gate.named(gate).open();
        }
        assertEquals(List.of(), LibraryThreads.awaitEnded(THREADS_GONE), "library threads left behind");
    }

    @Test
    void stoppingTheWorkerFailsTheCallsItRuns() throws Exception {
        deployer.deploy("client");
        try {
            ClientProbe probe = ClientProbe.current();
            String gate = "worker-stop-" + UUID.randomUUID();
            List<CompletableFuture<ServiceResult>> calls = new ArrayList<>();
            try (WorkerContainer worker = WorkerContainer.connectTo(probe.endpoint())) {
                Await.until(Duration.ofSeconds(20), "the worker to join", () -> probe.workers() == 1);
                for (int i = 0; i < 2; i++) {
                    calls.add(probe.client().request("/service/slow").argument("HOLD", gate).sendAsync().toCompletableFuture());
                }
                Await.until(Duration.ofSeconds(20), "both calls running", () -> Gate.named(gate).waiting() == 2);
            }
            for (CompletableFuture<ServiceResult> call : calls) {
                ExecutionException failure = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
                assertTrue(failure.getCause() instanceof ServiceUnavailableException, String.valueOf(failure.getCause()));
                assertTrue(failure.getCause().getMessage().contains("became unavailable while handling /service/slow"),
                        failure.getCause().getMessage());
            }
            assertEquals(0, probe.workers(), "the worker said goodbye");
        } finally {
            deployer.undeploy("client");
        }
        assertEquals(List.of(), LibraryThreads.awaitEnded(THREADS_GONE), "library threads left behind");
    }
}
