package io.brubeck.it.war;

import io.brubeck.it.support.Await;
import io.brubeck.it.support.DemoArtifacts;
import io.brubeck.it.support.DeployedServer;
import io.brubeck.it.support.FreePort;
import io.brubeck.it.support.JavaProgram;
import io.brubeck.it.support.PathProperty;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Payara Micro, a Jakarta EE 10 server (Web Profile and MicroProfile), started as its users start it, in a JVM of
 * its own: {@code java -jar payara-micro.jar --deploy app.war}, on a free HTTP port (read back from the server's
 * output), without clustering, with the server's files in a folder of its own that is deleted when it stops. The
 * application is configured as on any server, through MicroProfile Config (system properties of the server's
 * JVM); its context root is the WAR's file name.
 */
final class PayaraMicroServer implements DeployedServer {
    private static final Duration STOP_LIMIT = Duration.ofSeconds(60);

    private final JavaProgram server;
    private final Path root;
    /** The application's context root, which the server lists with its URL once it has deployed it. */
    private final String contextRoot;

    private PayaraMicroServer(JavaProgram server, Path root, String contextRoot) {
        this.server = server;
        this.root = root;
        this.contextRoot = contextRoot;
    }

    /**
     * Starts the server deploying a WAR, without waiting for it.
     *
     * @param config the application's configuration, as system properties of the server's JVM, which
     *               MicroProfile Config reads
     */
    static PayaraMicroServer start(Path war, Map<String, String> config) {
        return DemoArtifacts.setUpServerFolder("root-", root -> {
            List<String> jvmOptions = new ArrayList<>(List.of("-Xmx512m"));
            jvmOptions.addAll(JavaProgram.systemProperties(config));
            // A port that was free a moment ago; should another process take it first, the server moves
            // on to the next free one and says where it listens.
            JavaProgram server = JavaProgram.start("payara", PathProperty.get("brubeck.it.payara-micro-jar"), jvmOptions,
                    List.of("--deploy", war.toString(),
                            "--port", Integer.toString(FreePort.pick()),
                            "--autobindhttp",
                            "--nocluster",
                            "--disablephonehome",
                            "--rootdir", root.toString()));
            return new PayaraMicroServer(server, root, war.getFileName().toString().replaceFirst("\\.war$", ""));
        });
    }

    /**
     * Waits for the line in which the server lists the application's URL, once it has deployed it, and returns
     * the root of the HTTP listener it names.
     */
    @Override
    public URI awaitStarted(Duration limit) {
        Pattern url = Pattern.compile("http://[^\\s/]+:(\\d+)/" + Pattern.quote(contextRoot) + "(\\s|$)");
        return URI.create("http://127.0.0.1:" + server.awaitLine(url, limit).group(1) + "/");
    }

    /** The server's JVM, whose output holds its log. */
    @Override
    public JavaProgram output() {
        return server;
    }

    @Override
    public List<ProcessHandle> processesOfTheServer() {
        return server.children();
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
            DemoArtifacts.deleteServerFolder(root);
        }
    }
}
