package io.brubeck.service.cdi;

import io.brubeck.service.cdi.routes.ContextActivator;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;

/**
 * Runs each handler call in an active request context, through the portable
 * {@link RequestContextController}: activated before the call and deactivated after it, unless the
 * thread already had one, which is then left as it was. Each call gets a controller of its own, with
 * its own creational context, so calls on many handler threads share nothing. The controller's bean is
 * found once, through an injected {@code Instance}, which also keeps a container that removes unused
 * beans (Quarkus) from removing it.
 */
final class RequestContextActivator implements ContextActivator {
    private final BeanManager beanManager;
    private final Bean<RequestContextController> controllerBean;

    RequestContextActivator(BeanManager beanManager, Instance<RequestContextController> controllers) {
        this.beanManager = beanManager;
        this.controllerBean = controllers.getHandle().getBean();
    }

    @Override
    public Object call(Work work) throws Exception {
        CreationalContext<RequestContextController> creation = beanManager.createCreationalContext(controllerBean);
        try {
            RequestContextController controller = (RequestContextController) beanManager.getReference(controllerBean,
                    RequestContextController.class, creation);
            boolean activated = controller.activate();
            try {
                return work.run();
            } finally {
                if (activated) {
                    controller.deactivate();
                }
            }
        } finally {
            creation.release();
        }
    }
}
