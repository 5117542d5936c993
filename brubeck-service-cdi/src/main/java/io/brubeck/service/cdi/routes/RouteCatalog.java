package io.brubeck.service.cdi.routes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Every route of an application, checked as a whole: no two handlers of one side may share a pattern
 * and a METHOD (a leading {@code ^} aside, as patterns are matched from the start of the path anyway), and
 * a route that a route tried before it keeps from ever running is worth a warning ({@code RouteShadowing}).
 * Routes are ordered so that when several patterns match a path the longest pattern is tried first (then by
 * pattern text, then by class name), which makes matching independent of the order in which a container
 * happens to discover classes. Immutable once built.
 */
public final class RouteCatalog {

    /**
     * One handler of one route: what the engine's route table gets.
     *
     * @param route   the route bean
     * @param handler the handler for one METHOD
     */
    public record Entry(RouteDescriptor route, HandlerMethod handler) {

        /** The path pattern, as written. */
        public String pattern() {
            return route.pattern().pattern();
        }
    }

    private static final Comparator<Entry> ORDER = Comparator
            .comparingInt((Entry e) -> -e.pattern().length())
            .thenComparing(Entry::pattern)
            .thenComparing(e -> e.route().beanClass().getName())
            .thenComparing(e -> e.handler().method());

    private final List<RouteDescriptor> routes;
    private final List<Entry> requestRoutes;
    private final List<Entry> responseRoutes;
    private final List<String> warnings;

    private RouteCatalog(List<RouteDescriptor> routes, List<Entry> requestRoutes, List<Entry> responseRoutes) {
        this.routes = List.copyOf(routes);
        this.requestRoutes = List.copyOf(requestRoutes);
        this.responseRoutes = List.copyOf(responseRoutes);
        List<String> shadowed = new ArrayList<>(RouteShadowing.warnings(this.requestRoutes));
        shadowed.addAll(RouteShadowing.warnings(this.responseRoutes));
        this.warnings = List.copyOf(shadowed);
    }

    /** An empty catalog. */
    public static RouteCatalog empty() {
        return new RouteCatalog(List.of(), List.of(), List.of());
    }

    /** A builder that gathers routes and the clashes between them. */
    public static Builder builder() {
        return new Builder();
    }

    /** The route beans, in the order they were added. */
    public List<RouteDescriptor> routes() {
        return routes;
    }

    /** The handlers that run on the worker, in matching order. */
    public List<Entry> requestRoutes() {
        return requestRoutes;
    }

    /** The handlers that run on the calling side, in matching order. */
    public List<Entry> responseRoutes() {
        return responseRoutes;
    }

    /**
     * One warning for each handler that can never run because a handler tried before it for the same METHOD
     * takes its path ({@code RouteShadowing}), naming both; a heuristic, so these never fail a deployment.
     */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * The patterns of some handlers, each with the METHODs it handles, for a log line: for example
     * {@code ^/orders$ [post,request] ^/status$ [get]}, in the order given.
     */
    public static String describe(List<Entry> entries) {
        Map<String, TreeSet<String>> methods = new LinkedHashMap<>();
        for (Entry entry : entries) {
            methods.computeIfAbsent(entry.pattern(), pattern -> new TreeSet<>()).add(entry.handler().method().wireName());
        }
        return methods.entrySet().stream()
                .map(route -> route.getKey() + " [" + String.join(",", route.getValue()) + "]")
                .collect(Collectors.joining(" "));
    }

    /** Collects routes and the problems between them. */
    public static final class Builder {
        private final List<RouteDescriptor> routes = new ArrayList<>();
        private final List<Entry> request = new ArrayList<>();
        private final List<Entry> response = new ArrayList<>();
        private final Map<String, Entry> byKey = new HashMap<>();
        private final List<String> problems = new ArrayList<>();

        private Builder() {
        }

        /** Adds a route; a handler that clashes with one added before is recorded as a problem instead. */
        public Builder add(RouteDescriptor route) {
            routes.add(route);
            for (HandlerMethod handler : route.handlers()) {
                Entry entry = new Entry(route, handler);
                String key = handler.kind() + " " + handler.method() + " " + withoutLeadingCaret(entry.pattern());
                Entry previous = byKey.putIfAbsent(key, entry);
                if (previous != null) {
                    boolean sameText = previous.pattern().equals(entry.pattern());
                    problems.add("@ServiceRoute " + route.beanClass().getName() + " has the pattern '" + entry.pattern()
                            + "' with a handler for METHOD " + handler.method().wireName() + ", and so has "
                            + previous.route().beanClass().getName() + " (" + previous.handler().describe()
                            + (sameText ? "" : ", pattern '" + previous.pattern() + "', the same one: patterns are "
                            + "matched from the start of the path, so a leading ^ changes nothing")
                            + "); only one " + (handler.kind() == RouteKind.REQUEST ? "request" : "response")
                            + " handler may serve a pattern and METHOD, so remove one or change a pattern"
                            + (related(route.beanClass(), previous.route().beanClass())
                            ? " (a subclass that replaces the bean of a route serves its pattern without @ServiceRoute "
                            + "of its own)" : ""));
                    continue;
                }
                (handler.kind() == RouteKind.REQUEST ? request : response).add(entry);
            }
            return this;
        }

        /** A pattern as matched from the start of the path, where a leading {@code ^} adds nothing. */
        private static String withoutLeadingCaret(String pattern) {
            return pattern.startsWith("^") ? pattern.substring(1) : pattern;
        }

        /** Whether one class extends the other, as an alternative or a specialization that replaces a route's bean does. */
        private static boolean related(Class<?> one, Class<?> other) {
            return one.isAssignableFrom(other) || other.isAssignableFrom(one);
        }

        /** The clashes found so far, each naming both classes. */
        public List<String> problems() {
            return List.copyOf(problems);
        }

        /** The catalog, each side's routes in matching order. */
        public RouteCatalog build() {
            List<Entry> sortedRequest = new ArrayList<>(request);
            sortedRequest.sort(ORDER);
            List<Entry> sortedResponse = new ArrayList<>(response);
            sortedResponse.sort(ORDER);
            return new RouteCatalog(routes, sortedRequest, sortedResponse);
        }
    }
}
