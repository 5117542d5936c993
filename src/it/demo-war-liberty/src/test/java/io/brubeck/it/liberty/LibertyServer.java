package io.brubeck.it.liberty;

import static org.junit.jupiter.api.Assertions.fail;

import io.brubeck.it.support.Await;
import io.brubeck.it.support.ChildProcess;
import io.brubeck.it.support.DemoArtifacts;
import io.brubeck.it.support.DeployedServer;
import io.brubeck.it.support.FreePort;
import io.brubeck.it.support.JavaProgram;
import io.brubeck.it.support.PathProperty;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An Open Liberty server set up and started as its users do it: a folder of its own for the server
 * ({@code WLP_USER_DIR}, with {@code servers/demo} in it) holding the project's {@code server.xml}, a
 * {@code bootstrap.properties} that gives the HTTP port (a variable of {@code server.xml}), a
 * {@code jvm.options} with the application's configuration as system properties, which MicroProfile Config
 * reads, and the WAR in {@code dropins/}; then {@code bin/server run demo}, in the foreground. The script
 * replaces itself with the server's JVM, so that SIGTERM stops the server as a service manager would. The folder
 * is deleted when the server stops.
 */
final class LibertyServer implements DeployedServer {
    static final String NAME = "demo";
    private static final Duration STOP_LIMIT = Duration.ofSeconds(60);
    /*
     * Liberty's messages, by their ids (their text depends on the locale). CWWKF0011I: the server is ready, and,
     * with the start timeout of server.xml, its applications have started (CWWKZ0001I) or failed. CWWKO0221E: a
     * port was taken, and Liberty runs on without it. CWWKE0036I: the server has stopped.
     */
    private static final Pattern READY = Pattern.compile("CWWKF0011I: .*\\b" + NAME + "\\b");
    private static final String BIND_FAILED = "CWWKO0221E";
    private static final Pattern STOPPED = Pattern.compile("CWWKE0036I: .*\\b" + NAME + "\\b");

    private final ChildProcess script;
    private final Path userDir;
    private final int httpPort;
    private final String application;

    private LibertyServer(ChildProcess script, Path userDir, int httpPort, String application) {
        this.script = script;
        this.userDir = userDir;
        this.httpPort = httpPort;
        this.application = application;
    }

    /**
     * Sets up a server deploying the WAR and starts it, without waiting for it.
     *
     * @param war    the WAR, deployed under its file name
     * @param config the application's configuration, as system properties of the server's JVM
     */
    static LibertyServer start(Path war, Map<String, String> config) {
        Path home = PathProperty.get("brubeck.it.liberty-home");
        return DemoArtifacts.setUpServerFolder("usr-", userDir -> {
            Path serverDir = Files.createDirectories(userDir.resolve("servers").resolve(NAME));
            Files.copy(PathProperty.get("brubeck.it.liberty-server-xml"), serverDir.resolve("server.xml"));
            // Below the ports the system hands out, which the workers' and the clients' sockets take.
            int httpPort = FreePort.pickBelowEphemeralRange();
            Files.writeString(serverDir.resolve("bootstrap.properties"), "http.port=" + httpPort + "\n");
            Files.write(serverDir.resolve("jvm.options"), jvmOptions(config));
            Path dropins = Files.createDirectories(serverDir.resolve("dropins"));
            Files.copy(war, dropins.resolve(war.getFileName()));
            ChildProcess script = ChildProcess.builder("liberty", List.of(
                            "sh", home.resolve("bin").resolve("server").toString(), "run", NAME))
                    // This JDK and this server folder, whatever the environment says; no JVM options but jvm.options.
                    .environment("JAVA_HOME", System.getProperty("java.home"))
                    .environment("WLP_USER_DIR", userDir.toString())
                    .environment("WLP_OUTPUT_DIR", null)
                    .environment("LOG_DIR", null)
                    .environment("LOG_FILE", null)
                    .environment("JVM_ARGS", null)
                    .start();
            String application = war.getFileName().toString().replaceFirst("\\.war$", "");
            return new LibertyServer(script, userDir, httpPort, application);
        });
    }

    /** One option a line, as Liberty reads {@code jvm.options}: a heap of its own and the configuration. */
    private static List<String> jvmOptions(Map<String, String> config) {
        List<String> options = new ArrayList<>(List.of("-Xmx512m"));
        options.addAll(JavaProgram.systemProperties(config));
        return options;
    }

    /**
     * Waits until the server says it is ready, and fails if its HTTP port was taken, if the application did not
     * start (as when its deployment fails) or if the server ended first.
     */
    @Override
    public URI awaitStarted(Duration limit) {
        script.awaitLine(READY, limit);
        if (script.said(BIND_FAILED)) {
            fail("Liberty could not listen on port " + httpPort + script.tail());
        }
        if (script.line(Pattern.compile("CWWKZ0001I: .*\\b" + Pattern.quote(application) + "\\b")).isEmpty()) {
            fail("Liberty started without application " + application + script.tail());
        }
        return URI.create("http://127.0.0.1:" + httpPort + "/");
    }

    /** The server's console: its messages and the application's log. */
    @Override
    public ChildProcess output() {
        return script;
    }

    /** The processes the server's JVM (the script's own process) started. */
    @Override
    public List<ProcessHandle> processesOfTheServer() {
        return script.children();
    }

    /**
     * Stops the server as a service manager would (SIGTERM, on which Liberty stops its applications and then
     * itself) and fails unless it says it stopped; kills it and whatever it started when it takes too long, and
     * deletes its files.
     */
    @Override
    public void close() {
        try {
            if (script.isAlive()) {
                script.terminate();
                Await.until(STOP_LIMIT, "Liberty to stop", () -> !script.isAlive(), script::tail);
                // Its last words, once they have come through: it stopped, rather than just ended.
                script.awaitLine(STOPPED, STOP_LIMIT);
            }
        } finally {
            script.close();
            DemoArtifacts.deleteServerFolder(userDir);
        }
    }
}
