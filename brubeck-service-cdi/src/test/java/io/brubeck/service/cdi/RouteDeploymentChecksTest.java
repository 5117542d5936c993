package io.brubeck.service.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.it.support.KeptLog;
import io.brubeck.service.api.ServiceRequest;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a deployment says about routes that cannot work as written: two patterns that are one, a route that
 * another keeps from ever running, and a route class the container cannot make.
 */
@Timeout(10)
class RouteDeploymentChecksTest {
    private KeptLog warnings;

    @BeforeEach
    void setUp() {
        FakeBootstrap.installConfig(Map.of());
        warnings = KeptLog.of(Level.WARNING, DeploymentValidation.class);
    }

    @AfterEach
    void tearDown() {
        warnings.close();
        FakeBootstrap.uninstallConfig();
    }

    @ServiceRoute("/orders")
    public static class Orders {
        public String post(ServiceRequest request) {
            return "orders";
        }
    }

    @ServiceRoute("^/orders")
    public static class AnchoredOrders {
        public String post(ServiceRequest request) {
            return "anchored";
        }
    }

    @ServiceRoute("^/api/(?<rest>.*)")
    public static class Api {
        public String get(ServiceRequest request) {
            return "api";
        }
    }

    @ServiceRoute("^/api/users$")
    public static class ApiUsers {
        public String get(ServiceRequest request) {
            return "users";
        }
    }

    @ServiceRoute("^/inner$")
    public class Inner {
        public String get(ServiceRequest request) {
            return "inner";
        }
    }

    @Test
    void twoPatternsThatDifferByALeadingCaretOnlyFailTheDeployment() {
        List<String> problems = new FakeBootstrap().discover(Orders.class).bean(Orders.class)
                .discover(AnchoredOrders.class).bean(AnchoredOrders.class).validate();

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains(Orders.class.getName()) && problems.get(0).contains(AnchoredOrders.class.getName())
                && problems.get(0).contains("a leading ^ changes nothing"), problems.get(0));
    }

    @Test
    void aRouteThatALongerPatternKeepsFromRunningIsWarnedAboutOnceAndDeploys() {
        FakeBootstrap bootstrap = new FakeBootstrap().discover(Api.class).bean(Api.class)
                .discover(ApiUsers.class).bean(ApiUsers.class);

        assertEquals(List.of(), bootstrap.validate());
        assertNotNull(bootstrap.extension().deployment());
        List<String> logged = warnings.messages().stream().filter(message -> message.contains("can never run")).toList();
        assertEquals(1, logged.size(), warnings.messages().toString());
        String warning = logged.get(0);
        assertTrue(warning.contains(ApiUsers.class.getName() + ".get(ServiceRequest)") && warning.contains("'^/api/users$'")
                && warning.contains(Api.class.getName() + ".get(ServiceRequest)") && warning.contains("'^/api/(?<rest>.*)'")
                && warning.contains("METHOD get"), warning);
    }

    @Test
    void anInnerRouteClassIsToldToBeStatic() {
        List<String> problems = new FakeBootstrap().discover(Inner.class).validate();

        assertEquals(List.of("@ServiceRoute " + Inner.class.getName() + " is an inner (non-static nested) class, which "
                + "cannot be a route bean: the container cannot make one without an instance of the class it is nested "
                + "in; make it static"), problems);
    }
}
