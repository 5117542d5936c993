package io.brubeck.service.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.api.ServiceRequest;
import io.brubeck.service.cdi.routes.RouteCatalog;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Stereotype;
import jakarta.inject.Inject;
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
 * What the extension makes of the beans and injection points a container reports: alternatives that
 * a deployment leaves off, beans that are missing, and how injection points are named in problems.
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

    public static class CtorCaller {
        @Inject
        public CtorCaller(@Service("") ServiceClient unnamed, @Service("slow") ServiceClient slow) {
        }
    }

    public static class FieldCaller {
        @Inject
        @Service("slow")
        ServiceClient slow;
    }

    @Test
    void aConstructorParameterIsNamedOnceWithItsPosition() {
        FakeBootstrap bootstrap = new FakeBootstrap().injectIntoConstructor(CtorCaller.class, 0, "");

        assertEquals(List.of("constructor of " + CtorCaller.class.getName() + ", parameter 1 injects @Service(\"\"); "
                + "name the service, for example @Service(\"slow\")"), bootstrap.validate());
    }

    /** A JAX-RS resource that is an alternative: Open Liberty reports its injection points once more, without a bean. */
    @Alternative
    public static class StagingResource {
        @Inject
        @Service("staging")
        ServiceClient staging;
    }

    @Test
    void anInjectionPointReportedTwiceIsNamedOnce() {
        FakeBootstrap bootstrap = new FakeBootstrap().injectIntoField(FieldCaller.class, "slow", "slow")
                .injectIntoConstructor(CtorCaller.class, 1, "slow").injectIntoField(FieldCaller.class, "slow", "slow");

        List<String> problems = bootstrap.validate();
        assertTrue(!problems.isEmpty() && problems.stream().allMatch(problem -> problem.endsWith(
                "(service 'slow' is injected into " + FieldCaller.class.getName() + ".slow, constructor of "
                        + CtorCaller.class.getName() + ", parameter 2)")), problems.toString());
    }

    @Test
    void anUnnamedServiceReportedTwiceIsAProblemOnce() {
        FakeBootstrap bootstrap = new FakeBootstrap().injectIntoConstructor(CtorCaller.class, 0, "")
                .injectIntoConstructor(CtorCaller.class, 0, "");

        assertEquals(1, bootstrap.validate().size());
    }

    @Test
    void anAlternativeTheDeploymentLeavesOffNeedsNoKeysThoughItsInjectionPointIsReportedWithoutABean() {
        FakeBootstrap bootstrap = new FakeBootstrap().injectIntoField(StagingResource.class, "staging", "staging");

        assertEquals(List.of(), bootstrap.validate());
        assertEquals(Map.of(), bootstrap.extension().deployment().clients());
    }

    @Test
    void anEnabledAlternativeWhoseInjectionPointIsReportedWithoutABeanStillNeedsTheKeys() {
        FakeBootstrap bootstrap = new FakeBootstrap().bean(StagingResource.class)
                .injectIntoField(StagingResource.class, "staging", "staging");

        List<String> problems = bootstrap.validate();
        assertTrue(problems.stream().anyMatch(problem -> problem.startsWith("brubeck.service.staging.endpoint is missing")
                && problem.endsWith("(service 'staging' is injected into " + StagingResource.class.getName() + ".staging)")),
                problems.toString());
    }

    @Test
    void settingProblemsNameEveryInjectionPointOfTheService() {
        FakeBootstrap bootstrap = new FakeBootstrap().injectIntoConstructor(CtorCaller.class, 1, "slow")
                .injectIntoField(FieldCaller.class, "slow", "slow");

        List<String> problems = bootstrap.validate();
        assertTrue(!problems.isEmpty() && problems.stream().allMatch(problem -> problem.endsWith(
                "(service 'slow' is injected into constructor of " + CtorCaller.class.getName() + ", parameter 2, "
                        + FieldCaller.class.getName() + ".slow)")), problems.toString());
        assertTrue(problems.stream().anyMatch(problem -> problem.startsWith("brubeck.service.slow.endpoint is missing")),
                problems.toString());
    }
}
