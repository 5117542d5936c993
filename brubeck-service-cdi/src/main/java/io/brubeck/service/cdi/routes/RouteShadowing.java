package io.brubeck.service.cdi.routes;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Finds the routes that can never run because a route tried before them for the same METHOD takes their
 * path: {@code ^/api/users$} after {@code ^/api/(?<rest>.*)}, for example. Only routes whose pattern is a
 * plain path are looked at ({@link #literalPath}), since whether one regular expression takes every path
 * another takes cannot be told in general; so this is a heuristic, worth a warning and never a failure.
 *
 * <p>A plain path ending with {@code $} takes that path only, so it never runs when an earlier pattern
 * takes that path. One without {@code $} also takes every path that starts with it, below it or not
 * ({@code ^/orders} takes {@code /orders/7} and {@code /orders-archive}), so it never runs only when the
 * earlier pattern also takes such paths (the path followed by {@code /x}, and by {@code x}, stand for them).
 */
final class RouteShadowing {
    /** The characters that make a pattern more than a plain path. */
    private static final String METACHARACTERS = "\\^$.|?*+()[]{}";
    /** What follows a plain path in paths that start with it, below it and not, standing for all of them. */
    private static final List<String> CONTINUATIONS = List.of("/x", "x");

    private RouteShadowing() {
    }

    /**
     * One warning for each handler that a handler before it in {@code ordered} (for the same METHOD) keeps
     * from ever running, naming both; the first such handler is named, as it is the one that takes the path.
     *
     * @param ordered the handlers of one side, in matching order
     */
    static List<String> warnings(List<RouteCatalog.Entry> ordered) {
        List<String> warnings = new ArrayList<>();
        for (int later = 0; later < ordered.size(); later++) {
            RouteCatalog.Entry shadowed = ordered.get(later);
            Optional<String> path = literalPath(shadowed.pattern());
            if (path.isEmpty()) {
                continue;
            }
            boolean endsThere = endsThere(shadowed.pattern());
            for (int earlier = 0; earlier < later; earlier++) {
                RouteCatalog.Entry first = ordered.get(earlier);
                if (first.handler().method() == shadowed.handler().method()
                        && takesAll(first.route().pattern(), path.get(), endsThere)) {
                    warnings.add(warning(first, shadowed, path.get()));
                    break;
                }
            }
        }
        return warnings;
    }

    /** Whether a pattern takes a plain path and, unless that path ends there, every path that starts with it. */
    private static boolean takesAll(Pattern pattern, String path, boolean endsThere) {
        return pattern.matcher(path).lookingAt() && (endsThere
                || CONTINUATIONS.stream().allMatch(continuation -> pattern.matcher(path + continuation).lookingAt()));
    }

    private static String warning(RouteCatalog.Entry first, RouteCatalog.Entry shadowed, String path) {
        return "@ServiceRoute " + shadowed.route().beanClass().getName() + " (pattern '" + shadowed.pattern() + "', "
                + shadowed.handler().describe() + ") can never run for METHOD " + shadowed.handler().method().wireName()
                + ": @ServiceRoute " + first.route().beanClass().getName() + " (pattern '" + first.pattern() + "', "
                + first.handler().describe() + ") is tried first, as the longer pattern, and takes " + path
                + (endsThere(shadowed.pattern()) ? "" : " and the paths that start with it")
                + "; make that pattern match less (" + (endingHelps(first, shadowed, path) ? "end it with $, for example"
                : "so that it does not take " + path) + ") or remove one of the routes";
    }

    /** Whether ending the earlier pattern with {@code $} would let the later route run: advice worth giving. */
    private static boolean endingHelps(RouteCatalog.Entry first, RouteCatalog.Entry shadowed, String path) {
        if (endsThere(first.pattern())) {
            return false;
        }
        Pattern ended;
        try {
            ended = Pattern.compile("(?:" + first.pattern() + ")$");
        } catch (PatternSyntaxException e) {
            return false; // a pattern that leaves a (?x) comment open at its end, say, cannot simply be ended
        }
        return !takesAll(ended, path, endsThere(shadowed.pattern()));
    }

    /** Whether a pattern ends with {@code $}, not an escaped one, so that it takes no path below its own. */
    private static boolean endsThere(String pattern) {
        return pattern.endsWith("$") && !pattern.endsWith("\\$");
    }

    /**
     * The path a pattern takes when it is a plain path once a leading {@code ^} and a trailing {@code $} are
     * removed: no regular expression metacharacters but for ones escaped with a backslash
     * ({@code ^/orders\.json$} is the path {@code /orders.json}). Empty for any other pattern.
     */
    static Optional<String> literalPath(String pattern) {
        String text = pattern.startsWith("^") ? pattern.substring(1) : pattern;
        if (endsThere(text)) {
            text = text.substring(0, text.length() - 1);
        }
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                // An escaped metacharacter is itself; any other escape (\d, \Q) is a regular expression.
                if (i + 1 == text.length() || METACHARACTERS.indexOf(text.charAt(i + 1)) < 0) {
                    return Optional.empty();
                }
                path.append(text.charAt(++i));
            } else if (METACHARACTERS.indexOf(c) >= 0) {
                return Optional.empty();
            } else {
                path.append(c);
            }
        }
        return Optional.of(path.toString());
    }
}
