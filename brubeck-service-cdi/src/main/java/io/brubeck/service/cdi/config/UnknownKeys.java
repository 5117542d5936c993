package io.brubeck.service.cdi.config;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the keys set under brubeck-service's prefixes that no setting reads, misspelled most likely
 * ({@code brubeck.service.slow.max-queue} for {@code max-queued}), which would otherwise leave the default in
 * place without a word. Each is worth a warning, never a failure: the application runs as it would without it.
 *
 * <p>Checked are the keys under {@code brubeck.worker.}, and those under {@code brubeck.service.<name>.} of the
 * services the application has a client for: a configuration shared by several applications may configure
 * services that another one calls. A service name may contain dots, so a key belongs to the longest name it
 * starts with, and a key such as {@code brubeck.service.slow.v2.endpoint}, which ends with a client key, is
 * taken for a key of another service ({@code slow.v2}) rather than for one of {@code slow}. The known keys are
 * those {@link ClientSettings} and {@link WorkerSettings} read; a key of the other role is named as such
 * ({@code brubeck.worker.timeout}: timeout is a client key).
 *
 * <p>brubeck-service owns the {@code brubeck.} prefix, so any other key under it is checked too, as the
 * application starts: {@code brubeck.services.slow.timeout} is a misspelled prefix, and is taken for
 * {@code brubeck.service.slow.timeout}. Known there are the system properties {@code brubeck.jeromq.wakeup-fix} and {@code brubeck.frame-budget}
 * and the properties under {@code brubeck.it.}, which the project's own builds set.
 *
 * <p>Only dotted names are checked: an environment variable ({@code BRUBECK_SERVICE_SLOW_MAX_QUEUE}) names no
 * key until a key is looked up, so one set by mistake is not found.
 */
public final class UnknownKeys {
    private static final System.Logger LOG = System.getLogger(UnknownKeys.class.getName());
    /** The largest edit distance at which a known key is suggested for an unknown one. */
    private static final int CLOSE = 2;
    /** The shortest common start that makes a known key a suggestion, as {@code heartbeat} for {@code heartbeat-interval}. */
    private static final int SHORTEST_PREFIX = 4;
    /** The prefix every key of brubeck-service starts with. */
    static final String OWN_PREFIX = "brubeck.";
    /** The system property that turns JeroMQ's wake-up fix off (the engine's {@code JeroMqWakeupFix}). */
    static final String WAKEUP_FIX = "brubeck.jeromq.wakeup-fix";
    /** The system property that sets the engine's frame budget ({@code FrameBudget}). */
    static final String FRAME_BUDGET = "brubeck.frame-budget";
    /** The properties the project's own builds and tests set, which no setting reads. */
    static final String BUILD_PREFIX = "brubeck.it.";
    /** A service name, in the keys suggested for a client key found where no service is named. */
    private static final String ANY_SERVICE = "<service>";

    private UnknownKeys() {
    }

    /**
     * Logs one warning for each unknown key under {@code brubeck.worker.} and under the prefix of each of
     * the given services, as the application starts; nothing when every key is known.
     *
     * @param services every service the application has a client for
     */
    public static void warnAtStart(ConfigValues values, Collection<String> services) {
        Optional<Set<String>> names = names(values);
        if (names.isEmpty()) {
            return;
        }
        List<String> warnings = new ArrayList<>(outsidePrefixes(names.get()));
        warnings.addAll(ofWorker(names.get()));
        for (String service : new TreeSet<>(services)) {
            warnings.addAll(ofClient(service, services, names.get()));
        }
        for (String warning : warnings) {
            LOG.log(Level.WARNING, warning);
        }
    }

    /**
     * Logs one warning for each unknown key of one service, whose client starts after the application:
     * one that no injection point named.
     *
     * @param services every service the application has a client for, with this one
     */
    public static void warnForClient(ConfigValues values, String service, Collection<String> services) {
        Optional<Set<String>> names = names(values);
        if (names.isEmpty()) {
            return;
        }
        for (String warning : ofClient(service, services, names.get())) {
            LOG.log(Level.WARNING, warning);
        }
    }

