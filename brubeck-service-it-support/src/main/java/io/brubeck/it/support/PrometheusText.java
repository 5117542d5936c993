package io.brubeck.it.support;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one of brubeck-service's metrics from what a metrics endpoint serves in the Prometheus text format. */
public final class PrometheusText {
    private PrometheusText() {
    }

    /**
     * The value of the metric {@code name} of service {@code service} that also has {@code tag} (for example
     * {@code status="2xx"}) among its tags, when that is not empty.
     *
     * @throws AssertionError with the whole text when there is no such line
     */
    public static double value(String text, String name, String service, String tag) {
        Matcher line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE).matcher(text);
        while (line.find()) {
            String tags = line.group(1);
            if (tags.contains("service=\"" + service + "\"") && (tag.isEmpty() || tags.contains(tag))) {
                return Double.parseDouble(line.group(2));
            }
        }
        throw new AssertionError("No " + name + " " + tag + " for service " + service + " in:\n" + text);
    }
}
