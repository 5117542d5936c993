package io.brubeck.service.cdi;

import io.brubeck.service.cdi.routes.ContextActivator;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.inject.Instance;

/**
 * Runs each handler call in an active request context, through the portable
 * {@link RequestContextController}: activated before the call and deactivated after it, unless the
 * thread already had one, which is then left as it was.
 */
final class RequestContextActivator implements ContextActivator {
    private final Instance<RequestContextController> controllers;

    RequestContextActivator(Instance<RequestContextController> controllers) {
        this.controllers = controllers;
    }

    @Override
    public Object call(Work work) throws Exception {
        RequestContextController controller = controllers.get();
        try {
            boolean activated = controller.activate();
            try {
                return work.run();
            } finally {
                if (activated) {
                    controller.deactivate();
                }
            }
        } finally {
            controllers.destroy(controller);
        }
    }
}
