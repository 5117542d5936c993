package io.brubeck.it.roundtrip.chaos;

import io.brubeck.service.cdi.Argument;
import io.brubeck.service.cdi.PathGroup;
import io.brubeck.service.cdi.ServiceRoute;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The route of the worker processes that {@code WorkersDyingTest} kills and stops: it echoes the caller's
 * {@code ID} and names the worker ({@code brubeck.worker.label}) after a short random delay, for either
 * path ({@code /chaos/idempotent} or {@code /chaos/once}). Before it starts on a call, it appends the path's
 * last part and the id to this process's record file ({@code chaos.record}), so that the test can tell which
 * calls each process ran, even one that was killed before it could answer.
 */
@ServiceRoute("^/chaos/(?<kind>idempotent|once)$")
public class ChaosEcho {

    public CompletionStage<Map<String, String>> request(@PathGroup("kind") String kind, @Argument("ID") String id) {
        note(kind + " " + id);
        String worker = System.getProperty("brubeck.worker.label");
        long delayMillis = ThreadLocalRandom.current().nextLong(10, 100);
        return CompletableFuture.supplyAsync(() -> Map.of("id", id, "worker", worker),
                CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS));
    }

    /** One write per line, appended: the line is the kernel's once written, whenever the process dies. */
    private static synchronized void note(String line) {
        try {
            Files.writeString(Path.of(System.getProperty("chaos.record")), line + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
