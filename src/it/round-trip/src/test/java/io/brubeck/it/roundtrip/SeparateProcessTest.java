package io.brubeck.it.roundtrip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.roundtrip.client.CallState;
import io.brubeck.it.roundtrip.client.ClientProbe;
import io.brubeck.it.roundtrip.client.ResponseLog;
import io.brubeck.it.roundtrip.client.SlowResponses;
import io.brubeck.it.support.Await;
import io.brubeck.service.api.Method;
import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.api.ServiceResult;
import io.brubeck.service.cdi.Service;
import io.brubeck.service.cdi.ServiceRuntime;
import jakarta.inject.Inject;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worker application in a JVM of its own, as it runs in production: it connects to the endpoint
 * this client deployment bound, encrypted with CURVE with a key pair of its own that the client lists, serves all
 * three verbs, and stops cleanly when told to.
 */
@Timeout(120)
@ExtendWith(ArquillianExtension.class)
class SeparateProcessTest {
    /** A key pair made for this test with {@code io.brubeck.service.engine.CurveKeys}. */
    private static final String CURVE_PUBLIC_KEY = "DJKEEx:O]@dgoPf4pLRtjK+]$?1tIwxKAX$YXU$j";
    private static final String CURVE_SECRET_KEY = ")*l}J<(f7Sx/j)O>PT9KqrBk+aP?afU<:XPY%]B5";
    /** The worker's own key pair, which the client lists, made the same way. */
    private static final String WORKER_PUBLIC_KEY = "40x=q*J#G.C(b=tU&F6cs+J}3&giO6LBO.Sk!5({";
    private static final String WORKER_SECRET_KEY = ".71/LN]j2EX3Mp6v@acne>{aYzM+TCNAkxBuEsaN";

    @Deployment
    static JavaArchive client() {
        return ShrinkWrap.create(JavaArchive.class, "client.jar")
                .addClasses(SlowResponses.class, ResponseLog.class, CallState.class, ClientProbe.class)
                .addAsManifestResource(EmptyAsset.INSTANCE, "beans.xml")
                .addAsManifestResource(new StringAsset(String.join("\n",
                        "brubeck.service.slow.endpoint=tcp://127.0.0.1:*",
                        "brubeck.service.slow.passphrase=process_secret",
                        "brubeck.service.slow.timeout=PT20S",
                        "brubeck.service.slow.heartbeat-interval=PT0.2S",
                        "brubeck.service.slow.curve-secret-key=" + CURVE_SECRET_KEY,
                        "brubeck.service.slow.curve-worker-keys=" + WORKER_PUBLIC_KEY)), "microprofile-config.properties");
    }

    @Inject
    @Service("slow")
    ServiceClient slow;

    @Inject
    ServiceRuntime runtime;

    @Inject
    ResponseLog responses;

    @Test
    void aWorkerProcessServesEveryVerbAndStopsCleanly() throws Exception {
        Path log = Files.createTempFile("brubeck-worker", ".log");
        Process worker = startWorker(runtime.boundEndpoint("slow").orElseThrow(), log.toFile());
        try {
            Await.until(Duration.ofSeconds(60), "the worker process to join",
                    () -> runtime.status("slow").toCompletableFuture().join().workers().size() == 1);

            ServiceResult sync = slow.request("/service/slow").argument("RETURN_DATA", "from another JVM").send();
            assertEquals("from another JVM", sync.response().payload().getString("RETURN_DATA"));
            assertTrue(String.valueOf(sync.handlerResponse()).startsWith("handled 200 from another JVM"));

            ServiceResult async = slow.request("/service/tally").method(Method.GET).sendAsync()
                    .toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertEquals(2, async.response().payload().getInt("count"));

            String data = "nowait " + UUID.randomUUID();
            slow.request("/service/slow").argument("RETURN_DATA", data).sendNoWait();
            Await.until(Duration.ofSeconds(20), "the answer to reach the response route", () -> responses.count(data) == 1);

            worker.getOutputStream().close();
            assertTrue(worker.waitFor(30, TimeUnit.SECONDS), "the worker process stops when told to");
            List<String> output = Files.readAllLines(log, StandardCharsets.UTF_8);
            assertEquals(0, worker.exitValue(), String.join("\n", output));
            assertTrue(output.contains("THREADS-LEFT []"), String.join("\n", output));
            assertTrue(output.stream().anyMatch(line -> line.contains("encrypted with CURVE")), String.join("\n", output));
            assertTrue(output.stream().anyMatch(line -> line.contains("its public key is " + WORKER_PUBLIC_KEY)),
                    String.join("\n", output));
            Await.until(Duration.ofSeconds(20), "the client to see the worker leave",
                    () -> runtime.status("slow").toCompletableFuture().join().workers().isEmpty());
        } finally {
            if (worker.isAlive()) {
                worker.destroyForcibly();
                worker.waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(log);
        }
    }

    private static Process startWorker(String endpoint, File log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dbrubeck.worker.connect=" + endpoint,
                "-Dbrubeck.worker.service=slow",
                "-Dbrubeck.worker.passphrase=process_secret",
                "-Dbrubeck.worker.concurrency=2",
                "-Dbrubeck.worker.heartbeat-interval=PT0.2S",
                "-Dbrubeck.worker.label=worker-process",
                "-Dbrubeck.worker.curve-server-key=" + CURVE_PUBLIC_KEY,
                "-Dbrubeck.worker.curve-secret-key=" + WORKER_SECRET_KEY,
                WorkerMain.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(log)
                .start();
    }
}
