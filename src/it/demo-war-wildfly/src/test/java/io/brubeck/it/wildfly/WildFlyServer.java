package io.brubeck.it.wildfly;

import static org.junit.jupiter.api.Assertions.fail;

import io.brubeck.it.support.Await;
import io.brubeck.it.support.ChildProcess;
import io.brubeck.it.support.DemoArtifacts;
import io.brubeck.it.support.DeployedServer;
import io.brubeck.it.support.PathProperty;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A WildFly started as a user starts one: {@code bin/standalone.sh -c standalone-full.xml} (the full Jakarta EE
 * 10 profile, which has MicroProfile Config), with a WAR copied into the deployments folder beforehand and the
 * application's configuration as system properties from a properties file ({@code --properties}). Each server
 * gets a copy of the distribution's {@code standalone} folder of its own ({@code jboss.server.base.dir}),
 * deleted when it stops, and a port offset under which all its ports are free. The script runs in the
 * foreground with {@code LAUNCH_JBOSS_IN_BACKGROUND} set, so that it hands SIGTERM on to the server's JVM, as
 * under a service manager.
 */
final class WildFlyServer implements DeployedServer {
    static final String CONFIGURATION = "standalone-full.xml";
    /** The HTTP port of the configuration's socket bindings, before the offset. */
    private static final int HTTP_PORT = 8080;
    private static final Duration STOP_LIMIT = Duration.ofSeconds(60);
    /** WFLYSRV0025: started; WFLYSRV0026: started with errors, among them a deployment that failed. */
    private static final Pattern STARTED = Pattern.compile("WFLYSRV002([56]): WildFly .* started");

    private final ChildProcess script;
    private final Path baseDir;
    private final int portOffset;
    /** The script's processes, the server's JVM among them, remembered so that none outlives a stop. */
    private final Set<ProcessHandle> processes = new HashSet<>();

    private WildFlyServer(ChildProcess script, Path baseDir, int portOffset) {
        this.script = script;
        this.baseDir = baseDir;
        this.portOffset = portOffset;
    }

    /**
     * Starts a server deploying the WAR, without waiting for it.
     *
     * @param war    the WAR, deployed under its file name
     * @param config the application's configuration, as system properties of the server
     */
    static WildFlyServer start(Path war, Map<String, String> config) {
        Path home = PathProperty.get("brubeck.it.wildfly-home");
        return DemoArtifacts.setUpServerFolder("base-", baseDir -> {
            copyStandaloneFolder(home, baseDir);
            Files.copy(war, baseDir.resolve("deployments").resolve(war.getFileName()));
            Path properties = writeProperties(baseDir.resolve("application.properties"), config);
            int offset = PortOffset.pickFor(baseDir.resolve("configuration").resolve(CONFIGURATION));
            ChildProcess script = ChildProcess.builder("wildfly", List.of(
                            "sh", home.resolve("bin").resolve("standalone.sh").toString(),
                            "-c", CONFIGURATION,
                            "-Djboss.server.base.dir=" + baseDir,
                            "-Djboss.socket.binding.port-offset=" + offset,
                            "--properties=" + properties.toUri()))
                    // This JDK and this distribution, whatever the environment says; the script's own JVM options.
                    .environment("JAVA_HOME", System.getProperty("java.home"))
                    .environment("JBOSS_HOME", home.toString())
                    .environment("JAVA_OPTS", null)
                    .environment("LAUNCH_JBOSS_IN_BACKGROUND", "true")
                    .start();
            return new WildFlyServer(script, baseDir, offset);
        });
    }

    /**
     * Waits until the server says it has started, and fails if it started with errors (a deployment that
     * failed) or ended first.
     */
    @Override
    public URI awaitStarted(Duration limit) {
        Matcher started = script.awaitLine(STARTED, limit);
        if (started.group(1).equals("6")) {
            fail("WildFly started with errors" + script.tail());
        }
        processes.addAll(script.children());
        return URI.create("http://127.0.0.1:" + (HTTP_PORT + portOffset) + "/");
    }

    /** The output of the script and the server's console log. */
    @Override
    public ChildProcess output() {
        return script;
    }

    /** The processes the server's JVM (the script's child) started. */
    @Override
    public List<ProcessHandle> processesOfTheServer() {
        return script.children().stream().flatMap(ProcessHandle::children).filter(ProcessHandle::isAlive).toList();
    }

    boolean isAlive() {
        return script.isAlive();
    }

    /**
     * Stops the server as a service manager would (SIGTERM, which undeploys the application), kills it and
     * every process it left when it takes too long, and deletes its files.
     */
    @Override
    public void close() {
        processes.addAll(script.children());
        try {
            if (script.isAlive()) {
                script.terminate();
                Await.until(STOP_LIMIT, "WildFly to stop", () -> !script.isAlive()
                        && processes.stream().noneMatch(ProcessHandle::isAlive), script::tail);
            }
        } finally {
            script.close();
            processes.forEach(ProcessHandle::destroyForcibly);
            DemoArtifacts.deleteServerFolder(baseDir);
        }
    }

    /** Copies the distribution's {@code standalone} folder into the server's base folder. */
    private static void copyStandaloneFolder(Path home, Path baseDir) throws IOException {
        Path standalone = home.resolve("standalone");
        try (Stream<Path> files = Files.walk(standalone)) {
            for (Path file : files.toList()) {
                Path copy = baseDir.resolve(standalone.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static Path writeProperties(Path file, Map<String, String> config) throws IOException {
        Properties properties = new Properties();
        properties.putAll(config);
        try (Writer out = Files.newBufferedWriter(file)) {
            properties.store(out, "The application's configuration, read by MicroProfile Config as system properties");
        }
        return file;
    }
}
