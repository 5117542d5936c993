package io.brubeck.service.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@link WorkerCommand} in a JVM of its own, started with this JVM's {@code java} and class path.
 * Closing it closes the child's standard input, which stops it; a child that does not stop in time
 * is killed, and so is every child still running when this JVM exits.
 */
final class ChildJvm implements AutoCloseable {
    private static final long READY_TIMEOUT_SECONDS = 30;
    private static final long STOP_TIMEOUT_SECONDS = 5;
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "bench-child-reaper"));
    }

    private final String role;
    private final Process process;
    private final String endpoint;

    /**
     * Starts a child and waits until it serves.
     *
     * @param role       a short name for messages; replaces {@code {role}} in the JVM options
     * @param jvmOptions extra options for the child JVM
     * @param command    the {@code worker} sub-command's arguments
     */
    ChildJvm(String role, List<String> jvmOptions, List<String> command) throws IOException, InterruptedException {
        this.role = role;
        List<String> line = new ArrayList<>();
        line.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : jvmOptions) {
            line.add(option.replace("{role}", role));
        }
        line.add("-cp");
        line.add(System.getProperty("java.class.path"));
        line.add(BenchMain.class.getName());
        line.add("worker");
        line.addAll(command);
        process = new ProcessBuilder(line).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        RUNNING.add(process);
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> readOutput(ready), "bench-child-" + role);
        reader.setDaemon(true);
        reader.start();
        try {
            endpoint = ready.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            close();
            throw new IllegalStateException("The " + role + " child JVM did not start: " + e.getMessage(), e);
        }
    }

    /** The endpoint the child serves or connects to. */
    String endpoint() {
        return endpoint;
    }

    long pid() {
        return process.pid();
    }

    /** CPU time the child has used so far, in nanoseconds (clock-tick resolution on Linux). */
    long cpuNanos() {
        return process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    private void readOutput(CompletableFuture<String> ready) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String text;
            while ((text = out.readLine()) != null) {
                if (!ready.isDone() && text.startsWith(WorkerCommand.READY)) {
                    ready.complete(text.substring(WorkerCommand.READY.length()));
                } else {
                    System.out.println("[" + role + "] " + text);
                }
            }
        } catch (IOException ignored) {
            // the child is gone; the future below says so if it never got ready
        }
        ready.completeExceptionally(new IllegalStateException("it exited with code " + exitCode()));
    }

    private String exitCode() {
        try {
            return process.waitFor(1, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "(still running)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(unknown)";
        }
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already closed: the child has its end-of-input
        }
        try {
            if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                System.err.println("The " + role + " child JVM did not stop in " + STOP_TIMEOUT_SECONDS + " s; killing it");
                process.destroyForcibly().waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(process);
    }
}
