package io.brubeck.service.cdi.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads typed values under one key prefix and collects a problem, naming the full key, for each value
 * that is missing or cannot be read, so that all of them can be reported together.
 */
final class SettingsReader {
    /** A ZeroMQ address: a transport this library supports and something after it. */
    private static final Pattern ADDRESS = Pattern.compile("^(tcp|ipc|inproc)://\\S+$");
    static final String DURATION_FORMS = "an ISO-8601 duration such as PT10S or a number of milliseconds such as 10000";

    private final ConfigValues values;
    private final String prefix;
    private final List<String> problems = new ArrayList<>();

    SettingsReader(ConfigValues values, String prefix) {
        this.values = values;
        this.prefix = prefix;
    }

    String key(String name) {
        return prefix + name;
    }

    Optional<String> optional(String name) {
        return values.get(key(name)).map(String::trim).filter(value -> !value.isEmpty());
    }

    /** A required text value; {@code hint} says what it is, for the problem when it is missing. */
    String required(String name, String hint) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            problems.add(key(name) + " is missing: set it to " + hint);
            return null;
        }
        return value.get();
    }

    /** A ZeroMQ address; checks the form only, binding or connecting says the rest. */
    String address(String name, String value) {
        if (value != null && !ADDRESS.matcher(value).matches()) {
            problems.add(key(name) + " is '" + value + "', which is not a ZeroMQ address: use tcp://host:port, "
                    + "tcp://*:port, ipc://path or inproc://name");
            return null;
        }
        return value;
    }

    /** A comma-separated list of addresses, at least one. */
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
            if (address(name, address) != null) {
                result.add(address);
            }
        }
        if (result.isEmpty() && problems.isEmpty()) {
            problems.add(key(name) + " lists no address: set it to " + hint);
        }
        return result;
    }

    /** A positive duration, in either of the two accepted forms. */
    Optional<Duration> duration(String name) {
        Optional<String> text = optional(name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Duration value = parseDuration(text.get());
        if (value == null || value.isNegative() || value.isZero()) {
            problems.add(key(name) + " is '" + text.get() + "', which is not a positive duration: use " + DURATION_FORMS);
            return Optional.empty();
        }
        return Optional.of(value);
    }

    /** An integer of at least {@code min}. */
    Optional<Integer> integer(String name, int min) {
        Optional<String> text = optional(name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            int value = Integer.parseInt(text.get());
            if (value >= min) {
                return Optional.of(value);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key(name) + " is '" + text.get() + "', which is not a whole number of at least " + min);
        return Optional.empty();
    }

    /** Adds a problem found outside the reader, for example by the engine's own checks. */
    void problem(String problem) {
        problems.add(problem);
    }

    /** @throws InvalidSettingsException when any value was missing or invalid */
    void check() {
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
    }

    static Duration parseDuration(String text) {
        String value = text.trim();
        if (value.chars().allMatch(Character::isDigit) && !value.isEmpty()) {
            try {
                return Duration.ofMillis(Long.parseLong(value));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
