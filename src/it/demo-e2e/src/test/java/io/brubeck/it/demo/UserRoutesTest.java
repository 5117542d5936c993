package io.brubeck.it.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.JavaProgram;
import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.engine.ClientConfig;
import io.brubeck.service.engine.ServiceClientEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user adds routes by putting their jar on the worker's class path, as the worker's README shows:
 * {@code java -cp brubeck-service-worker.jar:my-routes.jar io.brubeck.service.worker.WorkerMain}; a
 * client in this JVM, bound on a free port, calls the user's route. The jar may configure the worker
 * through its own {@code META-INF/microprofile-config.properties}, over the worker program's defaults.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UserRoutesTest {
    private static final String SHOUT = """
            package com.example;

            import io.brubeck.service.api.ServiceReply;
            import io.brubeck.service.cdi.Argument;
            import io.brubeck.service.cdi.ServiceRoute;

            @ServiceRoute("^/shout$")
            public class Shout {
                public ServiceReply request(@Argument("text") String text) {
                    return ServiceReply.ok("Shouted").with("text", text == null ? "" : text.toUpperCase());
                }
            }
            """;
    private static final String PASSPHRASE = "user-routes-test";
    private static final String JAR_PASSPHRASE = "set-in-the-routes-jar";
    private static final Pattern CONFIGURED_READY = Pattern.compile(
            "brubeck-service worker ready: service '([^']*)', .*, capacity (\\d+),");
    private static final Pattern READY =
            Pattern.compile("brubeck-service worker ready: service 'shouts', .*routes (.*), capacity");

    @TempDir
    Path build;

    @Test
    void theWorkerServesTheRoutesOfAJarOnItsClassPath() throws IOException {
        Path lib = Jars.worker().getParent().resolve("lib");
        Path routes = RoutesJar.build("com.example.Shout", SHOUT,
                List.of(library(lib, "brubeck-service-cdi-"), library(lib, "jakarta.enterprise.cdi-api-")), build);

        try (ServiceClientEndpoint client = ServiceClientEndpoint.start(ClientConfig.builder("shouts")
                .endpoint("tcp://127.0.0.1:*").passphrase(PASSPHRASE).build());
             JavaProgram worker = JavaProgram.startMain("user-worker", List.of(Jars.worker(), routes),
                "io.brubeck.service.worker.WorkerMain", List.of("-Xmx256m", "-Dworker.demo-routes=false",
                        "-Dbrubeck.worker.service=shouts", "-Dbrubeck.worker.connect=" + client.endpoint(),
                        "-Dbrubeck.worker.passphrase=" + PASSPHRASE,
                        "-Dworker.exit-with-pid=" + ProcessHandle.current().pid()))) {
            Matcher ready = worker.awaitLine(READY, Duration.ofSeconds(60));
            assertEquals("^/shout$ [request]", ready.group(1), "Only the user's route is served");

            ServiceResponse shouted = client.request("/shout").argument("text", "hello")
                    .timeout(Duration.ofSeconds(30)).send().response();
            assertEquals(200, shouted.statusCode(), shouted.statusMessage());
            assertEquals("HELLO", shouted.payload().getString("text"));

            worker.terminate();
            assertEquals(0, worker.awaitExit(Duration.ofSeconds(30)), worker.tail());
            assertFalse(worker.said("Exception"), worker.tail());
        }
    }

    @Test
    void theRoutesJarsOwnConfigurationOverridesTheWorkersDefaults() throws IOException {
        // Every brubeck.worker key here but concurrency is one the worker program's own defaults file sets too.
        String settings = String.join("\n",
                "brubeck.worker.service=orders",
                "brubeck.worker.passphrase=" + JAR_PASSPHRASE,
                "brubeck.worker.shutdown-grace=PT2.5S",
                "brubeck.worker.concurrency=3",
                "");
        Path lib = Jars.worker().getParent().resolve("lib");
        Path routes = RoutesJar.build("com.example.Shout", SHOUT,
                List.of(library(lib, "brubeck-service-cdi-"), library(lib, "jakarta.enterprise.cdi-api-")), build,
                Map.of("META-INF/microprofile-config.properties", settings));

        try (ServiceClientEndpoint client = ServiceClientEndpoint.start(ClientConfig.builder("orders")
                .endpoint("tcp://127.0.0.1:*").passphrase(JAR_PASSPHRASE).build());
             JavaProgram worker = JavaProgram.startMain("configured-worker", List.of(Jars.worker(), routes),
                "io.brubeck.service.worker.WorkerMain", List.of("-Xmx256m", "-Dworker.demo-routes=false",
                        "-Dbrubeck.worker.connect=" + client.endpoint(),
                        // a system property still overrides the jar's file
                        "-Dbrubeck.worker.prefetch=1",
                        "-Dworker.exit-with-pid=" + ProcessHandle.current().pid()))) {
            Matcher ready = worker.awaitLine(CONFIGURED_READY, Duration.ofSeconds(60));
            assertEquals("orders", ready.group(1), "The service the routes jar configures: " + worker.tail());
            assertEquals("4", ready.group(2), "concurrency 3 from the routes jar, prefetch 1 from -D: " + worker.tail());

            // The worker has the jar's passphrase, or this client would never hear from it.
            ServiceResponse shouted = client.request("/shout").argument("text", "order")
                    .timeout(Duration.ofSeconds(30)).send().response();
            assertEquals(200, shouted.statusCode(), shouted.statusMessage());
            assertEquals("ORDER", shouted.payload().getString("text"));

            worker.terminate();
            assertEquals(0, worker.awaitExit(Duration.ofSeconds(30)), worker.tail());
            assertTrue(worker.said("requests in flight get up to 2500 ms"),
                    "The shutdown grace the routes jar configures: " + worker.tail());
        }
    }

    /** The jar in the worker's lib/ whose name starts so: what a user's build compiles routes against. */
    private static Path library(Path lib, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(lib)) {
            return files.filter(path -> path.getFileName().toString().startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new AssertionError("No " + prefix + "*.jar in " + lib));
        }
    }
}
