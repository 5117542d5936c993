package io.brubeck.service.demo.embedded;

import io.brubeck.service.cdi.MicroProfileConfigValues;
import io.brubeck.service.cdi.ServiceRuntime;
import io.brubeck.service.cdi.config.ClientSettings;
import io.brubeck.service.demo.DemoService;
import io.brubeck.service.engine.ClientConfig;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.weld.environment.se.Weld;

/**
 * The demo on its own: {@code java -jar brubeck-service-jaxrs-demo.jar}. Boots Weld SE (the brubeck-service
 * client of service {@code demo} binds its endpoint then), serves the web application, starts one worker
 * as a child process unless {@code demo.worker.start=false}, and prints one line with the URL.
 *
 * <p>On Ctrl-C, SIGTERM or SIGHUP it stops in this order, so that every web request it accepted gets an answer:
 * <ol>
 *   <li>the web server takes no new connections (a request on a connection already open is answered 503);</li>
 *   <li>the web requests in flight get their answers, waited for up to
 *       {@link DemoSettings#requestStopGrace the deadline of their calls, at most the worker's stop timeout};</li>
 *   <li>those still waiting then are answered 503, and the web server closes (within
 *       {@link EmbeddedServer#ANSWER_TIME});</li>
 *   <li>the child worker stops (it finishes what it is doing; it is killed after {@code demo.worker.stop-timeout});</li>
 *   <li>the container closes.</li>
 * </ol>
 * Then it exits with the status the signal gives a JVM: 143 for SIGTERM, 130 for Ctrl-C (129 for SIGHUP).
 * It handles these signals itself (see {@link TerminationSignals}) rather than stop from a shutdown hook,
 * so that what it logs while it stops is not lost.
 *
 * <p>Configuration is MicroProfile Config: system properties, environment variables, then the
 * {@code META-INF/microprofile-config.properties} in the jar. See {@link DemoSettings} for the demo's own
 * keys and {@link ClientSettings} for the client's.
 */
public final class DemoMain {
    private DemoSettings settings;
    private Duration requestStopGrace;
    private SeContainer container;
    private EmbeddedServer server;
    private ChildWorker child;
    private boolean stopping;

