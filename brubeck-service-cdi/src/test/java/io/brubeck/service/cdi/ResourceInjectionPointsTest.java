package io.brubeck.service.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.Failures;
import io.brubeck.service.api.ServiceClient;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server that makes an injection target of its own for each resource class, as Open Liberty does for JAX-RS
 * resources, has the container report the class's injection points once more, without a bean, whether or not
 * the class's bean is enabled. Such a report neither names an injection point twice nor makes an alternative
 * the deployment leaves off need its service's keys.
 */
@Timeout(30)
class ResourceInjectionPointsTest {

    /** Makes an injection target of each resource class while beans are discovered, as such a server does. */
    public static class ResourceServer implements Extension {
        private final List<Class<?>> resources;

        ResourceServer(Class<?>... resources) {
            this.resources = List.of(resources);
        }

        void injectionTargets(@Observes AfterBeanDiscovery event, BeanManager beanManager) {
            for (Class<?> resource : resources) {
                beanManager.getInjectionTargetFactory(beanManager.createAnnotatedType(resource)).createInjectionTarget(null);
            }
        }
    }

    @Alternative
    public static class StagingResource {
        @Inject
        @Service("staging")
        ServiceClient staging;
    }

    @Alternative
    @Priority(1)
    public static class LiveResource {
        @Inject
        @Service("live")
        ServiceClient live;
    }

    public static class PlainResource {
        @Inject
        @Service("plain")
        ServiceClient plain;
    }

    @BeforeEach
    void noSettings() {
        FakeBootstrap.installConfig(Map.of());
    }

    @AfterEach
    void uninstallConfig() {
        FakeBootstrap.uninstallConfig();
    }

    private static SeContainerInitializer application(Class<?>... resources) {
        return SeContainerInitializer.newInstance().disableDiscovery()
                .addExtensions(new BrubeckServiceExtension(), new ResourceServer(resources)).addBeanClasses(resources);
    }

    @Test
    void anAlternativeResourceTheDeploymentLeavesOffNeedsNoKeys() {
        try (SeContainer container = application(StagingResource.class).initialize()) {
            assertEquals(Set.of(), container.select(ServiceRuntime.class).get().services(), "no client is bound");
        }
    }

    @Test
    void anEnabledAlternativeResourceNeedsThemAndIsNamedOnce() {
        String messages = Failures.messages(assertThrows(RuntimeException.class,
                application(LiveResource.class)::initialize));

        assertTrue(messages.contains("brubeck.service.live.endpoint is missing"), messages);
        assertTrue(messages.contains("(service 'live' is injected into " + LiveResource.class.getName() + ".live)"),
                messages);
    }

    @Test
    void aResourceThatIsNoAlternativeNeedsThemAndIsNamedOnce() {
        String messages = Failures.messages(assertThrows(RuntimeException.class,
                application(PlainResource.class)::initialize));

        assertTrue(messages.contains("brubeck.service.plain.endpoint is missing"), messages);
        assertTrue(messages.contains("(service 'plain' is injected into " + PlainResource.class.getName() + ".plain)"),
                messages);
    }
}
