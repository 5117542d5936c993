package io.brubeck.it.python;

import static org.junit.jupiter.api.Assertions.fail;

import io.brubeck.it.support.Await;
import io.brubeck.it.support.ChildProcess;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.stream.JsonParsingException;
import java.io.File;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * One Python program the test started in a process of its own: the worker, the client, or the check of the
 * document's examples. Each line it prints on stdout is a JSON object with an {@code "event"} name; those are
 * kept in order for the test to wait on. Everything it says (stderr too) is echoed with its name, so that a
 * failing test's log shows what the peer did, and it is killed if it still runs when the test JVM ends (see
 * {@link ChildProcess}).
 */
final class PythonPeer implements AutoCloseable {
    private final List<JsonObject> events = new CopyOnWriteArrayList<>();
    private final ChildProcess process;

    private PythonPeer(String name, List<String> command, Map<String, String> environment) {
        ChildProcess.Builder builder = ChildProcess.builder(name, command)
                .environment("PYTHONPATH", Python.codecDirectory() + File.pathSeparator + Python.sources())
                .environment("PYTHONDONTWRITEBYTECODE", "1");
        environment.forEach(builder::environment);
        process = builder.onLine(this::keepEvent).start();
    }

    /**
     * Starts {@code python3 script arguments} from the peers' sources.
     *
     * @param passphrase the shared passphrase, passed in the environment; {@code null} for none
     */
    static PythonPeer start(String name, String script, String passphrase, List<String> arguments) {
        Map<String, String> environment = new HashMap<>();
        environment.put("BRUBECK_SECRET", passphrase);
        return startWithEnvironment(name, script, environment, arguments);
    }

    /** Starts {@code python3 script arguments} from the peers' sources, with these environment variables. */
    static PythonPeer startWithEnvironment(String name, String script, Map<String, String> environment,
                                           List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(Python.interpreter(), Python.sources().resolve(script).toString()));
        command.addAll(arguments);
        return new PythonPeer(name, command, environment);
    }

    private void keepEvent(String line) {
        if (line.startsWith("{")) {
            try {
                events.add(Json.createReader(new StringReader(line)).readObject());
            } catch (JsonParsingException notAnEvent) {
                // kept in the lines, for the failure messages
            }
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
        Await.until(limit, process.name() + " to report " + event,
                () -> !events(event, test).isEmpty() || process.outputEnded(), process::tail);
        return events(event, test).stream().findFirst()
                .orElseGet(() -> fail(process.name() + " ended before it reported " + event + tail()));
    }

    /** Waits for the first event of this name. */
    JsonObject awaitEvent(String event, Duration limit) {
        return awaitEvent(event, e -> true, limit);
    }

    /** Writes one line to the program's stdin. */
    void send(String line) {
        process.send(line);
    }

    /** Kills the program at once (SIGKILL), as a crash would, and waits until it is gone. */
    void kill() {
        process.kill();
    }

    /** Waits for the program to end and for its last lines to come through, and returns its exit status; fails after the limit. */
    int awaitExit(Duration limit) {
        return process.awaitExit(limit);
    }

    /** Kills the program if it is still running. */
    @Override
    public void close() {
        process.close();
    }

    /** The last lines the program said, for failure messages. */
    String tail() {
        return process.tail();
    }
}
