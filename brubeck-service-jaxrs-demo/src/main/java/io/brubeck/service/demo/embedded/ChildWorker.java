package io.brubeck.service.demo.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One worker JVM started by the demo as its child process, sharing the demo's console. It learns where
 * to connect, its service, the passphrase and, when the demo encrypts, the CURVE public key from
 * environment variables (so the secret is not on a command line), and follows the demo's process id
 * so that it stops when the demo ends, even when the demo is killed. How it ended is logged once: while the
 * demo runs as a warning, as the demo stops with the stop.
 */
final class ChildWorker {
    private static final System.Logger LOG = System.getLogger(ChildWorker.class.getName());
    /**
     * What MicroProfile Config reads as {@code brubeck.service.*} from the environment, the client's settings, once
     * a name's other characters than letters and digits are underscores and its letters upper case.
     */
    private static final String CLIENT_SETTINGS = "BRUBECK_SERVICE_";

    private final Process process;
    private final String byHand;
    private volatile boolean stopping;
    private final AtomicBoolean exitReported = new AtomicBoolean();

    private ChildWorker(Process process, String byHand) {
        this.process = process;
        this.byHand = byHand;
    }

    /**
     * Starts {@code java -jar workerJar}.
     *
     * @param jar        the worker program
     * @param endpoint   the client endpoint to connect to
     * @param service    the service to serve
     * @param passphrase the secret shared with the demo's client
     * @param curveServerKey the public key of the client's CURVE key pair, when it encrypts
     * @param jvmOptions extra options for the child's JVM
     * @throws UncheckedIOException when the process cannot be started
     */
    static ChildWorker start(Path jar, String endpoint, String service, String passphrase,
                             Optional<String> curveServerKey, List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Dworker.exit-with-pid=" + ProcessHandle.current().pid());
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        Map<String, String> environment = builder.environment();
        withoutClientSettings(environment);
        environment.put("BRUBECK_WORKER_CONNECT", endpoint);
        environment.put("BRUBECK_WORKER_SERVICE", service);
        environment.put("BRUBECK_WORKER_PASSPHRASE", passphrase);
        curveServerKey.ifPresent(key -> environment.put("BRUBECK_WORKER_CURVE_SERVER_KEY", key));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the worker " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        ChildWorker child = new ChildWorker(process, WorkerByHand.command(endpoint, curveServerKey, jar.toString(), passphrase));
        process.onExit().thenAccept(child::exited);
        return child;
    }

    /**
     * Leaves out of a child's environment the demo's own client settings: the worker needs none of them, and they
     * may hold secrets its handler code has no business with, such as the client's CURVE secret key.
     */
    static void withoutClientSettings(Map<String, String> environment) {
        environment.keySet().removeIf(name -> name.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT)
                .startsWith(CLIENT_SETTINGS));
    }

    long pid() {
        return process.pid();
    }

    /**
     * Tells that the demo is stopping: the worker may end from now on without being news (Ctrl-C reaches it
     * too), and {@link #stop} reports how it ended.
     */
    void stopping() {
        stopping = true;
    }

    /**
     * Asks the worker to stop (SIGTERM), waits for it, and kills it when it takes longer than the timeout;
     * then logs the status it exited with, also when it had ended already.
     */
    void stop(Duration timeout) {
        stopping = true;
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.log(Level.WARNING, "The worker " + process.pid() + " did not stop within " + timeout + "; killing it");
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        // Here rather than in the exit callback, which may run too late: the demo exits once this returns.
        if (!process.isAlive() && exitReported.compareAndSet(false, true)) {
            int status = process.exitValue();
            LOG.log(status == 0 ? Level.INFO : Level.WARNING, "The worker " + process.pid() + " exited with status " + status);
        }
    }

    private void exited(Process ended) {
        if (!stopping && exitReported.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "The worker " + ended.pid() + " exited with status " + ended.exitValue()
                    + "; the demo keeps running: start a worker by hand with " + byHand);
        }
    }
}
