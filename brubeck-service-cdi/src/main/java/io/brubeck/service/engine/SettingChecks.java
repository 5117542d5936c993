package io.brubeck.service.engine;

import io.brubeck.service.wire.MessageCodec;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The range checks of {@link ClientConfig} and {@link WorkerConfig}, defined once for the builders and
 * for whatever reads settings from elsewhere (configuration keys, for example).
 *
 * <p>A builder's checks throw an {@link IllegalArgumentException} that names the side, the setting and
 * the value at the first problem. {@link ClientConfig.Builder#check(Problems)} and
 * {@link WorkerConfig.Builder#check(Problems)} run the same checks but hand every problem to a
 * {@link Problems}, which names the settings as its caller knows them.
 */
public final class SettingChecks {
    /**
     * 365 days, the longest duration a setting or a call's timeout accepts: deadlines are counted in
     * nanoseconds, which a longer duration would overflow.
     */
    public static final Duration MAX_DURATION = Duration.ofDays(365);
    /** {@link #MAX_DURATION} in words, for messages and documentation. */
    static final String MAX_DURATION_TEXT = MAX_DURATION.toDays() + " days";
    /**
     * 1 ms, the shortest timeout of a call: a request tells the worker how long the caller still waits in whole
     * milliseconds, so a shorter one would reach it as 0 ms, already past.
     */
    public static final Duration MIN_TIMEOUT = Duration.ofMillis(1);
    /** What a timeout shorter than {@link #MIN_TIMEOUT} is refused for, for messages. */
    static final String MIN_TIMEOUT_TEXT = "a duration of at least 1 ms (a request tells the worker how long the "
            + "caller waits in whole milliseconds)";

    /** Receives each setting that fails a check, instead of an exception at the first. */
    @FunctionalInterface
    public interface Problems {
        /**
         * One setting is refused.
         *
         * @param setting  the name of the builder method that sets it, for example {@code "heartbeatInterval"}
         * @param value    the value refused; {@code null} when it is missing
         * @param expected what the setting must be, worded to follow "must be" or "is not", for example
         *                 {@code "a whole number between 1 and 100"} or {@code "a positive duration"}
         */
        void report(String setting, Object value, String expected);

        /**
         * One setting is refused because another one it is of use only beside is unset.
         *
         * @param setting the name of the builder method that sets it
         * @param needed  the name of the builder method of the setting it needs
         * @param why     why it needs it
         */
        default void reportNeeds(String setting, String needed, String why) {
            report(setting, "set without " + needed, "set only beside " + needed + " (" + why + ")");
        }
    }

    /** What a CURVE key of small order is, for messages. */
    private static final String SMALL_ORDER = "a key of small order (such as 40 zeros), which no key pair has and "
            + "any peer can claim without a secret key";

    private final String side;
    private final Problems problems;

    /**
     * Checks that throw at the first problem.
     *
     * @param side {@code "Client"} or {@code "Worker"}, the first word of every message
     */
    SettingChecks(String side) {
        this.side = side;
        this.problems = null;
    }

    /** Checks that report every problem to {@code problems} and let the value through. */
    SettingChecks(Problems problems) {
        this.side = null;
        this.problems = problems;
    }

    String required(String value, String name) {
        if (value == null || value.isBlank()) {
            fail(name, value, "set", "is required");
        }
        return value;
    }

    /** A list that is not empty; {@code what} says what it holds, for the message. */
    <T> List<T> notEmpty(List<T> value, String name, String what) {
        if (value == null || value.isEmpty()) {
            fail(name, value, "at least one " + what, "needs at least one " + what);
            return List.of();
        }
        return value;
    }

    /** A list naming nothing twice: a worker connected twice to one client would count there as two workers. */
    <T> List<T> distinct(List<T> value, String name, String what) {
        Set<T> seen = new HashSet<>();
        for (T element : value) {
            if (!seen.add(element)) {
                fail(name, value, "a list of " + what + "s, each named once", "lists " + element + " twice");
                break;
            }
        }
        return value;
    }

    /**
     * Addresses to connect to that name a host: {@code tcp://*:5555} is the wildcard for binding, and
     * connecting to it reaches this machine only, and not on every system.
     */
    List<String> connectable(List<String> value, String name) {
        for (String address : value) {
            if (address != null && address.startsWith("tcp://*:")) {
                fail(name, value, "addresses that name the host to connect to (* is the wildcard for binding)",
                        "names no host in " + address + ": * is the wildcard for binding, and connecting to it reaches "
                                + "this machine only, and not on every system; name the client's host, for example "
                                + "tcp://web1:5555 or tcp://127.0.0.1:5555");
                break;
            }
        }
        return value;
    }

    int atLeast(int value, int min, String name) {
        if (value < min) {
            fail(name, value, "a whole number of at least " + min);
        }
        return value;
    }

    int between(int value, int min, int max, String name) {
        if (value < min || value > max) {
            fail(name, value, "a whole number between " + min + " and " + max);
        }
        return value;
    }

    /** A duration above zero and at most {@link #MAX_DURATION}. */
    Duration positive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            fail(name, value, "a positive duration");
        } else {
            atMostMax(value, name);
        }
        return value;
    }

    /** A call's timeout: positive, at least {@link #MIN_TIMEOUT} and at most {@link #MAX_DURATION}. */
    Duration timeout(Duration value, String name) {
        if (value != null && !value.isNegative() && !value.isZero() && value.compareTo(MIN_TIMEOUT) < 0) {
            fail(name, value, MIN_TIMEOUT_TEXT);
            return value;
        }
        return positive(value, name);
    }

    /** A duration of zero or more and at most {@link #MAX_DURATION}. */
    Duration zeroOrMore(Duration value, String name) {
        if (value == null || value.isNegative()) {
            fail(name, value, "a duration of zero or more");
        } else {
            atMostMax(value, name);
        }
        return value;
    }

    private void atMostMax(Duration value, String name) {
        if (value.compareTo(MAX_DURATION) > 0) {
            fail(name, value, "a duration of at most " + MAX_DURATION_TEXT);
        }
    }

    /**
     * A CURVE key in Z85 text ({@link CurveKeys#isKey}), or {@code null} for none. A key that is not one
     * is described by its length only, since it may be a secret key, or one pasted into the wrong setting;
     * in checks that report, it comes back as {@code null}.
     */
    String curveKey(String value, String name) {
        if (value == null || CurveKeys.isKey(value)) {
            return value;
        }
        String expected = "a CURVE key: " + CurveKeys.KEY_LENGTH + " characters of Z85 text";
        String was = "a text of " + value.length() + " characters";
        fail(name, was, expected, "must be " + expected + ", was " + was);
        return null;
    }

    /**
     * A CURVE public key to trust a peer by, checked as {@link #curveKey} checks a key, or {@code null} for none.
     * A key of small order ({@link CurveKeys#hasSmallOrder}) is refused too: any peer could claim it.
     */
    String curvePublicKey(String value, String name) {
        String key = curveKey(value, name);
        if (key != null && CurveKeys.hasSmallOrder(key)) {
            String expected = "the public key of a CURVE key pair: it is " + SMALL_ORDER;
            fail(name, "a key of small order", expected, "must be " + expected);
            return null;
        }
        return key;
    }

    /**
     * CURVE public keys in Z85 text, each checked as {@link #curvePublicKey} checks one, without repeats;
     * {@code null} is none. The first that is not a key, or has small order, is described by its place in the
     * list and by its length or its small order, never by its text.
     */
    Set<String> curveKeys(Collection<String> values, String name) {
        if (values == null) {
            return Set.of();
        }
        Set<String> keys = new LinkedHashSet<>();
        int place = 0;
        for (String value : values) {
            place++;
            String which = "key " + place + " of " + values.size();
            if (!CurveKeys.isKey(value)) {
                String was = value == null ? "missing" : "a text of " + value.length() + " characters";
                String expected = "a list of CURVE keys, each " + CurveKeys.KEY_LENGTH + " characters of Z85 text: "
                        + which + " is " + was;
                fail(name, which + ": " + was, expected, "must be " + expected);
                return Set.of();
            }
            if (CurveKeys.hasSmallOrder(value)) {
                String expected = "a list of public keys of CURVE key pairs: " + which + " is " + SMALL_ORDER;
                fail(name, which + ": a key of small order", expected, "must be " + expected);
                return Set.of();
            }
            keys.add(value);
        }
        return Collections.unmodifiableSet(keys);
    }

    /**
     * A setting that means something only beside another one: set without it, it is refused, {@code why}
     * saying why.
     */
    void onlyWith(boolean set, boolean otherSet, String name, String other, String why) {
        if (set && !otherSet) {
            if (problems != null) {
                problems.reportNeeds(name, other, why);
            } else {
                throw new IllegalArgumentException(side + " setting '" + name + "' needs " + other + " too: " + why);
            }
        }
    }

    /** A heartbeat interval within what the protocol can carry. */
    Duration heartbeatInterval(Duration value) {
        if (value == null || value.compareTo(Duration.ofMillis(MessageCodec.MIN_HEARTBEAT_MILLIS)) < 0
                || value.compareTo(Duration.ofMillis(MessageCodec.MAX_HEARTBEAT_MILLIS)) > 0) {
            fail("heartbeatInterval", value, "a duration between %d ms and %d ms"
                    .formatted(MessageCodec.MIN_HEARTBEAT_MILLIS, MessageCodec.MAX_HEARTBEAT_MILLIS));
        } else if (value.getNano() % 1_000_000 != 0) {
            // READY and HEARTBEAT carry whole milliseconds: a peer that announced the truncated value
            // while beating at the configured one would beat more slowly than its peer expects, and
            // with a small liveness be dropped as silent again and again.
            fail("heartbeatInterval", value, "a whole number of milliseconds");
        }
        return value;
    }

    private void fail(String name, Object value, String expected) {
        fail(name, value, expected, "must be " + expected + ", was " + value);
    }

    /** Reports the problem, or throws it when these checks throw; {@code problem} is the thrown wording. */
    private void fail(String name, Object value, String expected, String problem) {
        if (problems != null) {
            problems.report(name, value, expected);
        } else {
            throw new IllegalArgumentException(side + " setting '" + name + "' " + problem);
        }
    }
}
