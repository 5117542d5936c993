package io.brubeck.it.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The workers connected to a running demo, as its {@code service/status} page lists them: by label, which
 * starts with the worker's process id and {@code @}.
 */
public final class ConnectedWorkers {
    private static final Pattern LABEL = Pattern.compile("\"label\":\"([^\"]+)\"");

    private final Web web;

    /** The workers of the demo that {@code web} browses. */
    public ConnectedWorkers(Web web) {
        this.web = web;
    }

    /** The labels of the workers connected now; none when the demo cannot be reached. */
    public List<String> labels() {
        String status = web.bodyOrEmpty("service/status");
        List<String> labels = new ArrayList<>();
        Matcher label = LABEL.matcher(status);
        while (label.find()) {
            labels.add(label.group(1));
        }
        return labels;
    }

    /**
     * Waits until exactly these workers (by process id) are connected; fails the test after the limit.
     *
     * @param details what to add to the failure message, for example the demo's last output
     */
    public void await(Duration limit, Supplier<String> details, long... pids) {
        List<String> expected = new ArrayList<>();
        for (long pid : pids) {
            expected.add(pid + "@");
        }
        Await.until(limit, "workers " + expected + " to be connected", () -> {
            List<String> labels = labels();
            return labels.size() == expected.size()
                    && expected.stream().allMatch(prefix -> labels.stream().anyMatch(label -> label.startsWith(prefix)));
        }, () -> "; connected: " + labels() + details.get());
    }
}
