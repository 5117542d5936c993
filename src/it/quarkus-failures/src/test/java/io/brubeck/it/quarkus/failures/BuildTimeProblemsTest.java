package io.brubeck.it.quarkus.failures;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.brubeck.it.support.Failures;
import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.api.ServiceRequest;
import io.brubeck.service.cdi.Payload;
import io.brubeck.service.cdi.Service;
import io.brubeck.service.cdi.ServiceRoute;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.SessionScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.Serializable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Route and injection point problems fail the Quarkus build, with the messages a CDI Full container gives
 * when it validates the deployment: the build-compatible extension finds them before the application runs.
 */
@Timeout(120)
class BuildTimeProblemsTest {

    @ServiceRoute("^/bad[")
    public static class BadPattern {
        public String get(ServiceRequest request) {
            return "never";
        }
    }

    @SessionScoped
    @ServiceRoute("^/session$")
    public static class SessionRoute implements Serializable {
        private static final long serialVersionUID = 1L;

        public String get(ServiceRequest request) {
            return "never";
        }
    }

    @ServiceRoute("^/text$")
    public static class TextAnswers {
        public void response(@Payload String payload) {
        }
    }

    @ApplicationScoped
    public static class UnnamedCaller {
        @Inject
        @Service("")
        ServiceClient unnamed;
    }

    @ApplicationScoped
    public static class UnnamedObserver {
        void onStart(@Observes StartupEvent event, @Service("") ServiceClient unnamed) {
        }
    }

    @RegisterExtension
    static final QuarkusUnitTest APPLICATION = new QuarkusUnitTest()
            .withApplicationRoot(root -> root.addClasses(BadPattern.class, SessionRoute.class, TextAnswers.class,
                    UnnamedCaller.class, UnnamedObserver.class))
            .assertException(failure -> {
                String messages = Failures.messages(failure);
                assertTrue(messages.contains("@ServiceRoute " + BadPattern.class.getName() + " has the pattern '^/bad[', "
                        + "which is not a valid regular expression"), messages);
                assertTrue(messages.contains("@ServiceRoute " + SessionRoute.class.getName() + " is @SessionScoped, a scope "
                        + "that is not active where handlers run"), messages);
                assertTrue(messages.contains("@ServiceRoute " + TextAnswers.class.getName() + " annotates parameter 1 "
                        + "(String) of response(String) @Payload, but a payload is always a JSON object, which String "
                        + "cannot hold"), messages);
                assertTrue(messages.contains(UnnamedCaller.class.getName() + ".unnamed injects @Service(\"\"); name the "
                        + "service"), messages);
                assertTrue(messages.contains(UnnamedObserver.class.getName() + ".onStart, parameter 2 injects @Service(\"\"); "
                        + "name the service"), messages);
            });

    @Test
    void theBuildFails() {
        fail("the application started although its routes and injection points have problems");
    }
}
