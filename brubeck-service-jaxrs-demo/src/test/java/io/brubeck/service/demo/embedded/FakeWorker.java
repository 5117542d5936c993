package io.brubeck.service.demo.embedded;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stand-in for the worker program, run by {@link ChildWorkerTest} as the demo runs the worker, in a JVM of
 * its own. It says it is ready by creating the file named by {@code fake.ready}, then runs until the file
 * named by {@code fake.exit-when} exists and exits with {@code fake.status}; SIGTERM ends it as any JVM, unless
 * {@code fake.slow-to-stop} makes its shutdown hang. Self-contained: its one class file is all its jar holds.
 */
public final class FakeWorker {

    private FakeWorker() {
    }

    public static void main(String[] args) throws Exception {
        if (Boolean.getBoolean("fake.slow-to-stop")) {
            Runtime.getRuntime().addShutdownHook(new Thread(FakeWorker::hang));
        }
        Files.createFile(Path.of(System.getProperty("fake.ready")));
        Path exitWhen = Path.of(System.getProperty("fake.exit-when"));
        while (!Files.exists(exitWhen)) {
            Thread.sleep(10);
        }
        System.exit(Integer.getInteger("fake.status", 0));
    }

    private static void hang() {
        try {
            Thread.sleep(120_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
