package io.brubeck.service.engine;

import io.brubeck.service.api.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Routes a path and METHOD to a handler, like the original library's handler tuples. A pattern is a
 * regular expression matched from the start of the path (Python's {@code re.match}): {@code ^/a}
 * also matches {@code /ab}; end it with {@code $} to match the whole path. Routes are tried in the
 * order they were added. Immutable and thread-safe once built.
 *
 * @param <H> the handler type: request handlers on a worker, response handlers on a client
 */
public final class RouteTable<H> {

    /** One route: a path pattern, a METHOD and its handler. */
    public record Route<H>(Pattern pattern, Method method, H handler) {
    }

    /** What a lookup found. */
    public enum Outcome {
        /** A route matched the path and METHOD. */
        FOUND,
        /** No route's pattern matches the path. */
        NO_PATH,
        /** Some pattern matches the path, but none of those routes handles the METHOD. */
        NO_METHOD
    }

    /**
     * The result of a lookup; {@code route}, the route that matched, is set only when the outcome is
     * {@link Outcome#FOUND}.
     */
    public record Match<H>(Outcome outcome, Route<H> route) {

        /** The matched route's handler, or {@code null} when no route matched. */
        public H handler() {
            return route == null ? null : route.handler();
        }
    }

    private static final RouteTable<?> EMPTY = new RouteTable<>(List.of());

    private final List<Route<H>> routes;

    private RouteTable(List<Route<H>> routes) {
        this.routes = List.copyOf(routes);
    }

    /** A table with no routes. */
    @SuppressWarnings("unchecked")
    public static <H> RouteTable<H> empty() {
        return (RouteTable<H>) EMPTY;
    }

    /** A builder of a table; routes are matched in the order they are added. */
    public static <H> Builder<H> builder() {
        return new Builder<>();
    }

    /** The routes, in matching order. */
    public List<Route<H>> routes() {
        return routes;
    }

    /** Whether the table has no route. */
    public boolean isEmpty() {
        return routes.isEmpty();
    }

    /** The handler for a path and METHOD, or why there is none. */
    public Match<H> match(String path, Method method) {
        boolean pathMatched = false;
        for (Route<H> route : routes) {
            if (route.pattern.matcher(path).lookingAt()) {
                if (route.method == method) {
                    return new Match<>(Outcome.FOUND, route);
                }
                pathMatched = true;
            }
        }
        return new Match<>(pathMatched ? Outcome.NO_METHOD : Outcome.NO_PATH, null);
    }

    /** Collects routes; rejects a bad pattern or a second handler for the same pattern and METHOD. */
    public static final class Builder<H> {
        private final List<Route<H>> routes = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds a route.
         *
         * @throws IllegalArgumentException when the pattern is not a valid regular expression, or
         *                                  this pattern already has a handler for this METHOD
         */
        public Builder<H> route(String pattern, Method method, H handler) {
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(handler, "handler");
            Pattern compiled;
            try {
                compiled = Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("Route pattern '" + pattern + "' is not a valid regular expression: "
                        + e.getDescription(), e);
            }
            for (Route<H> existing : routes) {
                if (existing.pattern.pattern().equals(pattern) && existing.method == method) {
                    throw new IllegalArgumentException("Route pattern '" + pattern + "' already has a handler for METHOD "
                            + method.wireName());
                }
            }
            routes.add(new Route<>(compiled, method, handler));
            return this;
        }

        /** The table of the routes added so far. */
        public RouteTable<H> build() {
            return new RouteTable<>(routes);
        }
    }
}