    /** The names the configuration lists, sorted; empty when it cannot list them, which is no reason to fail. */
    private static Optional<Set<String>> names(ConfigValues values) {
        try {
            Set<String> names = new TreeSet<>();
            values.names().forEach(names::add);
            return Optional.of(names);
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "The configuration cannot list its keys, so keys set by mistake are not looked for", e);
            return Optional.empty();
        }
    }

    /** The warnings for the keys under {@code brubeck.worker.} that no worker setting reads. */
    static List<String> ofWorker(Iterable<String> names) {
        List<String> known = WorkerSettings.keys();
        List<String> warnings = new ArrayList<>();
        for (String name : names) {
            if (name.startsWith(WorkerSettings.PREFIX)) {
                String rest = name.substring(WorkerSettings.PREFIX.length());
                if (!known.contains(rest)) {
                    warnings.add(otherRole(name, rest, ClientSettings.keys(), "a client key", ClientSettings.PREFIX
                            + ANY_SERVICE + ".").orElseGet(() -> warning(name, WorkerSettings.PREFIX, rest, known,
                            "the worker's keys")));
                }
            }
        }
        return warnings;
    }

    /**
     * The warnings for the keys of one service that no client setting reads: those under its prefix that
     * belong to no longer service name, and do not end with a client key after a dot (another service's).
     *
     * @param services every service the application has a client for, with {@code service}
     */
    static List<String> ofClient(String service, Collection<String> services, Iterable<String> names) {
        List<String> warnings = new ArrayList<>();
        if (service == null || service.isBlank()) {
            return warnings;
        }
        String prefix = ClientSettings.PREFIX + service + ".";
        List<String> known = ClientSettings.keys();
        for (String name : names) {
            if (!name.startsWith(prefix) || ownerOf(name, services).filter(service::equals).isEmpty()) {
                continue;
            }
            String rest = name.substring(prefix.length());
            boolean anotherServicesKey = known.stream().anyMatch(key -> rest.endsWith("." + key));
            if (!known.contains(rest) && !anotherServicesKey) {
                warnings.add(otherRole(name, rest, WorkerSettings.keys(), "a worker key", WorkerSettings.PREFIX)
                        .orElseGet(() -> warning(name, prefix, rest, known, "the keys of a service's client")));
            }
        }
        return warnings;
    }

    /**
     * The warnings for the keys under {@code brubeck.} but under neither {@code brubeck.service.} nor
     * {@code brubeck.worker.}, save the known ones: each is taken for a key of a role when its first part is
     * close to the role's ({@code brubeck.services.}), or when the rest is shaped as one of the role's keys
     * ({@code brubeck.client.slow.timeout}).
     */
    static List<String> outsidePrefixes(Iterable<String> names) {
        List<String> warnings = new ArrayList<>();
        for (String name : names) {
            if (!name.startsWith(OWN_PREFIX) || name.startsWith(ClientSettings.PREFIX)
                    || name.startsWith(WorkerSettings.PREFIX) || name.startsWith(BUILD_PREFIX)) {
                continue;
            }
            if (name.equals(WAKEUP_FIX) || name.equals(FRAME_BUDGET)) {
                if (System.getProperty(name) == null) { // the engine reads them as system properties only
                    warnings.add(name + " is read only as a JVM system property (-D" + name + "=...); set anywhere "
                            + "else, as here, it is ignored");
                }
                continue;
            }
            String warning = name + " is not a setting of brubeck-service and is ignored";
            warnings.add(intended(name.substring(OWN_PREFIX.length()))
                    .map(key -> warning + "; did you mean " + key + "?")
                    .orElse(warning + "; brubeck-service's keys are under " + ClientSettings.PREFIX + ANY_SERVICE
                            + ". and " + WorkerSettings.PREFIX));
        }
        return warnings;
    }

    /** The key meant by one under {@code brubeck.} outside the known prefixes, given without that prefix. */
    private static Optional<String> intended(String key) {
        int dot = key.indexOf('.');
        if (dot > 0) {
            String role = key.substring(0, dot + 1);
            String rest = key.substring(dot + 1);
            String client = ClientSettings.PREFIX.substring(OWN_PREFIX.length());
            String worker = WorkerSettings.PREFIX.substring(OWN_PREFIX.length());
            Optional<String> closest = closest(role, List.of(client, worker));
            if (closest.isPresent()) {
                return Optional.of(OWN_PREFIX + closest.get() + rest);
            }
            if (WorkerSettings.keys().contains(rest)) {
                return Optional.of(WorkerSettings.PREFIX + rest);
            }
            if (ClientSettings.keys().stream().anyMatch(known -> rest.endsWith("." + known))) {
                return Optional.of(ClientSettings.PREFIX + rest);
            }
        }
        return Optional.empty();
    }

    /**
     * The warning for a key of the other role, set under this role's prefix ({@code brubeck.worker.timeout});
     * empty for any other key.
     *
     * @param rest        the key without this role's prefix
     * @param otherKeys   the other role's keys
     * @param what        what such a key is, for example {@code "a worker key"}
     * @param otherPrefix the other role's prefix
     */
    private static Optional<String> otherRole(String name, String rest, List<String> otherKeys, String what,
                                              String otherPrefix) {
        if (!otherKeys.contains(rest)) {
            return Optional.empty();
        }
        return Optional.of(name + " is not a setting of brubeck-service and is ignored; " + rest + " is " + what + ": "
                + otherPrefix + rest);
    }

    /** The service a key under {@code brubeck.service.} belongs to: the longest name it starts with, and a dot. */
    private static Optional<String> ownerOf(String name, Collection<String> services) {
        return services.stream()
                .filter(service -> service != null && name.startsWith(ClientSettings.PREFIX + service + "."))
                .max((one, other) -> Integer.compare(one.length(), other.length()));
    }

    private static String warning(String name, String prefix, String rest, List<String> known, String whose) {
        String warning = name + " is not a setting of brubeck-service and is ignored";
        Optional<String> closest = closest(rest, known);
        return closest.isPresent() ? warning + "; did you mean " + prefix + closest.get() + "?"
                : warning + "; " + whose + " are " + String.join(", ", known);
    }

    /**
     * The known key closest to an unknown one, ignoring case: one at most {@value #CLOSE} edits away, or one
     * that starts with it or that it starts with (at least {@value #SHORTEST_PREFIX} characters in common);
     * the fewest edits away of those, the first known on a tie.
     */
    static Optional<String> closest(String unknown, List<String> known) {
        String typed = unknown.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String key : known) {
            int distance = distance(typed, key);
            boolean prefix = Math.min(typed.length(), key.length()) >= SHORTEST_PREFIX
                    && (key.startsWith(typed) || typed.startsWith(key));
            if ((distance <= CLOSE || prefix) && distance < bestDistance) {
                best = key;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The edits (a character inserted, removed or replaced, two neighbours swapped) that make one text the other. */
    static int distance(String one, String other) {
        int[][] d = new int[one.length() + 1][other.length() + 1];
        for (int i = 0; i <= one.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= other.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= one.length(); i++) {
            for (int j = 1; j <= other.length(); j++) {
                int cost = one.charAt(i - 1) == other.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && one.charAt(i - 1) == other.charAt(j - 2) && one.charAt(i - 2) == other.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[one.length()][other.length()];
    }
}
