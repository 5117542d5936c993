package io.brubeck.service.cdi;

import jakarta.enterprise.inject.UnproxyableResolutionException;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import java.util.Optional;

/**
 * Whether the container can make the client proxy of a normal-scoped route bean. A route bean is looked up
 * by the runtime only, never injected, so a container that checks proxies where they are injected (Weld)
 * would find a bean it cannot proxy (a final class or method, no non-private no-argument constructor) only
 * at the first call, and fail every call. Asking for the reference as the deployment is validated makes the
 * proxy and nothing else: the instance behind it is made when a call first reaches it.
 */
final class ClientProxies {

    private ClientProxies() {
    }

    /**
     * Why the container cannot proxy the bean, as it says; empty when it can, or when the bean's scope is not
     * a normal scope, which needs no proxy.
     *
     * @param type the route class, the type its references are asked for as
     */
    static Optional<String> failure(BeanManager beanManager, Bean<?> bean, Class<?> type) {
        if (!beanManager.isNormalScope(bean.getScope())) {
            return Optional.empty();
        }
        try {
            beanManager.getReference(bean, type, beanManager.createCreationalContext(bean));
            return Optional.empty();
        } catch (UnproxyableResolutionException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }
}
