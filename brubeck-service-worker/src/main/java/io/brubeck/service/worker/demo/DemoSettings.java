package io.brubeck.service.worker.demo;

import io.brubeck.service.engine.SettingChecks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.Config;

/**
 * The demo routes' settings and their ranges, checked when the worker program starts: a value the routes
 * could not work with would otherwise be taken, and every call would fail ({@code /service/slow} with a
 * 500 for a negative delay, {@code /service/primes} with a 400 for every bound when none is allowed).
 */
public final class DemoSettings {
    /** How long {@code /service/slow} takes: an ISO-8601 duration. */
    public static final String SLOW_DELAY_KEY = "demo.slow.delay";
    /** The largest bound {@code /service/primes} accepts. */
    public static final String MAX_BELOW_KEY = "demo.primes.max-below";
    /** The system property that leaves the demo routes out when it is {@code false} (see the program's beans.xml). */
    public static final String ROUTES_KEY = "worker.demo-routes";

    /** The longest {@value #SLOW_DELAY_KEY} accepted: the longest duration the library's own settings accept. */
    public static final Duration MAX_SLOW_DELAY = SettingChecks.MAX_DURATION;
    /** The smallest {@value #MAX_BELOW_KEY} accepted: below 2, no bound would be. */
    public static final int MIN_MAX_BELOW = 2;
    /** The largest {@value #MAX_BELOW_KEY} accepted: the largest bound the sieve counts below (it then needs 128 MiB). */
    public static final int MAX_MAX_BELOW = Integer.MAX_VALUE;

    static final String SLOW_DELAY_RANGE = "an ISO-8601 duration from zero to " + MAX_SLOW_DELAY.toDays()
            + " days, such as PT5S";
    static final String MAX_BELOW_RANGE = "a whole number between " + MIN_MAX_BELOW + " and " + MAX_MAX_BELOW;

    private DemoSettings() {
    }

    /** Whether the program serves the demo routes: unless the system property {@value #ROUTES_KEY} is {@code false}. */
    public static boolean routesServed() {
        return !"false".equals(System.getProperty(ROUTES_KEY));
    }

    /**
     * What is wrong with the demo routes' settings, one sentence per key naming it, its value and the range
     * accepted; empty when nothing is. An unset key is fine: the route's default applies.
     */
    public static List<String> problems(Config config) {
        List<String> problems = new ArrayList<>();
        problem(config, SLOW_DELAY_KEY, Duration.class, DemoSettings::slowDelayAccepted, SLOW_DELAY_RANGE)
                .ifPresent(problems::add);
        problem(config, MAX_BELOW_KEY, Integer.class, DemoSettings::maxBelowAccepted, MAX_BELOW_RANGE)
                .ifPresent(problems::add);
        return problems;
    }

    /** A set key whose value cannot be converted as the route's injection point converts it, or is out of range. */
    private static <T> Optional<String> problem(Config config, String key, Class<T> type, Predicate<T> accepted,
                                                String range) {
        Optional<String> text = config.getOptionalValue(key, String.class);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        T value;
        try {
            value = config.getOptionalValue(key, type).orElse(null);
        } catch (IllegalArgumentException e) {
            value = null;
        }
        return value == null || !accepted.test(value) ? Optional.of(refused(key, text.get(), range)) : Optional.empty();
    }

    /** Whether {@code /service/slow} can take this long: zero to {@link #MAX_SLOW_DELAY}. */
    static boolean slowDelayAccepted(Duration delay) {
        return !delay.isNegative() && delay.compareTo(MAX_SLOW_DELAY) <= 0;
    }

    /** Whether {@code /service/primes} can work with this largest bound: at least {@link #MIN_MAX_BELOW}. */
    static boolean maxBelowAccepted(int maxBelow) {
        return maxBelow >= MIN_MAX_BELOW; // and at most MAX_MAX_BELOW, as every int is
    }

    /** Worded as the library words a refused {@code brubeck.worker.*} key. */
    private static String refused(String key, String text, String range) {
        return key + " is '" + text + "', which is not " + range;
    }
}
