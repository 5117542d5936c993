package io.brubeck.service.cdi.config;

import io.brubeck.service.engine.SettingChecks;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads typed values under one key prefix and collects the problems, each naming its full key, so that
 * all of them can be reported together.
 *
 * <p>The reader checks that a value can be read (a whole number, a duration, an address); whether it is
 * in range is for the engine's own checks, which report to {@link #report(String, Object, String)} when
 * the settings are run through {@code ClientConfig.Builder.check} or {@code WorkerConfig.Builder.check}.
 * A value that cannot be read is returned as one that no range accepts, so that those checks name the
 * range it must be in. Each key gets at most one problem from the engine's checks, and none when the
 * reader already found one.
 */
final class SettingsReader implements SettingChecks.Problems {
    /** A ZeroMQ address: a transport this library supports and something after it. */
    private static final Pattern ADDRESS = Pattern.compile("^(tcp|ipc|inproc)://\\S+$");
    static final String DURATION_FORMS = "an ISO-8601 duration such as PT10S or a number of milliseconds such as 10000";
    /** A whole number above zero, which {@link Integer#parseInt} refuses only when it is too large for an int. */
    private static final Pattern TOO_LARGE_INT = Pattern.compile("^\\+?[0-9]+$");
    /** A whole number that cannot be read stands in as this, below every range. */
    private static final int UNREADABLE_INT = Integer.MIN_VALUE;
    /** A duration that cannot be read stands in as this, below every range. */
    private static final Duration UNREADABLE_DURATION = Duration.ofSeconds(-1);
    /** A duration too long for {@link Duration} stands in as the longest one, above every range. */
    private static final Duration TOO_LONG = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

    /** The start of a MicroProfile Config expression: a dollar sign and an opening brace, not escaped by a backslash. */
    private static final Pattern EXPRESSION = Pattern.compile("(?<!\\\\)\\$\\{");
    /** A whole MicroProfile Config expression, not escaped, up to its first closing brace. */
    private static final Pattern WHOLE_EXPRESSION = Pattern.compile("(?<!\\\\)\\$\\{[^}]*}?");

    private final ConfigValues values;
    private final String prefix;
    private final Map<String, String> keyNames;
    /** The problems of each key read, by name, in the order read. */
    private final Map<String, List<String>> problems = new LinkedHashMap<>();
    /** The keys whose value could not be read, with what it should have been and a hint to follow the range. */
    private final Map<String, Unreadable> unreadable = new HashMap<>();
    /** The keys whose values are secret, and so never repeated in a problem. */
    private final Set<String> secrets = new HashSet<>();

    private record Unreadable(String what, String hint) {
    }

    /**
     * @param keyNames the key name of each engine setting whose name is not just its builder method's in
     *                 kebab case ({@code maxQueued} is {@code max-queued})
     */
    SettingsReader(ConfigValues values, String prefix, Map<String, String> keyNames) {
        this.values = values;
        this.prefix = prefix;
        this.keyNames = Map.copyOf(keyNames);
    }

    String key(String name) {
        return prefix + name;
    }

    /**
     * The name of every key read so far, in the order read. Settings read every key they know whatever the
     * values, so a reader that has read them from no values at all lists their keys.
     */
    List<String> names() {
        return List.copyOf(problems.keySet());
    }

    /**
     * An optional text value. A value whose expression MicroProfile Config cannot expand is a problem, not a
     * value left unset, so that a missing variable does not silently leave the default in place.
     */
    Optional<String> optional(String name) {
        List<String> found = problems.computeIfAbsent(name, unused -> new ArrayList<>());
        Optional<String> text = text(name);
        if (text.isEmpty() && found.isEmpty()) {
            values.unexpandable(key(name)).ifPresent(raw -> found.add(key(name) + " holds "
                    + (secrets.contains(name) ? wholeExpression(raw) : expressions(raw))
                    + ", which MicroProfile Config cannot expand: set what it names, or give it a default, as in "
                    + "${NAME:default}"));
        }
        return text;
    }

    private Optional<String> text(String name) {
        return values.get(key(name)).map(String::trim).filter(value -> !value.isEmpty());
    }

    /** The expressions in a value, and nothing else of it, which may be a secret. */
    private static String expressions(String raw) {
        String found = WHOLE_EXPRESSION.matcher(raw).results().map(MatchResult::group).collect(Collectors.joining(", "));
        return found.isEmpty() ? "an expression" : found;
    }

    /**
     * A secret's value when it is one expression and nothing else, which names where the secret comes from; else
     * no part of it, since a {@code ${...}} in the middle of a secret may be part of the secret.
     */
    private static String wholeExpression(String raw) {
        String trimmed = raw.trim();
        return WHOLE_EXPRESSION.matcher(trimmed).matches() && trimmed.endsWith("}") ? trimmed : "an expression";
    }

