package io.brubeck.service.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.Failures;
import io.brubeck.service.api.ServiceClient;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@code @Service} parameter of an alternative producer method counts only when the deployment enables
 * that alternative, although its class is an enabled bean either way: a producer the container leaves off
 * neither needs its service's keys nor binds an endpoint.
 */
@Timeout(30)
class AlternativeProducerTest {

    @BeforeEach
    void noSettings() {
        FakeBootstrap.installConfig(Map.of());
    }

    @AfterEach
    void uninstallConfig() {
        FakeBootstrap.uninstallConfig();
    }

    public static final class StagingReport {
    }

    public static final class LiveReport {
    }

    /** An enabled bean whose producer is an alternative nothing selects. */
    public static class StagingReports {
        @Produces
        @Alternative
        StagingReport staging(@Service("staging") ServiceClient staging) {
            return new StagingReport();
        }
    }

    /**
     * An enabled bean whose producer is an alternative selected with a priority: on the class, which
     * selects the alternatives it declares (Weld 5 ignores a priority on the method).
     */
    @Priority(1)
    public static class LiveReports {
        @Produces
        @Alternative
        LiveReport live(@Service("live") ServiceClient live) {
            return new LiveReport();
        }
    }

    private static SeContainerInitializer application(Class<?>... producers) {
        return SeContainerInitializer.newInstance().disableDiscovery()
                .addExtensions(new BrubeckServiceExtension()).addBeanClasses(producers);
    }

    @Test
    void aDisabledAlternativeProducerNeedsNoKeysOfItsService() {
        try (SeContainer container = application(StagingReports.class).initialize()) {
            assertEquals(Set.of(), container.select(ServiceRuntime.class).get().services(), "no client is bound");
        }
    }

    @Test
    void anEnabledAlternativeProducerStillNeedsThem() {
        RuntimeException error = assertThrows(RuntimeException.class,
                application(StagingReports.class, LiveReports.class)::initialize);

        String messages = Failures.messages(error);
        assertTrue(messages.contains("brubeck.service.live.endpoint is missing"), messages);
        assertTrue(messages.contains("(service 'live' is injected into " + LiveReports.class.getName()
                + ".live, parameter 1)"), messages);
        assertFalse(messages.contains("staging"), messages);
    }
}
