package io.brubeck.service.worker;

import io.brubeck.service.cdi.ServiceRuntime;
import io.brubeck.service.cdi.config.WorkerSettings;
import io.brubeck.service.engine.WorkerConfig;
import io.brubeck.service.worker.demo.DemoSettings;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.weld.environment.se.Weld;

/**
 * The worker program: {@code java -jar brubeck-service-worker.jar}, or with routes of your own,
 * {@code java -cp brubeck-service-worker.jar:my-routes.jar io.brubeck.service.worker.WorkerMain}.
 *
 * <p>It boots a CDI SE container in which the brubeck-service extension finds every {@code @ServiceRoute}
 * bean on the classpath and starts the worker from the {@code brubeck.worker.*} keys of MicroProfile
 * Config (system properties, then environment variables such as {@code BRUBECK_WORKER_CONNECT}, then the
 * application's {@code META-INF/microprofile-config.properties}, then the program's own, whose
 * {@code config_ordinal} of 50 puts its defaults below every application's file). It prints one line
 * when it is ready and runs until SIGTERM or SIGINT, or until the process named by
 * {@code worker.exit-with-pid} ends. Then it stops taking work, lets the requests in flight finish for up
 * to {@code brubeck.worker.shutdown-grace}, says goodbye to its clients and exits.
 *
 * <p>Exit status: 0 after an orderly stop, 1 when it cannot start (the message names the problem, for
 * example a missing key), 2 when there is nothing to serve, 3 when the worker stopped on its own after a
 * failure (the log says which), so that a supervisor starts it again.
 */
public final class WorkerMain {
    static final int STOPPED = 0;
    static final int CANNOT_START = 1;
    static final int NOTHING_TO_SERVE = 2;
    static final int WORKER_FAILED = 3;
    /** The reason to stop when the worker's socket thread has ended without being asked to. */
    private static final String WORKER_STOPPED = "its socket thread stopped after a failure";
    /** How often the program looks whether the worker still runs: a worker that died is noticed this late. */
    private static final long RUNNING_CHECK_MILLIS = 1000;

    private final PrintStream out;
    private final PrintStream err;
    private final StopRequest stop;
    private SeContainer container;
    private volatile String service;
    private boolean stopped;

    private WorkerMain(PrintStream out, PrintStream err, StopRequest stop) {
        this.out = out;
        this.err = err;
        this.stop = stop;
    }

    /**
     * Says how many arguments came, not what they were: one may be a passphrase given as a flag by mistake, which
     * must not end up in a log.
     */
    static String unexpectedArguments(String[] args) {
        return "brubeck-service worker takes no arguments, was given " + args.length
                + (args.length == 1 ? " (not shown, as it may hold a secret)" : " (not shown, as they may hold secrets)")
                + "; its settings come from MicroProfile Config, as the usage above says";
    }

    public static void main(String[] args) {
        // First of all: until the handlers are in place, a signal ends the JVM at once with 143 (or 130).
        StopRequest stop = new StopRequest();
        List<String> unhandled = TerminationSignals.install(stop::request);
        if (args.length > 0) {
            System.out.println(usage());
            if (!"--help".equals(args[0]) && !"-h".equals(args[0])) {
                System.err.println(unexpectedArguments(args));
                System.exit(CANNOT_START);
            }
            System.exit(STOPPED);
        }
        LogFormat.install();
        TerminationSignals.warnAbout(unhandled);
        System.exit(new WorkerMain(System.out, System.err, stop).run());
    }

