package io.brubeck.it.war;

import static org.junit.jupiter.api.Assertions.fail;

import io.brubeck.it.support.Await;
import io.brubeck.it.support.ConnectedWorkers;
import io.brubeck.it.support.FreePort;
import io.brubeck.it.support.JavaProgram;
import io.brubeck.it.support.Web;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The demo's WAR deployed unchanged to Payara Micro, a Jakarta EE 10 server (Web Profile and MicroProfile),
 * in a JVM of its own: {@code java -jar payara-micro.jar --deploy brubeck-service-jaxrs-demo.war}, on a free
 * HTTP port (read back from the server's output), without clustering, with the server's files in a folder of its own that is deleted when it stops.
 * The application is configured as a user would configure it on a server, through MicroProfile Config
 * (system properties of the server's JVM); its context root is the WAR's file name, as a server gives it.
 */
final class DeployedDemo implements AutoCloseable {
    /** The context root Payara Micro gives the WAR: its file name without {@code .war}. */
    static final String CONTEXT_ROOT = "/brubeck-service-jaxrs-demo/";
    private static final Duration STOP_LIMIT = Duration.ofSeconds(60);
    /** The line in which Payara Micro lists the application's URL, with the HTTP port it bound. */
    private static final Pattern APPLICATION_URL = Pattern.compile("http://[^\\s/]+:(\\d+)/brubeck-service-jaxrs-demo(\\s|$)");
    private static final Pattern BOUND_ENDPOINT = Pattern.compile("\"endpoint\":\"([^\"]+)\"");

    private final JavaProgram server;
    private final Path root;
    private final Web web;
    private final ConnectedWorkers workers;

    private DeployedDemo(JavaProgram server, Path root, Web web) {
        this.server = server;
        this.root = root;
        this.web = web;
        this.workers = new ConnectedWorkers(web);
    }

    /**
     * Starts the server with the WAR and waits until the demo's index page answers.
     *
     * @param config     MicroProfile Config of the application, as system properties of the server's JVM
     * @param startLimit how long the server may take to start and deploy
     */
    static DeployedDemo start(List<String> config, Duration startLimit) {
        Path root = newRootDir();
        JavaProgram server = startServer(Artifacts.demoWar(), config, root);
        int port;
        try {
            port = Integer.parseInt(server.awaitLine(APPLICATION_URL, startLimit).group(1));
        } catch (RuntimeException | AssertionError e) {
            server.close();
            deleteRoot(root);
            throw e;
        }
        DeployedDemo demo = new DeployedDemo(server, root, new Web(URI.create("http://127.0.0.1:" + port + CONTEXT_ROOT)));
        try {
            Await.until(startLimit, "the deployed demo's index page at " + demo.web.base(),
                    () -> demo.web.statusOrZero("") == 200 || !server.isAlive(), server::tail);
            if (!server.isAlive()) {
                fail("Payara Micro ended before the demo answered" + server.tail());
            }
            return demo;
        } catch (RuntimeException | AssertionError e) {
            demo.close();
            throw e;
        }
    }

    /**
     * Starts Payara Micro deploying a WAR, with its files in {@code root}, without waiting for it.
     *
     * @param config MicroProfile Config of the application, as system properties of the server's JVM
     */
    static JavaProgram startServer(Path war, List<String> config, Path root) {
        List<String> jvmOptions = new ArrayList<>(List.of("-Xmx512m"));
        jvmOptions.addAll(config);
        // A port that was free a moment ago; should another process take it first, the server moves
        // on to the next free one and says where it listens.
        return JavaProgram.start("payara", Artifacts.payaraMicro(), jvmOptions, List.of(
                "--deploy", war.toString(),
                "--port", Integer.toString(FreePort.pick()),
                "--autobindhttp",
                "--nocluster",
                "--disablephonehome",
                "--rootdir", root.toString()));
    }

    /** A new folder for a server's files, under the project's build directory. */
    static Path newRootDir() {
        try {
            Path serverDir = Files.createDirectories(Artifacts.serverDir());
            return Files.createTempDirectory(serverDir, "root-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JavaProgram server() {
        return server;
    }

    Web web() {
        return web;
    }

    /** The address the demo's client endpoint is bound to, from {@code /service/status}. */
    String boundEndpoint() {
        Matcher endpoint = BOUND_ENDPOINT.matcher(web.bodyOrEmpty("service/status"));
        if (!endpoint.find()) {
            fail("The status page names no endpoint" + server.tail());
        }
        return endpoint.group(1);
    }

    /** The labels of the workers connected now, from {@code /service/status}. */
    List<String> workers() {
        return workers.labels();
    }

    /** Waits until exactly these workers (by process id) are connected. */
    void awaitWorkers(Duration limit, long... pids) {
        workers.await(limit, server::tail, pids);
    }

    /**
     * Stops the server as a service manager would (SIGTERM, which undeploys the application), kills it when it
     * takes too long, and deletes its files.
     */
    @Override
    public void close() {
        try {
            if (server.isAlive()) {
                server.terminate();
                Await.until(STOP_LIMIT, "Payara Micro to stop", () -> !server.isAlive(), server::tail);
            }
        } finally {
            server.close();
            deleteRoot(root);
        }
    }

    static void deleteRoot(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.out.println("Could not delete " + root + ": " + e);
        }
    }
}
