package io.brubeck.service.cdi.routes;

import io.brubeck.service.api.Method;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * One handler: a public method of a route bean, the METHOD it handles, the side it runs on, where
 * each of its parameters comes from and how its result is used. Its method handle is built when the
 * class is scanned, so no reflective lookup happens per message.
 *
 * @param javaMethod the handler method
 * @param method     the METHOD it handles
 * @param kind       whether it answers requests (worker) or handles responses (caller)
 * @param parameters its parameters, in order
 * @param result     how its return value is used
 * @param invoker    the method as a handle of type {@code (Object target, Object[] arguments) Object}
 */
public record HandlerMethod(java.lang.reflect.Method javaMethod, Method method, RouteKind kind,
                            List<HandlerParameter> parameters, ResultKind result, MethodHandle invoker) {

    /** Copies the parameters, so that the handler stays immutable. */
    public HandlerMethod {
        parameters = List.copyOf(parameters);
    }

    /** The method as a user reads it, for example {@code com.example.SlowEcho.request(ServiceRequest)}. */
    public String describe() {
        return RouteScanner.describe(javaMethod, true);
    }
}
