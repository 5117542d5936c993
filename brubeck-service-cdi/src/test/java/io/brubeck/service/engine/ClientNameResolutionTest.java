package io.brubeck.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.brubeck.it.support.ChildProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker that names its client by host name keeps that client when the name stops resolving for a
 * while, as when the client's machine or container is replaced: it tries again at every heartbeat,
 * and rejoins once the name resolves. The worker runs in a JVM of its own that resolves names from a
 * hosts file the test rewrites, without caching them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientNameResolutionTest {
    private static final String HOST = "brubeck-client.test";

    private final Fixtures fixtures = new Fixtures(Duration.ofMillis(100), 3);

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
        try (ChildProcess worker = startWorker(hosts, "tcp://" + HOST + ":" + port)) {
            Fixtures.awaitWorkers(first, 1);

            Files.writeString(hosts, "");
            first.close();
            worker.awaitSaid("its host name does not resolve", Duration.ofSeconds(15));
            Files.writeString(hosts, "127.0.0.1 " + HOST + "\n");

            ServiceClientEndpoint second = fixtures.client(
                    fixtures.clientConfig(HostsFileWorker.SERVICE).endpoint(first.endpoint()).build());
            Fixtures.awaitWorkers(second, 1);
            assertEquals("pong", second.request("/ping").timeout(Duration.ofSeconds(5)).send().response().statusMessage());
        }
    }

    /** A worker JVM that looks names up in {@code hosts} and keeps no answer, found or not, in its cache. */
    private static ChildProcess startWorker(Path hosts, String endpoint) throws IOException {
        Path noCache = Files.writeString(hosts.resolveSibling("no-cache.security"),
                "networkaddress.cache.ttl=0\nnetworkaddress.cache.negative.ttl=0\n");
        return ChildProcess.builder("hosts-file-worker", List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djdk.net.hosts.file=" + hosts,
                "-Djava.security.properties=" + noCache,
                "-cp", System.getProperty("java.class.path"),
                HostsFileWorker.class.getName(), endpoint)).start();
    }
}
