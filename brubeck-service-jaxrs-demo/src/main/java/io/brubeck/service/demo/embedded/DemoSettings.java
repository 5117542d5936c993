package io.brubeck.service.demo.embedded;

import io.brubeck.service.cdi.config.ConfigValues;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The settings of the embedded demo, read from MicroProfile Config:
 *
 * <table>
 *   <caption>Demo keys</caption>
 *   <tr><th>key</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code demo.http.host}</td><td>the address the web server listens on</td><td>{@code 127.0.0.1}</td></tr>
 *   <tr><td>{@code demo.http.port}</td><td>its port; 0 picks a free one</td><td>6767</td></tr>
 *   <tr><td>{@code demo.worker.start}</td><td>whether to start one worker as a child process</td><td>{@code true}</td></tr>
 *   <tr><td>{@code demo.worker.jar}</td><td>the worker program to start</td><td>found next to the demo</td></tr>
 *   <tr><td>{@code demo.worker.jvm-options}</td><td>options for the child's JVM, separated by spaces,
 *       for example {@code -Ddemo.slow.delay=PT1S}</td><td>none</td></tr>
 *   <tr><td>{@code demo.worker.stop-timeout}</td><td>how long the child may take to stop before it is killed;
 *       also the most that web requests in flight on exit are waited for</td><td>{@code PT15S}</td></tr>
 * </table>
 *
 * @param host              the address to listen on
 * @param port              the port; 0 for a free one
 * @param startWorker       whether to start a child worker
 * @param workerJar         the configured worker jar, if any
 * @param workerJvmOptions  extra options for the child's JVM
 * @param workerStopTimeout how long the child may take to stop
 */
record DemoSettings(String host, int port, boolean startWorker, Optional<String> workerJar, List<String> workerJvmOptions,
                    Duration workerStopTimeout) {

    static final String HOST = "demo.http.host";
    static final String PORT = "demo.http.port";
    static final String START_WORKER = "demo.worker.start";
    static final String WORKER_JVM_OPTIONS = "demo.worker.jvm-options";
    static final String WORKER_STOP_TIMEOUT = "demo.worker.stop-timeout";

    /**
     * Reads the settings.
     *
     * @param config the configuration
     * @throws IllegalArgumentException naming every key whose value is invalid
     */
    static DemoSettings read(ConfigValues config) {
        List<String> problems = new ArrayList<>();
        Function<String, Optional<String>> values = key -> text(config, key, problems);
        String host = values.apply(HOST).orElse("127.0.0.1");
        int port = values.apply(PORT).map(text -> port(text, problems)).orElse(6767);
        boolean start = values.apply(START_WORKER).map(text -> bool(START_WORKER, text, problems)).orElse(true);
        Optional<String> jar = values.apply(WorkerJar.KEY);
        List<String> options = values.apply(WORKER_JVM_OPTIONS)
                .map(text -> Arrays.stream(text.strip().split("\\s+")).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
        Duration stopTimeout = values.apply(WORKER_STOP_TIMEOUT)
                .map(text -> duration(WORKER_STOP_TIMEOUT, text, problems)).orElse(Duration.ofSeconds(15));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new DemoSettings(host, port, start, jar, options, stopTimeout);
    }

    /**
     * How long the web requests in flight when the demo stops may still take to get their answers: until
     * the deadline of their service calls ({@code callTimeout}, after which the client answers them
     * itself), but no longer than the worker's stop timeout.
     */
    Duration requestStopGrace(Duration callTimeout) {
        return callTimeout.compareTo(workerStopTimeout) < 0 ? callTimeout : workerStopTimeout;
    }

    /**
     * A key's text; a key whose MicroProfile Config expression cannot be expanded is a problem, not a key
     * left unset, whose default would silently apply.
     */
    private static Optional<String> text(ConfigValues config, String key, List<String> problems) {
        config.unexpandable(key).ifPresent(raw -> problems.add(key + " is '" + raw + "', whose expression MicroProfile "
                + "Config cannot expand: set what it names, or give it a default, as in ${NAME:default}"));
        return config.get(key).filter(value -> !value.isBlank());
    }

    private static int port(String text, List<String> problems) {
        try {
            int port = Integer.parseInt(text.strip());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(PORT + " is '" + text + "', which is not a port from 0 to 65535 (0 picks a free one)");
        return 0;
    }

    private static boolean bool(String key, String text, List<String> problems) {
        switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                problems.add(key + " is '" + text + "', which is neither true nor false");
                return false;
        }
    }

    private static Duration duration(String key, String text, List<String> problems) {
        String value = text.strip();
        try {
            Duration duration = value.chars().allMatch(Character::isDigit) && !value.isEmpty()
                    ? Duration.ofMillis(Long.parseLong(value)) : Duration.parse(value);
            if (!duration.isNegative() && !duration.isZero()) {
                return duration;
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            // reported below
        }
        problems.add(key + " is '" + text + "', which is not a positive duration such as PT15S or 15000 (milliseconds)");
        return Duration.ofSeconds(1);
    }
}
