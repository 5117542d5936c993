package io.brubeck.service.cdi.routes;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A valid route bean: its class, its path pattern and its handlers, at most one per side (request or
 * response) and METHOD.
 *
 * @param beanClass the route bean's class
 * @param pattern   the compiled path pattern
 * @param handlers  its handlers, at least one; request handlers first, then response handlers, each by METHOD
 */
public record RouteDescriptor(Class<?> beanClass, Pattern pattern, List<HandlerMethod> handlers) {

    /** Copies the handlers, so that the descriptor stays immutable. */
    public RouteDescriptor {
        handlers = List.copyOf(handlers);
    }
}
