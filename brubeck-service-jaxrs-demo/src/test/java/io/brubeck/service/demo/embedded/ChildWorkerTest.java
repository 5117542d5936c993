package io.brubeck.service.demo.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the demo says of its child worker's end, with {@link FakeWorker} in the worker's place: each end is
 * logged once with the status the child exited with, whether the demo runs on or stops.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChildWorkerTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path folder;

    private final BlockingQueue<String> logged = new LinkedBlockingQueue<>();
    private final Logger logger = Logger.getLogger(ChildWorker.class.getName());
    private final Handler keep = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record.getLevel() + " " + record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void keepLog() {
        logger.addHandler(keep);
    }

    @AfterEach
    void dropLog() {
        logger.removeHandler(keep);
    }

    @Test
    void theChildInheritsNoneOfTheDemosClientSettingsWhichMayHoldItsSecrets() {
        Map<String, String> environment = new HashMap<>(Map.of("PATH", "/usr/bin",
                "BRUBECK_SERVICE_DEMO_CURVE_SECRET_KEY", "the client's secret", "BRUBECK_SERVICE_DEMO_PASSPHRASE", "x",
                "BRUBECK_WORKER_CONCURRENCY", "4", "brubeck_service_demo_curve_secret_key", "read as well",
                "brubeck.service.demo.passphrase", "read as well"));
        ChildWorker.withoutClientSettings(environment);
        assertEquals(Map.of("PATH", "/usr/bin", "BRUBECK_WORKER_CONCURRENCY", "4"), environment);
    }

    @Test
    void aWorkerThatEndsWhileTheDemoRunsIsWarnedAboutWithTheCommandThatStartsOneByHand() throws Exception {
        ChildWorker child = start(List.of("-Dfake.status=3"), "our own secret");
        exitNow();

        String warning = next();
        assertEquals("WARNING The worker " + child.pid() + " exited with status 3; the demo keeps running: start a worker "
                + "by hand with java -Dbrubeck.worker.connect=tcp://127.0.0.1:1 -jar " + folder.resolve("worker.jar")
                + ", with the environment variable BRUBECK_WORKER_PASSPHRASE set to the demo's passphrase", warning);
        assertFalse(warning.contains("our own secret"), warning);
    }

    @Test
    void aWorkerAskedToStopHasItsStatusLogged() throws Exception {
        ChildWorker child = start(List.of());
        awaitFile(folder.resolve("ready"));

        child.stop(LIMIT);

        // SIGTERM ends the stand-in as it ends any JVM that does not catch it.
        assertEquals("WARNING The worker " + child.pid() + " exited with status 143", next());
        assertTrue(logged.isEmpty(), logged.toString());
    }

    @Test
    void aWorkerThatEndedWhileTheDemoStopsHasItsStatusLoggedOnce() throws Exception {
        ChildWorker child = start(List.of("-Dfake.status=130"));
        child.stopping();
        exitNow();
        ProcessHandle.of(child.pid()).ifPresent(process -> process.onExit().join());

        child.stop(LIMIT);

        assertEquals("WARNING The worker " + child.pid() + " exited with status 130", next());
        assertTrue(logged.isEmpty(), logged.toString());
    }

    @Test
    void aWorkerThatDoesNotStopInTimeIsKilledAndItsStatusLogged() throws Exception {
        ChildWorker child = start(List.of("-Dfake.slow-to-stop=true"));
        awaitFile(folder.resolve("ready"));

        child.stop(Duration.ofMillis(500));

        assertEquals("WARNING The worker " + child.pid() + " did not stop within PT0.5S; killing it", next());
        assertEquals("WARNING The worker " + child.pid() + " exited with status 137", next());
    }

    private ChildWorker start(List<String> options) throws IOException {
        return start(options, "my_shared_secret");
    }

    private ChildWorker start(List<String> options, String passphrase) throws IOException {
        List<String> jvmOptions = new ArrayList<>(List.of("-Xmx32m", "-Dfake.ready=" + folder.resolve("ready"),
                "-Dfake.exit-when=" + folder.resolve("exit")));
        jvmOptions.addAll(options);
        return ChildWorker.start(fakeWorkerJar(), "tcp://127.0.0.1:1", "demo", passphrase, Optional.empty(),
                jvmOptions);
    }

    /** A jar that runs {@link FakeWorker}, its one class. */
    private Path fakeWorkerJar() throws IOException {
        Path jar = folder.resolve("worker.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeWorker.class.getName());
        String classFile = FakeWorker.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file, manifest);
             InputStream in = FakeWorker.class.getClassLoader().getResourceAsStream(classFile)) {
            out.putNextEntry(new JarEntry(classFile));
            in.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }

    private void exitNow() throws IOException {
        Files.createFile(folder.resolve("exit"));
    }

    /** The next message logged, waited for. */
    private String next() throws InterruptedException {
        String message = logged.poll(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(message != null, "nothing logged within " + LIMIT);
        return message;
    }

    private static void awaitFile(Path file) throws IOException, InterruptedException {
        assertTrue(FakeWorker.awaitFile(file, LIMIT), file + " did not appear within " + LIMIT);
    }
}
