package io.brubeck.service.cdi;

import io.brubeck.service.cdi.routes.ContextActivator;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.inject.Instance;

/**
 * Runs each handler call in an active request context, through the portable
 * {@link RequestContextController}: activated before the call and deactivated after it, unless the
 * thread already had one, which is then left as it was. Each call gets a controller of its own, destroyed
 * after it, so calls on many handler threads share nothing. The controllers come from an injected
 * {@code Instance}, which also keeps a container that removes unused beans (Quarkus) from removing the
 * controller's bean.
 */
final class RequestContextActivator implements ContextActivator {
    private final Instance<RequestContextController> controllers;

    RequestContextActivator(Instance<RequestContextController> controllers) {
        this.controllers = controllers;
    }

    @Override
    public Object call(Work work) throws Exception {
        Instance.Handle<RequestContextController> handle = controllers.getHandle();
        try {
            RequestContextController controller = handle.get();
            boolean activated = controller.activate();
            try {
                return work.run();
            } finally {
                if (activated) {
                    controller.deactivate();
                }
            }
        } finally {
            handle.destroy();
        }
    }
}