    private DemoMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        // First of all: until the handlers are in place, a signal ends the JVM at once with 143 (or 130, 129).
        TerminationSignals signals = TerminationSignals.install();
        if (args.length > 0) {
            System.out.println(usage());
            System.exit("--help".equals(args[0]) || "-h".equals(args[0]) ? 0 : 1);
        }
        LogFormat.install();
        signals.warnAboutUnhandled();
        DemoMain demo = new DemoMain();
        String ready;
        try {
            ready = demo.start();
        } catch (RuntimeException e) {
            System.err.println("brubeck-service demo cannot start: " + StartupFailure.describe(e));
            demo.abandon();
            System.exit(1);
            return;
        }
        // For the stops no signal handler sees: System.exit, or a signal the JVM keeps to itself.
        Runtime.getRuntime().addShutdownHook(new Thread(demo::stop, "brubeck-demo-shutdown"));
        System.out.println(ready);
        // Stopped here, before the JVM's shutdown begins, so that the log handlers are still open meanwhile.
        int status = signals.awaitExitStatus();
        try {
            demo.stop();
        } finally {
            System.exit(status); // also when the stop failed: threads left running would keep the JVM alive
        }
    }

    /** Starts everything and returns the line that says where the demo is. */
    private String start() {
        Config config = ConfigProvider.getConfig();
        settings = DemoSettings.read(MicroProfileConfigValues.of(config));
        container = SeContainerInitializer.newInstance()
                .addProperty(Weld.SHUTDOWN_HOOK_SYSTEM_PROPERTY, false)
                .initialize();
        ServiceRuntime runtime = container.select(ServiceRuntime.class).get();
        String bound = runtime.boundEndpoint(DemoService.NAME).orElseThrow(
                () -> new IllegalStateException("The application has no client of service '" + DemoService.NAME + "'"));
        String endpoint = LocalEndpoint.connectable(bound);
        ClientConfig client = runtime.clientConfig(DemoService.NAME).orElseThrow();
        // Its calls' deadline bounds how long a stop waits for them.
        requestStopGrace = settings.requestStopGrace(client.timeout());
        server = EmbeddedServer.start(settings.host(), settings.port());
        // Its workers need the public key of the client's key pair.
        Optional<String> curveServerKey = client.curvePublicKey();
        String workers;
        String passphrase = config.getValue(ClientSettings.PREFIX + DemoService.NAME + ".passphrase", String.class);
        if (settings.startWorker()) {
            Path jar = WorkerJar.locate(settings.workerJar(), demoDirectory());
            child = ChildWorker.start(jar, endpoint, DemoService.NAME, passphrase, curveServerKey, settings.workerJvmOptions());
            workers = "; started worker pid " + child.pid() + ", Ctrl-C stops both";
        } else {
            String jar = WorkerJar.find(settings.workerJar(), demoDirectory()).map(Path::toString).orElse(WorkerJar.FILE_NAME);
            workers = "; no worker started: run " + WorkerByHand.command(endpoint, curveServerKey, jar, passphrase);
        }
        return "brubeck-service demo ready at " + server.uri() + " (workers of service '" + DemoService.NAME
                + "' connect to " + LocalEndpoint.describe(bound) + workers + ")";
    }

    /**
     * Stops the web server (answering every request it accepted), then the child worker, then the
     * container; once.
     */
    private synchronized void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        if (child != null) {
            child.stopping();
        }
        if (server != null) {
            // Printed, as the ready line is: when the JVM's shutdown stops the demo, the log handlers may be closed.
            System.out.println("brubeck-service demo stopping: taking no new requests; requests in flight get up to "
                    + requestStopGrace.toMillis() + " ms to be answered");
            int unanswered = server.stop(requestStopGrace);
            if (unanswered > 0) {
                System.out.println("brubeck-service demo answered 503 to " + unanswered + " request"
                        + (unanswered == 1 ? "" : "s") + " still waiting after " + requestStopGrace.toMillis() + " ms");
            }
        }
        if (child != null) {
            child.stop(settings.workerStopTimeout());
        }
        if (container != null && container.isRunning()) {
            container.close();
        }
        if (server != null) {
            System.out.println("brubeck-service demo stopped");
        }
    }

    /** Closes what a start that failed left open, saying nothing more: the demo served nothing yet. */
    private synchronized void abandon() {
        stopping = true;
        if (server != null) {
            server.close();
        }
        if (child != null) {
            child.stopping();
            child.stop(settings.workerStopTimeout());
        }
        if (container != null && container.isRunning()) {
            container.close();
        }
    }

    /** The directory holding the demo's jar (or classes), where the worker jar is looked for first. */
    private static Optional<Path> demoDirectory() {
        try {
            Path location = Path.of(DemoMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Optional.ofNullable(location.toAbsolutePath().getParent());
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String usage() {
        return String.join(System.lineSeparator(),
                "Usage: java [-Dkey=value...] -jar brubeck-service-jaxrs-demo.jar",
                "Configured with MicroProfile Config keys, as -Dkey=value or environment variables, e.g.:",
                "  demo.http.port=6767                 0 picks a free port",
                "  demo.worker.start=true              false: start workers by hand",
                "  demo.worker.jar=PATH                the worker to start (found next to the demo by default)",
                "  demo.worker.stop-timeout=PT15S      on exit: the most requests in flight are waited for, and",
                "      how long the child worker may take to stop",
                "  brubeck.service.demo.endpoint=tcp://127.0.0.1:5555   where workers connect",
                "  brubeck.service.demo.passphrase=... the secret shared with the workers",
                "  brubeck.service.demo.curve-secret-key=...  encrypt with this CURVE secret key (better as the",
                "      variable BRUBECK_SERVICE_DEMO_CURVE_SECRET_KEY, so that it is not on the command line)",
                "  brubeck.service.demo.timeout=PT10S  how long a call may take",
                "See README.md of brubeck-service-jaxrs-demo for every key.");
    }
}
