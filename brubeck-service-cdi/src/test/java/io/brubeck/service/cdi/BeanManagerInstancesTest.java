package io.brubeck.service.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.brubeck.service.cdi.routes.HandlerInstances;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Route instances from a real container (Weld): a dependent one is destroyed once per call, a shared one never. */
@Timeout(30)
class BeanManagerInstancesTest {
    static final AtomicInteger DESTROYED = new AtomicInteger();

    @Dependent
    public static class PerCall {
        @PreDestroy
        void destroyed() {
            DESTROYED.incrementAndGet();
        }
    }

    @ApplicationScoped
    public static class Shared {
    }

    private static SeContainer container(Class<?> route) {
        return SeContainerInitializer.newInstance().disableDiscovery().addBeanClasses(route).initialize();
    }

    private static HandlerInstances instances(SeContainer container, Class<?> type) {
        BeanManager beanManager = container.getBeanManager();
        Bean<?> bean = beanManager.resolve(beanManager.getBeans(type));
        return new BeanManagerInstances(beanManager, bean, type);
    }

    @Test
    void aDependentRouteGetsAFreshInstanceDestroyedOnceAfterEachCall() {
        DESTROYED.set(0);
        try (SeContainer container = container(PerCall.class)) {
            HandlerInstances instances = instances(container, PerCall.class);
            Object first;
            try (HandlerInstances.Lease lease = instances.acquire()) {
                first = lease.instance();
                assertEquals(0, DESTROYED.get());
            }
            assertEquals(1, DESTROYED.get());
            try (HandlerInstances.Lease lease = instances.acquire()) {
                assertNotSame(first, lease.instance(), "each call gets an instance of its own");
            }
            assertEquals(2, DESTROYED.get());
        }
    }

    @Test
    void aNormalScopedRouteIsOneReferenceForEveryCall() {
        try (SeContainer container = container(Shared.class)) {
            HandlerInstances instances = instances(container, Shared.class);
            Object first;
            try (HandlerInstances.Lease lease = instances.acquire()) {
                first = lease.instance();
            }
            try (HandlerInstances.Lease lease = instances.acquire()) {
                assertSame(first, lease.instance());
            }
        }
    }
}
