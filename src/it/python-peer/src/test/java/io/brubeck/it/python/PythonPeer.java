package io.brubeck.it.python;

import static org.junit.jupiter.api.Assertions.fail;

import io.brubeck.it.support.Await;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.stream.JsonParsingException;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One Python program the test started in a process of its own: the worker, the client, or the check of the
 * document's examples. Each line it prints on stdout is a JSON object with an {@code "event"} name; those are
 * kept in order for the test to wait on. Everything it says (stderr too) is echoed with its name, so that a
 * failing test's log shows what the peer did. Every peer still running when the test JVM ends is killed.
 */
final class PythonPeer implements AutoCloseable {
    private static final Set<PythonPeer> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(PythonPeer::kill), "kill-python-peers"));
    }

    private final String name;
    private final Process process;
    private final Writer input;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<JsonObject> events = new CopyOnWriteArrayList<>();
    private volatile boolean outputClosed;

    private PythonPeer(String name, Process process) {
        this.name = name;
        this.process = process;
        this.input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /**
     * Starts {@code python3 script arguments} from the peers' sources.
     *
     * @param passphrase the shared passphrase, passed in the environment; {@code null} for none
     */
    static PythonPeer start(String name, String script, String passphrase, List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(Python.interpreter(), Python.sources().resolve(script).toString()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.put("PYTHONPATH", Python.codecDirectory() + File.pathSeparator + Python.sources());
        environment.put("PYTHONDONTWRITEBYTECODE", "1");
        environment.remove("BRUBECK_SECRET");
        if (passphrase != null) {
            environment.put("BRUBECK_SECRET", passphrase);
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
        PythonPeer peer = new PythonPeer(name, process);
        RUNNING.add(peer);
        Thread reader = new Thread(peer::readOutput, "output-of-" + name);
        reader.setDaemon(true);
        reader.start();
        return peer;
    }

    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
                System.out.println("[" + name + "] " + line);
                if (line.startsWith("{")) {
                    try {
                        events.add(Json.createReader(new StringReader(line)).readObject());
                    } catch (JsonParsingException notAnEvent) {
                        // kept in lines, for the failure messages
                    }
                }
            }
        } catch (IOException e) {
            lines.add("(output of " + name + " ended: " + e + ")");
        } finally {
            outputClosed = true;
        }
    }

    /** The process id. */
    long pid() {
        return process.pid();
    }

    /** The events of this name so far, in order. */
    List<JsonObject> events(String event) {
        return events.stream().filter(e -> event.equals(e.getString("event", ""))).toList();
    }

    /** The events of this name so far that pass the test. */
    List<JsonObject> events(String event, Predicate<JsonObject> test) {
        return events(event).stream().filter(test).toList();
    }

    /** Where the first event of this name that passes the test stands among all events so far; -1 if none. */
    int position(String event, Predicate<JsonObject> test) {
        List<JsonObject> all = List.copyOf(events);
        for (int i = 0; i < all.size(); i++) {
            if (event.equals(all.get(i).getString("event", "")) && test.test(all.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Waits for the first event of this name that passes the test; fails when the peer ends first or the limit passes. */
    JsonObject awaitEvent(String event, Predicate<JsonObject> test, Duration limit) {
        Await.until(limit, name + " to report " + event, () -> !events(event, test).isEmpty() || outputClosed, this::tail);
        return events(event, test).stream().findFirst()
                .orElseGet(() -> fail(name + " ended before it reported " + event + tail()));
    }

    /** Waits for the first event of this name. */
    JsonObject awaitEvent(String event, Duration limit) {
        return awaitEvent(event, e -> true, limit);
    }

    /** Writes one line to the program's stdin. */
    void send(String line) {
        try {
            input.write(line + "\n");
            input.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(name + " does not read its input any more" + tail(), e);
        }
    }

    /** Kills the program at once (SIGKILL), as a crash would, and waits until it is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(this);
    }

    /** Waits for the program to end and returns its exit status; fails after the limit. */
    int awaitExit(Duration limit) {
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                fail(name + " did not end within " + limit + tail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("Interrupted while waiting for " + name + " to end");
        }
        // Its last lines may still be on their way from the pipe.
        Await.until(Duration.ofSeconds(10), "the output of " + name + " to end", () -> outputClosed);
        RUNNING.remove(this);
        return process.exitValue();
    }

    /** Kills the program if it is still running. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        RUNNING.remove(this);
    }

    /** The last lines the program said, for failure messages. */
    String tail() {
        List<String> said = List.copyOf(lines);
        List<String> last = said.subList(Math.max(0, said.size() - 40), said.size());
        return System.lineSeparator() + "Last output of " + name + ":" + System.lineSeparator() + "  "
                + String.join(System.lineSeparator() + "  ", last);
    }
}