    /**
     * A required secret that may come from an expression, as {@code ${BRUBECK_SECRET}}: a problem with it repeats
     * no part of it, only an expression that is its whole value.
     */
    String requiredSecret(String name, String hint) {
        secrets.add(name);
        return required(name, hint);
    }

    /**
     * An optional text value that is secret: a problem with it does not repeat it. A value holding an
     * expression is refused before it is read, since MicroProfile Config would replace the expression,
     * or fail with a message quoting the rest of the value.
     */
    Optional<String> secret(String name) {
        secrets.add(name);
        if (values.raw(key(name)).filter(raw -> EXPRESSION.matcher(raw).find()).isPresent()) {
            problems.computeIfAbsent(name, unused -> new ArrayList<>()).add(key(name) + " holds '${', which "
                    + "MicroProfile Config reads as the start of an expression: write it as '\\${' "
                    + "(as '\\\\${' in a .properties file, where a backslash escapes itself)");
            return Optional.empty();
        }
        return optional(name);
    }

    /**
     * A comma-separated list of secret values ({@link #secret}), blank parts skipped; empty when the key is
     * not set. A value that lists nothing but commas is a problem; {@code whenEmpty} says what to do instead.
     */
    List<String> secretList(String name, String whenEmpty) {
        Optional<String> text = secret(name);
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> result = Arrays.stream(text.get().split(",")).map(String::trim).filter(part -> !part.isEmpty())
                .toList();
        if (result.isEmpty()) {
            problems.get(name).add(key(name) + " lists nothing: " + whenEmpty);
        }
        return result;
    }

