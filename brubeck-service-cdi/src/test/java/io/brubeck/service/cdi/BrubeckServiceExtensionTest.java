package io.brubeck.service.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.brubeck.service.api.ServiceRequest;
import io.brubeck.service.cdi.routes.RouteCatalog;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Stereotype;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the extension makes of the beans a container reports: alternatives that a deployment leaves
 * off, and beans that are missing.
 */
@Timeout(10)
class BrubeckServiceExtensionTest {

    @BeforeEach
    void noSettings() {
        FakeBootstrap.installConfig(Map.of());
    }

    @AfterEach
    void uninstallConfig() {
        FakeBootstrap.uninstallConfig();
    }

    @Alternative
    @ServiceRoute("^/staging$")
    public static class StagingRoute {
        public String get(ServiceRequest request) {
            return "staging";
        }
    }

    @Stereotype
    @Alternative
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface Mock {
    }

    @Mock
    @ServiceRoute("^/mock$")
    public static class MockRoute {
        public String get(ServiceRequest request) {
            return "mock";
        }
    }

    @ServiceRoute("^/plain$")
    public static class PlainRoute {
        public String get(ServiceRequest request) {
            return "plain";
        }
    }

    @ServiceRoute("^/no-bean$")
    public static class NotABean {
        public NotABean(String needsAnArgument) {
        }

        public String get(ServiceRequest request) {
            return "never";
        }
    }

    private static List<Class<?>> servedClasses(FakeBootstrap bootstrap) {
        RouteCatalog routes = bootstrap.extension().deployment().routes();
        return routes.requestRoutes().stream().<Class<?>>map(entry -> entry.route().beanClass()).toList();
    }

    @Test
    void aDisabledAlternativeRouteIsNotServedAndDoesNotFailTheDeployment() {
        FakeBootstrap bootstrap = new FakeBootstrap().discover(StagingRoute.class).discover(MockRoute.class)
                .discover(PlainRoute.class).bean(PlainRoute.class);

        assertEquals(List.of(), bootstrap.validate());
        assertNotNull(bootstrap.extension().deployment());
        assertEquals(List.of(PlainRoute.class), servedClasses(bootstrap));
        assertEquals(List.of(PlainRoute.class),
                bootstrap.extension().deployment().routes().routes().stream().map(route -> route.beanClass()).toList(),
                "a disabled alternative is not discovered as a route either");
    }

    @Test
    void anEnabledAlternativeRouteIsServed() {
        FakeBootstrap bootstrap = new FakeBootstrap().discover(StagingRoute.class).bean(StagingRoute.class)
                .discover(MockRoute.class).bean(MockRoute.class);

        assertEquals(List.of(), bootstrap.validate());
        assertEquals(Set.of(MockRoute.class, StagingRoute.class), Set.copyOf(servedClasses(bootstrap)));
    }

    @Test
    void aRouteThatIsNoBeanStillFailsTheDeployment() {
        FakeBootstrap bootstrap = new FakeBootstrap().discover(NotABean.class);

        assertEquals(List.of("@ServiceRoute " + NotABean.class.getName() + " is not a CDI bean; give it a no-argument "
                + "or @Inject constructor and make sure no extension vetoes it"), bootstrap.validate());
    }
}
