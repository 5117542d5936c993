package io.brubeck.service.cdi.routes;

import io.brubeck.service.api.Method;
import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import jakarta.json.bind.Jsonb;
import java.time.Duration;

/** Calls a route instance the test owns, without a container or sockets, as the worker would. */
final class OwnedRoute {
    private final RouteCatalog catalog;
    private final Object route;
    private final Jsonb jsonb;

    OwnedRoute(Class<?> routeClass, Object route, Jsonb jsonb) {
        this.catalog = RouteCatalog.builder().add(new RouteScanner().scan(routeClass).route().orElseThrow()).build();
        this.route = route;
        this.jsonb = jsonb;
    }

    /** The route's answer to a request for the path and METHOD, with arguments and a body (or {@code null}). */
    ServiceReply call(String path, Method method, String argumentsJson, String body) throws Exception {
        HandlerInstances only = () -> new HandlerInstances.Lease() {
            @Override
            public Object instance() {
                return route;
            }

            @Override
            public void close() {
                // the test owns the route
            }
        };
        RequestHandler handler = new RouteHandlers(jsonb, ContextActivator.none()).requestTable(catalog, type -> only)
                .match(path, method).handler();
        return handler.handle(FakeMessages.request(argumentsJson, body, Duration.ofSeconds(5)));
    }
}
