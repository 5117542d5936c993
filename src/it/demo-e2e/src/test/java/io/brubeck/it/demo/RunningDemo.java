package io.brubeck.it.demo;

import io.brubeck.it.support.ConnectedWorkers;
import io.brubeck.it.support.JavaProgram;
import io.brubeck.it.support.Web;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo web application in its own JVM, with what its ready line says: the URL it serves, the
 * endpoint its workers connect to and, when it started one, its child worker's process id.
 */
final class RunningDemo implements AutoCloseable {
    static final Pattern READY = Pattern.compile("brubeck-service demo ready at (http://\\S+) \\(workers of service "
            + "'([^']+)' connect to (tcp://[^;\\s]+)(?: [^;]*)?;(?: started worker pid (\\d+))?");
    private static final Duration START_LIMIT = Duration.ofSeconds(60);

    private final JavaProgram program;
    private final Web web;
    private final ConnectedWorkers workers;
    private final String endpoint;
    private final OptionalLong childWorker;

    private RunningDemo(JavaProgram program, Web web, String endpoint, OptionalLong childWorker) {
        this.program = program;
        this.web = web;
        this.workers = new ConnectedWorkers(web);
        this.endpoint = endpoint;
        this.childWorker = childWorker;
    }

    /**
     * Starts {@code java -jar brubeck-service-jaxrs-demo.jar} on a free HTTP port, with its client endpoint on
     * a free port too, and waits for its ready line.
     */
    static RunningDemo start(List<String> options) {
        List<String> all = new ArrayList<>(List.of("-Xmx256m", "-Ddemo.http.port=0", "-Dbrubeck.service.demo.endpoint=tcp://127.0.0.1:*"));
        all.addAll(options);
        JavaProgram program = JavaProgram.start("demo", Jars.demo(), all, List.of());
        try {
            Matcher ready = program.awaitLine(READY, START_LIMIT);
            OptionalLong child = ready.group(4) == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(ready.group(4)));
            return new RunningDemo(program, new Web(URI.create(ready.group(1))), ready.group(3), child);
        } catch (RuntimeException | AssertionError e) {
            program.close();
            throw e;
        }
    }

    JavaProgram program() {
        return program;
    }

    Web web() {
        return web;
    }

    /** The client endpoint workers connect to, for example {@code tcp://127.0.0.1:40123}. */
    String endpoint() {
        return endpoint;
    }

    OptionalLong childWorker() {
        return childWorker;
    }

    /** Waits until exactly these workers (by process id) are connected. */
    void awaitWorkers(Duration limit, long... pids) {
        workers.await(limit, program::tail, pids);
    }

    @Override
    public void close() {
        program.close();
    }
}
