package io.brubeck.service.cdi;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.ServiceClient;
import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client looked up without an injection point (Weld SE) cannot know its service: the look-up fails with a
 * message that says how to get one, not with a bare NullPointerException.
 */
@Timeout(30)
class ClientLookupTest {
    private SeContainer container;

    @BeforeEach
    void start() {
        FakeBootstrap.installConfig(Map.of());
        container = SeContainerInitializer.newInstance().disableDiscovery()
                .addExtensions(new BrubeckServiceExtension()).initialize();
    }

    @AfterEach
    void stop() {
        container.close();
        FakeBootstrap.uninstallConfig();
    }

    @Test
    void aLookUpThroughTheBeanManagerSaysHowToGetAClient() {
        BeanManager beanManager = container.getBeanManager();
        Bean<?> bean = beanManager.resolve(beanManager.getBeans(ServiceClient.class, Service.Literal.of("slow")));
        CreationalContext<?> context = beanManager.createCreationalContext(bean);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> beanManager.getReference(bean, ServiceClient.class, context));

        assertTrue(e.getMessage().contains("this look-up has no injection point to name it (as with "
                + "BeanManager.getReference)"), e.getMessage());
        assertTrue(e.getMessage().contains("select(Service.Literal.of(\"name\")), or call ServiceRuntime.client(\"name\")"),
                e.getMessage());
    }
}
