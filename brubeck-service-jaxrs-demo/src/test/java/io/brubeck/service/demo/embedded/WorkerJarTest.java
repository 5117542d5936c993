package io.brubeck.service.demo.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerJarTest {

    @TempDir
    Path root;

    @Test
    void takesTheConfiguredJar() throws IOException {
        Path jar = Files.createFile(root.resolve("w.jar"));
        assertEquals(jar, WorkerJar.locate(Optional.of(jar.toString()), Optional.empty()));
    }

    @Test
    void aConfiguredJarThatIsMissingIsAnError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> WorkerJar.locate(Optional.of(root.resolve("none.jar").toString()), Optional.empty()));
        assertTrue(e.getMessage().contains(WorkerJar.KEY), e.getMessage());
    }

    @Test
    void prefersTheJarNextToTheDemo() throws IOException {
        Path demoTarget = Files.createDirectories(root.resolve("brubeck-service-jaxrs-demo/target"));
        Path beside = Files.createFile(demoTarget.resolve(WorkerJar.FILE_NAME));
        Files.createDirectories(root.resolve("brubeck-service-worker/target"));
        Files.createFile(root.resolve("brubeck-service-worker/target").resolve(WorkerJar.FILE_NAME));
        assertEquals(beside, WorkerJar.locate(Optional.empty(), Optional.of(demoTarget)));
    }

    @Test
    void findsTheJarTheBuildLeftInTheWorkerModule() throws IOException {
        Path demoTarget = Files.createDirectories(root.resolve("brubeck-service-jaxrs-demo/target"));
        Path built = Files.createDirectories(root.resolve("brubeck-service-worker/target")).resolve(WorkerJar.FILE_NAME);
        Files.createFile(built);
        assertEquals(built, WorkerJar.locate(Optional.empty(), Optional.of(demoTarget)));
    }

    @Test
    void saysWhereItLookedWhenThereIsNone() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> WorkerJar.locate(Optional.empty(), Optional.of(root.resolve("demo/target"))));
        assertTrue(e.getMessage().contains("demo.worker.start=false"), e.getMessage());
        assertTrue(e.getMessage().contains(root.resolve("demo/target").resolve(WorkerJar.FILE_NAME).toString()), e.getMessage());
    }

    @Test
    void findNamesTheJarForAHintAndNothingWhenThereIsNone() throws IOException {
        Path demoTarget = Files.createDirectories(root.resolve("brubeck-service-jaxrs-demo/target"));
        assertEquals(Optional.empty(), WorkerJar.find(Optional.empty(), Optional.of(demoTarget)));

        Path built = Files.createDirectories(root.resolve("brubeck-service-worker/target")).resolve(WorkerJar.FILE_NAME);
        Files.createFile(built);
        assertEquals(Optional.of(built), WorkerJar.find(Optional.empty(), Optional.of(demoTarget)));
    }
}
