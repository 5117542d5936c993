package io.brubeck.service.cdi.routes;

import io.brubeck.service.api.RequestHandler;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceRequest;
import java.util.concurrent.CompletionStage;

/**
 * A request route's handler method as the worker calls it: binds the arguments (a part that cannot
 * be read is answered with 400 and the method is not called), then calls the method on its bean
 * inside the active contexts and turns its result into the reply.
 */
final class RequestRouteHandler implements RequestHandler {
    private final HandlerMethod handler;
    private final ParameterBinder<ServiceRequest>[] binders;
    private final HandlerInstances instances;
    private final ContextActivator activator;
    private final ReplyMapper replies;

    @SuppressWarnings("unchecked")
    RequestRouteHandler(HandlerMethod handler, ParameterBinders binders, HandlerInstances instances,
                        ContextActivator activator, ReplyMapper replies) {
        this.handler = handler;
        this.binders = handler.parameters().stream().map(binders::forRequest)
                .toArray(ParameterBinder[]::new);
        this.instances = instances;
        this.activator = activator;
        this.replies = replies;
    }

    @Override
    public ServiceReply handle(ServiceRequest request) throws Exception {
        Object[] arguments = new Object[binders.length];
        for (int i = 0; i < binders.length; i++) {
            try {
                arguments[i] = binders[i].bind(request);
            } catch (BindingException e) {
                return ServiceReply.error(ServiceReply.BAD_REQUEST, e.getMessage());
            }
        }
        return (ServiceReply) activator.call(() -> {
            try (HandlerInstances.Lease lease = instances.acquire()) {
                Object result = HandlerCall.invoke(handler.invoker(), lease.instance(), arguments);
                return switch (handler.result()) {
                    case VOID -> ServiceReply.ok();
                    // A method declared to return Object may still hand back a stage to wait for.
                    case VALUE -> result instanceof CompletionStage<?> stage
                            ? replies.await(stage, request) : replies.toReply(result);
                    case ASYNC -> replies.await((CompletionStage<?>) result, request);
                };
            }
        });
    }

    @Override
    public String toString() {
        return handler.describe();
    }
}
