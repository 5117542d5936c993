package io.brubeck.service.demo.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
        if (!awaitFile(exitWhen, Duration.ofMinutes(5))) {
            throw new IllegalStateException(exitWhen + " did not appear");
        }
        System.exit(Integer.getInteger("fake.status", 0));
    }

    /** Waits until {@code file} exists, told by the file system as files appear in its folder; false at the limit. */
    static boolean awaitFile(Path file, Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        try (WatchService watch = file.getFileSystem().newWatchService()) {
            file.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            while (!Files.exists(file)) { // looked at after registering, so that no creation is missed
                long left = deadline - System.nanoTime();
                WatchKey key = watch.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
                if (key == null) {
                    return Files.exists(file);
                }
                key.pollEvents();
                key.reset();
            }
            return true;
        }
    }

    /**
     * A shutdown that does not end by itself (it waits for a latch nothing counts down, for at most two minutes):
     * the hang is what the test that asks for it is about.
     */
    private static void hang() {
        try {
            new CountDownLatch(1).await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
