package io.brubeck.service.engine;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The capturing groups of a route's pattern as a path matched it, read by name or by number (from 1), for
 * {@code pathGroup} of the received request and response. Built only when a handler first asks for a group,
 * so that a message whose handler never does costs no second match. Nothing changes it once built: safely
 * published, it may be read from any thread.
 */
final class RouteGroups {
    private final Pattern route;
    private final Matcher matched;

    private RouteGroups(Pattern route, Matcher matched) {
        this.route = route;
        this.matched = matched;
    }

    /**
     * Matches the path against the route's pattern as the route table did, from the start of the path.
     *
     * @throws IllegalStateException when the path does not match, which the route table has ruled out
     */
    static RouteGroups match(Pattern route, String path) {
        Matcher matcher = route.matcher(path);
        if (!matcher.lookingAt()) {
            throw new IllegalStateException("The path " + path + " does not match the route pattern '"
                    + route.pattern() + "'");
        }
        return new RouteGroups(route, matcher);
    }

    /**
     * A named group's text, empty when the group took no part in the match.
     *
     * @throws IllegalArgumentException when the pattern has no group of that name
     */
    Optional<String> group(String name) {
        Objects.requireNonNull(name, "name");
        try {
            return Optional.ofNullable(matched.group(name));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The route pattern '" + route.pattern() + "' has no group named " + name, e);
        }
    }

    /**
     * A numbered group's text, empty when the group took no part in the match.
     *
     * @throws IllegalArgumentException when the number is below 1 or above the pattern's number of groups
     */
    Optional<String> group(int number) {
        if (number < 1 || number > matched.groupCount()) {
            throw new IllegalArgumentException("The route pattern '" + route.pattern() + "' has no group " + number
                    + " (it has " + matched.groupCount() + ", numbered from 1)");
        }
        return Optional.ofNullable(matched.group(number));
    }
}