    /** A required text value; {@code hint} says what it is, for the problem when it is missing. */
    String required(String name, String hint) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            if (problems.get(name).isEmpty()) {
                problems.get(name).add(key(name) + " is missing: set it to " + hint);
            }
            return null;
        }
        return value.get();
    }

    /**
     * A ZeroMQ address to bind ({@code bind}) or to connect to; checks the form only, binding or connecting
     * says the rest. A tcp address must end with a port: one from 1 to 65535, or {@code *} (any free one)
     * to bind. A tcp address to connect to must name a host: {@code *} (every interface) is for binding.
     */
    String address(String name, String value, boolean bind) {
        if (value != null && !ADDRESS.matcher(value).matches()) {
            problems.get(name).add(key(name) + " is '" + value + "', which is not a ZeroMQ address: use tcp://host:port, "
                    + (bind ? "tcp://*:port, " : "") + "ipc://path or inproc://name");
            return null;
        }
        if (value != null && value.startsWith("tcp://") && !hasPort(value, bind)) {
            problems.get(name).add(key(name) + " is '" + value + "', which has no port to " + (bind
                    ? "bind: end it with a port from 1 to 65535, for example tcp://*:5555, or with * (or 0) for any free "
                    + "one, as in tcp://127.0.0.1:*"
                    : "connect to: end it with the port the client bound, from 1 to 65535, for example tcp://web1:5555"));
            return null;
        }
        if (value != null && !bind && value.startsWith("tcp://*:")) {
            problems.get(name).add(key(name) + " is '" + value + "', which names no host: * is the wildcard for "
                    + "binding, and connecting to it reaches this machine only, and not on every system; name the host "
                    + "of the client, for example tcp://web1:5555 or tcp://127.0.0.1:5555");
            return null;
        }
        return value;
    }

    /**
     * Whether a tcp address ends with a port, after its host: a number from 1 to 65535, or, to bind,
     * {@code *} or {@code 0} (any free port, as ZeroMQ takes both).
     */
    private static boolean hasPort(String address, boolean bind) {
        String rest = address.substring("tcp://".length());
        int colon = rest.lastIndexOf(':');
        if (colon < 0 || rest.endsWith("]")) { // no colon after the host (an IPv6 host has its own, in brackets)
            return false;
        }
        String port = rest.substring(colon + 1);
        if (port.equals("*")) {
            return bind;
        }
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        int number = Integer.parseInt(port);
        return number == 0 ? bind : number <= 65535;
    }

    /** A comma-separated list of addresses to connect to, at least one. */
    List<String> addresses(String name, String hint) {
        String text = required(name, hint);
        if (text == null) {
            return List.of();
        }
        List<String> result = new ArrayList<>();
        for (String part : Arrays.asList(text.split(","))) {
            String address = part.trim();
            if (address.isEmpty()) {
                continue;
            }
            if (address(name, address, false) != null) {
                result.add(address);
            }
        }
        if (result.isEmpty() && problems.get(name).isEmpty()) {
            problems.get(name).add(key(name) + " lists no address: set it to " + hint);
        }
        return result;
    }

    /**
     * A yes-or-no value, {@code true} or {@code false} in any case; {@code whenUnset} when the key is not set.
     * Any other text is a problem rather than false (as MicroProfile Config's own conversion would take it), so
     * that a typing mistake does not silently turn a setting off.
     */
    boolean bool(String name, boolean whenUnset) {
        Optional<String> text = optional(name);
        if (text.isEmpty()) {
            return whenUnset;
        }
        String value = text.get().toLowerCase(Locale.ROOT);
        if (value.equals("true") || value.equals("false")) {
            return value.equals("true");
        }
        problems.get(name).add(key(name) + " is '" + text.get() + "', which is not true or false");
        return whenUnset;
    }

    /**
     * A duration, in either of the two accepted forms; its range is for the engine's checks. Text that is
     * not a duration is returned as a negative one.
     */
    Optional<Duration> duration(String name) {
        Optional<String> text = optional(name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Duration value = parseDuration(text.get());
        if (value == null) {
            unreadable.put(name, new Unreadable("a duration", ": use " + DURATION_FORMS));
            return Optional.of(UNREADABLE_DURATION);
        }
        return Optional.of(value);
    }

    /**
     * A whole number; its range is for the engine's checks. A whole number too large for an {@code int} is
     * returned as {@link Integer#MAX_VALUE}, above every range (and refused by {@link #check()} where no
     * range is checked); any other text that is not a whole number that fits an {@code int} is returned as
     * {@link Integer#MIN_VALUE}, below every range.
     */
    Optional<Integer> integer(String name) {
        Optional<String> text = optional(name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(text.get()));
        } catch (NumberFormatException e) {
            if (TOO_LARGE_INT.matcher(text.get()).matches()) {
                unreadable.put(name, new Unreadable("a whole number of at most " + Integer.MAX_VALUE, ""));
                return Optional.of(Integer.MAX_VALUE);
            }
            unreadable.put(name, new Unreadable("a whole number", ""));
            return Optional.of(UNREADABLE_INT);
        }
    }

    /**
     * A problem the engine's checks found with a setting, named by its builder method; it is reported
     * under the setting's key, with the text the key was set to.
     */
    @Override
    public void report(String setting, Object value, String expected) {
        String name = keyName(setting);
        List<String> found = problems.computeIfAbsent(name, unused -> new ArrayList<>());
        if (!found.isEmpty()) {
            return;
        }
        Optional<String> text = text(name);
        if (text.isPresent() && secrets.contains(name)) {
            found.add(key(name) + " is set, but not to " + expected);
        } else if (text.isPresent()) {
            Unreadable hint = unreadable.get(name);
            found.add(key(name) + " is '" + text.get() + "', which is not " + expected + (hint == null ? "" : hint.hint()));
        } else {
            found.add(key(name) + " must be " + expected + ", was " + value);
        }
    }

    /**
     * A setting the engine refuses because another one is unset, both named by their builder methods. When that
     * other key is set but was refused itself (a secret holding {@code ${}, say), its own problem says what to fix.
     */
    @Override
    public void reportNeeds(String setting, String needed, String why) {
        String name = keyName(setting);
        String neededName = keyName(needed);
        // Written at all, it is not missing but refused, with a problem of its own; a secret is not expanded to find out.
        if (values.raw(key(neededName)).filter(raw -> !raw.isBlank()).isEmpty()) {
            problems.computeIfAbsent(name, unused -> new ArrayList<>())
                    .add(key(name) + " is set, but " + key(neededName) + " is not: " + why);
        }
    }

    private String keyName(String setting) {
        return keyNames.getOrDefault(setting, setting.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT));
    }

    /**
     * @throws InvalidSettingsException when any value was missing or invalid, naming every problem in the order
     *                                  the keys were read
     */
    void check() {
        List<String> all = new ArrayList<>();
        problems.forEach((name, found) -> {
            Unreadable value = unreadable.get(name);
            if (found.isEmpty() && value != null) {
                // not checked by the engine: say what it should have been at least
                found.add(key(name) + " is '" + text(name).orElse("") + "', which is not " + value.what() + value.hint());
            }
            all.addAll(found);
        });
        if (!all.isEmpty()) {
            throw new InvalidSettingsException(all);
        }
    }

    /**
     * A duration in either form; {@code null} when the text is neither. A duration too long for
     * {@link Duration} is read as the longest one, which every range refuses as too long.
     */
    static Duration parseDuration(String text) {
        String value = text.trim();
        if (value.chars().allMatch(Character::isDigit) && !value.isEmpty()) {
            try {
                return Duration.ofMillis(Long.parseLong(value));
            } catch (NumberFormatException e) {
                return TOO_LONG;
            }
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            boolean overflow = e.getCause() instanceof ArithmeticException || e.getCause() instanceof NumberFormatException;
            return overflow && !value.contains("-") ? TOO_LONG : null;
        }
    }
}
