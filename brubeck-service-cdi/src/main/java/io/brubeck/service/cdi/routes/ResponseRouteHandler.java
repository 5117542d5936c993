package io.brubeck.service.cdi.routes;

import io.brubeck.service.api.ResponseHandler;
import io.brubeck.service.api.ServiceResponse;

/**
 * A response route's handler method as the client calls it when an answer comes back: binds the
 * arguments, calls the method on its bean inside the active contexts and returns its result to the
 * waiting caller, if any.
 */
final class ResponseRouteHandler implements ResponseHandler {
    private final HandlerMethod handler;
    private final ParameterBinder<ServiceResponse>[] binders;
    private final HandlerInstances instances;
    private final ContextActivator activator;

    @SuppressWarnings("unchecked")
    ResponseRouteHandler(HandlerMethod handler, ParameterBinders binders, HandlerInstances instances,
                         ContextActivator activator) {
        this.handler = handler;
        this.binders = handler.parameters().stream().map(binders::forResponse)
                .toArray(ParameterBinder[]::new);
        this.instances = instances;
        this.activator = activator;
    }

    @Override
    public Object handle(ServiceResponse response) throws Exception {
        Object[] arguments = new Object[binders.length];
        for (int i = 0; i < binders.length; i++) {
            try {
                arguments[i] = binders[i].bind(response);
            } catch (BindingException e) {
                throw new IllegalArgumentException(e.getMessage(), e.getCause());
            }
        }
        return activator.call(() -> {
            try (HandlerInstances.Lease lease = instances.acquire()) {
                Object result = HandlerCall.invoke(handler.invoker(), lease.instance(), arguments);
                return handler.result() == ResultKind.VOID ? null : result;
            }
        });
    }

    @Override
    public String toString() {
        return handler.describe();
    }
}
