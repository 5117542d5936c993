package io.brubeck.service.cdi.routes;

import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ResponseHandler;
import io.brubeck.service.engine.RouteTable;
import jakarta.json.bind.Jsonb;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns handler methods into the engine's handlers and route tables. Everything a call needs (method
 * handle, parameter binders, reply mapping) is prepared here, once, so a message costs a bean lookup
 * and a method-handle call.
 */
public final class RouteHandlers {
    private final ParameterBinders binders;
    private final ReplyMapper replies;
    private final ContextActivator activator;

    /**
     * @param jsonb     the JSON-B instance that binds arguments, bodies and payloads, and writes results
     * @param activator what makes the contexts active around each call
     */
    public RouteHandlers(Jsonb jsonb, ContextActivator activator) {
        Objects.requireNonNull(jsonb, "jsonb");
        this.binders = new ParameterBinders(jsonb);
        this.replies = new ReplyMapper(jsonb);
        this.activator = Objects.requireNonNull(activator, "activator");
    }

    /** The engine handler for a request route's handler method. */
    public RequestHandler requestHandler(HandlerMethod handler, HandlerInstances instances) {
        if (handler.kind() != RouteKind.REQUEST) {
            throw new IllegalArgumentException(handler.describe() + " handles responses, not requests");
        }
        return new RequestRouteHandler(handler, binders, instances, activator, replies);
    }

    /** The engine handler for a response route's handler method. */
    public ResponseHandler responseHandler(HandlerMethod handler, HandlerInstances instances) {
        if (handler.kind() != RouteKind.RESPONSE) {
            throw new IllegalArgumentException(handler.describe() + " handles requests, not responses");
        }
        return new ResponseRouteHandler(handler, binders, instances, activator);
    }

    /** The worker's route table: every request route of the catalog, in its order. */
    public RouteTable<RequestHandler> requestTable(RouteCatalog catalog,
                                                   Function<Class<?>, HandlerInstances> instances) {
        Map<Class<?>, HandlerInstances> perClass = new HashMap<>();
        RouteTable.Builder<RequestHandler> table = RouteTable.builder();
        for (RouteCatalog.Entry entry : catalog.requestRoutes()) {
            HandlerInstances beans = perClass.computeIfAbsent(entry.route().beanClass(), instances);
            RequestHandler handler = requestHandler(entry.handler(), beans);
            table.route(entry.pattern(), entry.handler().method(), handler);
        }
        return table.build();
    }

    /** The clients' response route table: every response route of the catalog, in its order. */
    public RouteTable<ResponseHandler> responseTable(RouteCatalog catalog,
                                                     Function<Class<?>, HandlerInstances> instances) {
        Map<Class<?>, HandlerInstances> perClass = new HashMap<>();
        RouteTable.Builder<ResponseHandler> table = RouteTable.builder();
        for (RouteCatalog.Entry entry : catalog.responseRoutes()) {
            HandlerInstances beans = perClass.computeIfAbsent(entry.route().beanClass(), instances);
            ResponseHandler handler = responseHandler(entry.handler(), beans);
            table.route(entry.pattern(), entry.handler().method(), handler);
        }
        return table.build();
    }
}
