package io.brubeck.it.roundtrip;

import io.brubeck.it.roundtrip.chaos.ChaosEcho;
import io.brubeck.it.support.BeanArchiveJar;
import io.brubeck.it.support.JavaProgram;
import io.brubeck.it.support.PathProperty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Worker processes as users run them: the worker program's jar with a jar of routes beside it (the
 * {@code chaos} package, {@link ChaosEcho}), each in a JVM of its own, named {@code worker-1},
 * {@code worker-2}… in the order they start, connected to one client endpoint. Each keeps a record of the
 * calls it ran in a file of its own, which {@link #runs()} reads.
 */
final class ChaosWorkers implements AutoCloseable {
    private final String endpoint;
    private final String service;
    private final String passphrase;
    private final Path directory;
    private final Path routesJar;
    private final List<Worker> started = new ArrayList<>();

    /** One worker process: its name (also its label) and the program. */
    record Worker(String name, JavaProgram program) {
    }

    ChaosWorkers(String endpoint, String service, String passphrase, Path directory) {
        this.endpoint = endpoint;
        this.service = service;
        this.passphrase = passphrase;
        this.directory = directory;
        this.routesJar = packRoutes(directory.resolve("chaos-routes.jar"));
    }

    /** Starts the next worker, which serves two calls at once, beats every 200 ms and drains for up to 5 s. */
    Worker start() {
        String name = "worker-" + (started.size() + 1);
        JavaProgram program = JavaProgram.startMain(name, List.of(PathProperty.get("brubeck.it.worker-jar"), routesJar),
                "io.brubeck.service.worker.WorkerMain", List.of(
                        // Small and quick to start: several of these share two cores with the test.
                        "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-Dbrubeck.worker.connect=" + endpoint,
                        "-Dbrubeck.worker.service=" + service,
                        "-Dbrubeck.worker.passphrase=" + passphrase,
                        "-Dbrubeck.worker.concurrency=2",
                        "-Dbrubeck.worker.heartbeat-interval=PT0.2S",
                        "-Dbrubeck.worker.liveness=5",
                        "-Dbrubeck.worker.shutdown-grace=PT5S",
                        "-Dbrubeck.worker.label=" + name,
                        "-Dworker.demo-routes=false",
                        "-Dworker.exit-with-pid=" + ProcessHandle.current().pid(),
                        "-Dchaos.record=" + record(name)));
        Worker worker = new Worker(name, program);
        started.add(worker);
        return worker;
    }

    /** Every worker started so far, in the order they started. */
    List<Worker> started() {
        return List.copyOf(started);
    }

    /**
     * What the workers ran: for each line a handler wrote before it started on a call ({@code "once c3-17"}),
     * the names of the workers that wrote it, once per run.
     */
    Map<String, List<String>> runs() {
        Map<String, List<String>> runs = new HashMap<>();
        for (Worker worker : started) {
            Path record = record(worker.name());
            if (!Files.exists(record)) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(record, StandardCharsets.UTF_8)) {
                    runs.computeIfAbsent(line, key -> new ArrayList<>()).add(worker.name());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return runs;
    }

    /** Kills every worker still running. */
    @Override
    public void close() {
        started.forEach(worker -> worker.program().close());
    }

    private Path record(String name) {
        return directory.resolve(name + ".ids");
    }

    /** Packs the compiled classes of the routes' package with a beans.xml, as a user's build packs a routes jar. */
    private static Path packRoutes(Path jar) {
        try {
            Path classes = Path.of(ChaosEcho.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path routes = classes.resolve(ChaosEcho.class.getPackageName().replace('.', '/'));
            try (Stream<Path> files = Files.list(routes)) {
                return BeanArchiveJar.pack(jar, classes, files.filter(Files::isRegularFile).toList(), Map.of());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
