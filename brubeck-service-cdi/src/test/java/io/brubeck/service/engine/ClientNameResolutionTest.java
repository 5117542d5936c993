package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.ChildProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker that names its client by host name keeps that client when the name stops resolving for a
 * while, as when the client's machine or container is replaced: it keeps trying, rejoins
 * once the name resolves, and still stops promptly while it cannot. The worker runs in a JVM of its own
 * that resolves names from a hosts file the test rewrites, without caching them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientNameResolutionTest {
    private static final String HOST = "brubeck-client.test";
    private static final String DOES_NOT_RESOLVE = "cannot connect to tcp://" + HOST;

    private final Fixtures fixtures = new Fixtures(Duration.ofMillis(100), 10);

    @AfterEach
    void closeAll() throws Exception {
        fixtures.close();
    }

    @Test
    void aWorkerRejoinsAClientWhoseHostNameStoppedResolvingForAWhile(@TempDir Path dir) throws Exception {
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, "127.0.0.1 " + HOST + "\n");
        ServiceClientEndpoint first = fixtures.client(HostsFileWorker.SERVICE);
        String port = first.endpoint().substring(first.endpoint().lastIndexOf(':') + 1);
        AtomicInteger outages = new AtomicInteger(); // the worker warns once per outage
        try (ChildProcess worker = startWorker(hosts, "tcp://" + HOST + ":" + port, outages)) {
            Fixtures.awaitWorkers(first, 1);

            Files.writeString(hosts, "");
            first.close();
            Fixtures.awaitCondition(Duration.ofSeconds(15), "the worker to fail to connect", () -> outages.get() == 1);
            Files.writeString(hosts, "127.0.0.1 " + HOST + "\n");

            ServiceClientEndpoint second = fixtures.client(
                    fixtures.clientConfig(HostsFileWorker.SERVICE).endpoint(first.endpoint()).build());
            Fixtures.awaitWorkers(second, 1);
            assertEquals("pong", second.request("/ping").timeout(Duration.ofSeconds(5)).send().response().statusMessage());
            assertTrue(worker.said("again after"), "the worker says when it connects again" + worker.tail());

            // While the name does not resolve, the worker has no connection and still stops at once.
            Files.writeString(hosts, "");
            second.close();
            Fixtures.awaitCondition(Duration.ofSeconds(15), "the worker to fail to connect again", () -> outages.get() == 2);
            worker.send(HostsFileWorker.STOP);
            Matcher closed = worker.awaitLine(Pattern.compile(Pattern.quote(HostsFileWorker.CLOSED) + "(\\d+)"),
                    Duration.ofSeconds(10));
            assertTrue(Long.parseLong(closed.group(1)) < 2000, "close() took " + closed.group(1) + " ms");
            assertEquals(0, worker.awaitExit(Duration.ofSeconds(10)));
            assertFalse(worker.said("stopped unexpectedly"), worker.tail());
        }
    }

    /**
     * A worker JVM that looks names up in {@code hosts} and keeps no answer, found or not, in its cache;
     * {@code failures} counts the lines where it says it cannot connect.
     */
    private static ChildProcess startWorker(Path hosts, String endpoint, AtomicInteger failures) throws IOException {
        Path noCache = Files.writeString(hosts.resolveSibling("no-cache.security"),
                "networkaddress.cache.ttl=0\nnetworkaddress.cache.negative.ttl=0\n");
        return ChildProcess.builder("hosts-file-worker", List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djdk.net.hosts.file=" + hosts,
                "-Djava.security.properties=" + noCache,
                "-cp", System.getProperty("java.class.path"),
                HostsFileWorker.class.getName(), endpoint))
                .onLine(line -> {
                    if (line.contains(DOES_NOT_RESOLVE)) {
                        failures.incrementAndGet();
                    }
                })
                .start();
    }
}