    private int run() {
        // Checked before anything starts, so that a worker that cannot follow its parent, or whose demo routes
        // would fail every call, never takes work.
        Config settings = ConfigProvider.getConfig();
        List<String> problems = new ArrayList<>();
        Optional<Long> parent = Optional.empty();
        try {
            parent = ParentWatch.processId(settings.getOptionalValue(ParentWatch.KEY, String.class));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (DemoSettings.routesServed()) {
            problems.addAll(DemoSettings.problems(settings));
        }
        if (!problems.isEmpty()) {
            err.println("brubeck-service worker cannot start: " + String.join(System.lineSeparator() + "  ", problems));
            return CANNOT_START;
        }
        if (stoppedBeforeStart()) {
            return STOPPED;
        }
        try {
            container = SeContainerInitializer.newInstance()
                    .addProperty(Weld.SHUTDOWN_HOOK_SYSTEM_PROPERTY, false)
                    .initialize();
        } catch (RuntimeException e) {
            err.println("brubeck-service worker cannot start: " + StartupFailure.describe(e));
            return CANNOT_START;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.request("JVM shutdown");
            shutdown();
        }, "brubeck-worker-shutdown"));
        try {
            if (stoppedBeforeStart()) {
                return STOPPED; // the container's worker may have started meanwhile: closing it lets it go
            }
            Optional<WorkerConfig> config = serve(parent);
            if (config.isEmpty()) {
                return NOTHING_TO_SERVE;
            }
            ServiceRuntime runtime = container.select(ServiceRuntime.class).get();
            String reason = stop.awaitWhile(runtime::workerRunning, WORKER_STOPPED, RUNNING_CHECK_MILLIS);
            if (reason.equals(WORKER_STOPPED)) {
                err.println("brubeck-service worker of service '" + service + "' stopped: " + WORKER_STOPPED
                        + " (see the log); exiting with status " + WORKER_FAILED);
                return WORKER_FAILED;
            }
            out.println("brubeck-service worker of service '" + service + "' stopping (" + reason
                    + "): taking no new work, requests in flight get up to " + config.get().shutdownGrace().toMillis()
                    + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            err.println("brubeck-service worker cannot start: " + StartupFailure.describe(e));
            return CANNOT_START;
        } finally {
            shutdown();
        }
        return STOPPED;
    }

    /** Whether a stop was asked for before the worker announced itself: it then never does, and says so. */
    private boolean stoppedBeforeStart() {
        Optional<String> reason = stop.requested();
        reason.ifPresent(why -> out.println("brubeck-service worker stopped before it started (" + why + ")"));
        return reason.isPresent();
    }

    /** Checks that a worker runs, prints the start-up line and follows the parent process; empty when nothing runs. */
    private Optional<WorkerConfig> serve(Optional<Long> parent) {
        ServiceRuntime runtime = container.select(ServiceRuntime.class).get();
        if (!WorkerSettings.requested(new MicroProfileSettings(ConfigProvider.getConfig()))) {
            err.println("brubeck-service worker has nothing to do: " + WorkerSettings.CONNECT_KEY
                    + " is not set; give the client endpoints to connect to, for example -D"
                    + WorkerSettings.CONNECT_KEY + "=tcp://127.0.0.1:5555 or BRUBECK_WORKER_CONNECT=tcp://127.0.0.1:5555");
            return Optional.empty();
        }
        Optional<WorkerConfig> running = runtime.workerConfig();
        if (running.isEmpty() || runtime.routes().requestRoutes().isEmpty()) {
            err.println("brubeck-service worker has nothing to serve: no @ServiceRoute bean with a request handler "
                    + "was found on the classpath; put the jar of your routes (with META-INF/beans.xml) on it");
            return Optional.empty();
        }
        WorkerConfig workerConfig = running.get();
        service = workerConfig.serviceName();
        out.println(StartupLine.of(workerConfig, runtime.routes().requestRoutes()));
        parent.ifPresent(pid -> ParentWatch.follow(pid, stop::request));
        return Optional.of(workerConfig);
    }

    /**
     * Closes the container once: the worker stops taking work, lets the requests in flight finish for its
     * shutdown grace, says goodbye to its clients, and the ZeroMQ context closes.
     */
    private synchronized void shutdown() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (container != null && container.isRunning()) {
            container.close();
        }
        if (service != null) {
            out.println("brubeck-service worker of service '" + service + "' stopped; goodbye");
            out.flush();
        }
    }

    private static String usage() {
        return String.join(System.lineSeparator(),
                "Usage: java -jar brubeck-service-worker.jar",
                "       java -cp brubeck-service-worker.jar:my-routes.jar " + WorkerMain.class.getName(),
                "Configured with MicroProfile Config keys, as -Dkey=value or environment variables, e.g.:",
                "  brubeck.worker.connect        client endpoints, comma-separated (BRUBECK_WORKER_CONNECT)",
                "  brubeck.worker.service        service name (BRUBECK_WORKER_SERVICE)",
                "  brubeck.worker.passphrase     shared secret (BRUBECK_WORKER_PASSPHRASE)",
                "  brubeck.worker.concurrency    requests at once (default: CPU count)",
                "  brubeck.worker.shutdown-grace time requests in flight get on SIGTERM",
                "  " + ParentWatch.KEY + "     stop when this process ends",
                "See README.md of brubeck-service-worker for every key.");
    }
}
