package io.brubeck.it.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.Await;
import io.brubeck.it.support.JavaProgram;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker program refuses a setting it cannot follow before it connects anywhere, and warns about the
 * example passphrase it starts with when none is set.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerStartupTest {

    @Test
    void aParentProcessIdThatIsNotANumberStopsTheWorkerBeforeItIsReady() {
        try (JavaProgram worker = JavaProgram.start("worker-bad-parent", Jars.worker(),
                List.of("-Xmx256m", "-Dworker.exit-with-pid=not-a-pid", "-Dbrubeck.worker.connect=tcp://127.0.0.1:1"),
                List.of())) {
            assertEquals(1, worker.awaitExit(Duration.ofSeconds(60)), worker.tail());
            assertTrue(worker.said("brubeck-service worker cannot start: worker.exit-with-pid must be a process id, "
                    + "was 'not-a-pid'"), worker.tail());
            assertFalse(worker.said("brubeck-service worker ready"), "announced itself ready before refusing: " + worker.tail());
        }
    }

    /**
     * A SIGTERM that comes as soon as the program can take it, here once the JVM loaded the class the program
     * uses right after it set up its signal handling, stops it with status 0 before it announces itself.
     */
    @Test
    void aSigtermWhileTheWorkerStartsStopsItWithStatusZeroBeforeItIsReady(@TempDir Path folder) {
        Path classesLoaded = folder.resolve("classes-loaded.txt");
        try (JavaProgram worker = JavaProgram.start("worker-early-sigterm", Jars.worker(),
                List.of("-Xmx256m", "-Xlog:class+load=info:file=" + classesLoaded,
                        "-Dbrubeck.worker.connect=tcp://127.0.0.1:1", "-Dworker.exit-with-pid=" + ProcessHandle.current().pid()),
                List.of())) {
            Await.until(Duration.ofSeconds(60), "the worker to load its log format", () -> loaded(classesLoaded,
                    "io.brubeck.service.worker.LogFormat "), worker::tail);
            worker.terminate();

            assertEquals(0, worker.awaitExit(Duration.ofSeconds(60)), worker.tail());
            assertTrue(worker.said("brubeck-service worker stopped before it started (SIGTERM)")
                    || worker.said("stopping (SIGTERM)"), worker.tail());
        }
    }

    @Test
    void aHostThatDoesNotResolveIsSaidOnce() {
        try (JavaProgram worker = startWorker("worker-unresolvable-host",
                List.of("-Dbrubeck.worker.connect=tcp://no.such.host.invalid:5555"))) {
            assertEquals(1, worker.awaitExit(Duration.ofSeconds(60)), worker.tail());
            assertTrue(worker.said("brubeck-service worker cannot start: "), worker.tail());
            assertEquals(1, worker.count("its host name does not resolve"), worker.tail());
        }
    }

    @Test
    void demoRouteSettingsEveryCallWouldFailWithStopTheWorkerBeforeItIsReady() {
        try (JavaProgram worker = JavaProgram.start("worker-bad-demo-settings", Jars.worker(),
                List.of("-Xmx256m", "-Ddemo.slow.delay=-PT1S", "-Ddemo.primes.max-below=1",
                        "-Dbrubeck.worker.connect=tcp://127.0.0.1:1",
                        "-Dworker.exit-with-pid=" + ProcessHandle.current().pid()),
                List.of())) {
            assertEquals(1, worker.awaitExit(Duration.ofSeconds(60)), worker.tail());
            assertTrue(worker.said("brubeck-service worker cannot start: demo.slow.delay is '-PT1S', which is not "
                    + "an ISO-8601 duration from zero to 365 days, such as PT5S"), worker.tail());
            assertTrue(worker.said("demo.primes.max-below is '1', which is not a whole number between 2 and 2147483647"),
                    worker.tail());
            assertFalse(worker.said("brubeck-service worker ready"), "announced itself ready before refusing: " + worker.tail());
        }
    }

    @Test
    void theExamplePassphraseWorksButIsWarnedAboutAndAnOwnSecretIsNot() {
        String warning = "brubeck.worker.passphrase is the example passphrase that brubeck-service's documentation "
                + "publishes";
        try (JavaProgram worker = startWorker("worker-example-passphrase", List.of())) {
            worker.awaitSaid(warning, Duration.ofSeconds(60));
            worker.awaitSaid("brubeck-service worker ready", Duration.ofSeconds(60));
            worker.terminate();
            assertEquals(0, worker.awaitExit(Duration.ofSeconds(60)), worker.tail());
        }
        try (JavaProgram worker = startWorker("worker-own-passphrase", List.of("-Dbrubeck.worker.passphrase=our own"))) {
            worker.awaitSaid("brubeck-service worker ready", Duration.ofSeconds(60));
            worker.terminate();
            assertEquals(0, worker.awaitExit(Duration.ofSeconds(60)), worker.tail());
            assertFalse(worker.said(warning), worker.tail());
        }
    }

    /** A worker of the program's own demo routes, connecting to an address where no client is. */
    private static JavaProgram startWorker(String name, List<String> options) {
        List<String> jvmOptions = new ArrayList<>(List.of("-Xmx256m", "-Dbrubeck.worker.connect=tcp://127.0.0.1:1",
                "-Dworker.exit-with-pid=" + ProcessHandle.current().pid()));
        jvmOptions.addAll(options);
        return JavaProgram.start(name, Jars.worker(), jvmOptions, List.of());
    }

    private static boolean loaded(Path classesLoaded, String className) {
        try {
            return Files.exists(classesLoaded) && Files.readString(classesLoaded).contains(className);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
