package io.brubeck.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One program the tests started in a process of its own. Its output (stdout and stderr together, without the
 * colours of a console log) is kept line by line and echoed with its name, so that a failing test's log shows
 * what each process said; a listener given at the start sees each line too. Lines can be written to its stdin.
 * Every program still running when the test JVM ends is killed, with its children.
 *
 * <pre>{@code
 * try (ChildProcess peer = ChildProcess.builder("peer", List.of("python3", "peer.py"))
 *         .environment("PYTHONPATH", "src/test/python")
 *         .start()) {
 *     peer.awaitSaid("ready", Duration.ofSeconds(10));
 *     peer.send("stop");
 *     assertEquals(0, peer.awaitExit(Duration.ofSeconds(10)));
 * }
 * }</pre>
 */
public class ChildProcess implements AutoCloseable {
    private static final Set<ChildProcess> RUNNING = ConcurrentHashMap.newKeySet();
    /** The colours of a console log, left out of what is kept and echoed. */
    private static final Pattern COLOURS = Pattern.compile("\u001B\\[[;\\d]*m");
    /** How long the last lines may take to come through the pipe once the program has ended. */
    private static final Duration LAST_OUTPUT = Duration.ofSeconds(10);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(ChildProcess::kill), "kill-child-processes"));
    }

    private final String name;
    private final Process process;
    private final Writer input;
    private final Consumer<String> listener;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private volatile boolean outputEnded;

    /** Starts the program the builder describes. */
    protected ChildProcess(Builder builder) {
        this.name = builder.name;
        this.listener = builder.listener;
        ProcessBuilder processBuilder = new ProcessBuilder(builder.command).redirectErrorStream(true);
        Map<String, String> environment = processBuilder.environment();
        builder.environment.forEach((variable, value) -> {
            if (value == null) {
                environment.remove(variable);
            } else {
                environment.put(variable, value);
            }
        });
        try {
            process = processBuilder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + builder.command, e);
        }
        input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        RUNNING.add(this);
        Thread reader = new Thread(this::readOutput, "output-of-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Describes a program to start: its name (for its output and messages) and its command line. */
    public static Builder builder(String name, List<String> command) {
        return new Builder(name, command);
    }

    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                line = COLOURS.matcher(line).replaceAll("");
                lines.add(line);
                System.out.println("[" + name + "] " + line);
                try {
                    listener.accept(line);
                } catch (RuntimeException e) { // the output must still be read, or the program blocks on a full pipe
                    lines.add("(listener of " + name + " failed on that line: " + e + ")");
                }
            }
        } catch (IOException e) {
            lines.add("(output of " + name + " ended: " + e + ")");
        } finally {
            outputEnded = true;
        }
    }

    /** The name its output is echoed with. */
    public String name() {
        return name;
    }

    /** Its process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether it is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The processes it started that are still running. */
    public List<ProcessHandle> children() {
        return process.descendants().filter(ProcessHandle::isAlive).toList();
    }

    /** Whether its output has ended: every line it said has been read. */
    public boolean outputEnded() {
        return outputEnded;
    }

    /** Whether a line said so far contains the text. */
    public boolean said(String text) {
        return lines.stream().anyMatch(line -> line.contains(text));
    }

    /** How many lines said so far contain the text. */
    public long count(String text) {
        return lines.stream().filter(line -> line.contains(text)).count();
    }

    /** The first line said so far that matches the pattern. */
    public Optional<Matcher> line(Pattern pattern) {
        return lines.stream().map(pattern::matcher).filter(Matcher::find).findFirst();
    }

    /** Waits for a line matching the pattern; fails when the output ends first or the limit passes. */
    public Matcher awaitLine(Pattern pattern, Duration limit) {
        Await.until(limit, name + " to say /" + pattern + "/",
                () -> line(pattern).isPresent() || outputEnded, this::tail);
        return line(pattern).orElseGet(() -> fail(name + " ended before saying /" + pattern + "/" + tail()));
    }

    /** Waits for a line containing the text. */
    public void awaitSaid(String text, Duration limit) {
        awaitLine(Pattern.compile(Pattern.quote(text)), limit);
    }

    /** Writes one line to its stdin. */
    public synchronized void send(String line) {
        try {
            input.write(line + "\n");
            input.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(name + " does not read its input any more" + tail(), e);
        }
    }

    /**
     * Asks it to stop, as a service manager would: SIGTERM. Through the process handle, since
     * {@code Process.destroy()} would also close the pipe its last words come through.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    /**
     * Waits for it to end and for its last lines to come through, and returns its exit status; fails after
     * the limit.
     */
    public int awaitExit(Duration limit) {
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                fail(name + " did not end within " + limit + tail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("Interrupted while waiting for " + name + " to end");
        }
        Await.until(LAST_OUTPUT, "the output of " + name + " to end", () -> outputEnded, this::tail);
        RUNNING.remove(this);
        return process.exitValue();
    }

    /** Kills it and its children at once (SIGKILL), as a crash would, and waits until it is gone. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.toHandle().destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(this);
    }

    /** Kills it and its children if any of them is still running. */
    @Override
    public void close() {
        if (process.isAlive() || process.descendants().findAny().isPresent()) {
            kill();
        }
        RUNNING.remove(this);
    }

    /** The last lines it said, for failure messages. */
    public String tail() {
        List<String> said = List.copyOf(lines);
        List<String> last = said.subList(Math.max(0, said.size() - 40), said.size());
        return System.lineSeparator() + "Last output of " + name + ":" + System.lineSeparator() + "  "
                + String.join(System.lineSeparator() + "  ", last);
    }

    /** What to start: the command line and, optionally, changes to the environment and a listener. */
    public static final class Builder {
        private final String name;
        private final List<String> command;
        private final Map<String, String> environment = new HashMap<>();
        private Consumer<String> listener = line -> { };

        private Builder(String name, List<String> command) {
            this.name = name;
            this.command = List.copyOf(command);
        }

        /** Sets an environment variable for the program; {@code null} removes it from what it inherits. */
        public Builder environment(String variable, String value) {
            environment.put(variable, value);
            return this;
        }

        /**
         * Hands each line the program says to the listener, on the thread that reads its output, after the
         * line is kept and before the next one is read.
         */
        public Builder onLine(Consumer<String> listener) {
            this.listener = listener;
            return this;
        }

        /** Starts the program. */
        public ChildProcess start() {
            return new ChildProcess(this);
        }
    }
}
