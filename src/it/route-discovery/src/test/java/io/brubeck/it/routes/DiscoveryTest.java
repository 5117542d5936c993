package io.brubeck.it.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.Method;
import io.brubeck.service.cdi.ServiceRuntime;
import io.brubeck.service.cdi.routes.RouteCatalog;
import io.brubeck.service.cdi.routes.RouteKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The routes of a deployment are found while types are discovered, each with its handlers. */
@Timeout(30)
@ExtendWith(ArquillianExtension.class)
class DiscoveryTest {

    @Deployment
    static JavaArchive application() {
        return ShrinkWrap.create(JavaArchive.class, "routes.jar")
                .addClasses(SlowEcho.class, Orders.class, SlowResponses.class, SwitchedOn.class, SwitchedOff.class)
                .addAsManifestResource(EmptyAsset.INSTANCE, "beans.xml");
    }

    @Inject
    ServiceRuntime runtime;

    @Inject
    BeanManager beanManager;

    @Test
    void everyRouteIsFoundWithItsHandlers() {
        RouteCatalog routes = runtime.routes();

        assertEquals(List.of("^/orders/[0-9]+$ post Orders.save", "^/orders/[0-9]+$ put Orders.save",
                        "^/service/slow$ request SlowEcho.request", "^/service/slow$ get SlowEcho.get",
                        "^/switched-on$ request SwitchedOn.request"),
                routes.requestRoutes().stream().map(DiscoveryTest::describe).toList());
        assertEquals(List.of("^/service/slow response SlowResponses.response"),
                routes.responseRoutes().stream().map(DiscoveryTest::describe).toList());
        assertTrue(routes.responseRoutes().stream().allMatch(e -> e.handler().kind() == RouteKind.RESPONSE));
        assertEquals(Method.RESPONSE, routes.responseRoutes().get(0).handler().method());
    }

    @Test
    void anAlternativeRouteIsServedOnlyWhenTheDeploymentEnablesIt() {
        assertTrue(routes(SwitchedOn.class), "enabled with @Priority");
        assertFalse(routes(SwitchedOff.class), "not enabled, and the deployment still starts");
    }

    @Test
    void routesAreBeansDependentUnlessTheyDeclareAScope() {
        assertEquals(Dependent.class, beanManager.resolve(beanManager.getBeans(SlowEcho.class)).getScope());
        assertEquals(ApplicationScoped.class, beanManager.resolve(beanManager.getBeans(Orders.class)).getScope());
    }

    @Test
    void withoutConfigurationNothingIsStarted() {
        assertFalse(runtime.workerRunning(), "no brubeck.worker.connect, so no worker");
        assertTrue(runtime.services().isEmpty(), "no client was injected");
    }

    private boolean routes(Class<?> routeClass) {
        return runtime.routes().requestRoutes().stream().anyMatch(entry -> entry.route().beanClass() == routeClass);
    }

    private static String describe(RouteCatalog.Entry entry) {
        return entry.pattern() + " " + entry.handler().method().wireName() + " "
                + entry.route().beanClass().getSimpleName() + "." + entry.handler().javaMethod().getName();
    }
}
