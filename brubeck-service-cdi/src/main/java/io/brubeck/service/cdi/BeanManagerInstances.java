package io.brubeck.service.cdi;

import io.brubeck.service.cdi.routes.HandlerInstances;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;

/**
 * Route bean instances from the bean manager: a {@code @Dependent} route gets a fresh instance per
 * call, destroyed after it (so its {@code @PreDestroy} runs); any other scope gets one reference,
 * looked up on first use, whose context decides which instance each call reaches.
 *
 * <p>The bean is the one that serves the route class (see {@link RouteBeans}), which may be another
 * class's; references are asked for as the route class, a type every such bean has.
 */
final class BeanManagerInstances implements HandlerInstances {
    private final BeanManager beanManager;
    private final Bean<?> bean;
    private final Class<?> routeClass;
    private final boolean perCall;
    private volatile Lease shared;

    BeanManagerInstances(BeanManager beanManager, Bean<?> bean, Class<?> routeClass) {
        this.beanManager = beanManager;
        this.bean = bean;
        this.routeClass = routeClass;
        this.perCall = bean.getScope() == Dependent.class;
    }

    @Override
    public Lease acquire() {
        if (perCall) {
            return perCall(bean);
        }
        Lease lease = shared;
        if (lease == null) {
            Object reference = beanManager.getReference(bean, routeClass, beanManager.createCreationalContext(bean));
            lease = HandlerInstances.shared(reference).acquire();
            shared = lease;
        }
        return lease;
    }

    /**
     * A fresh instance, destroyed through its bean when the call is done: destroying the bean instance (not
     * just releasing its creational context) runs its {@code @PreDestroy} in every container, ArC included.
     */
    private <T> Lease perCall(Bean<T> typed) {
        CreationalContext<T> context = beanManager.createCreationalContext(typed);
        @SuppressWarnings("unchecked")
        T instance = (T) beanManager.getReference(typed, routeClass, context);
        return new Lease() {
            @Override
            public Object instance() {
                return instance;
            }

            @Override
            public void close() {
                typed.destroy(instance, context);
            }
        };
    }
}
