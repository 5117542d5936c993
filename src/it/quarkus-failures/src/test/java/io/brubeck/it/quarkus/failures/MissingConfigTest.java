package io.brubeck.it.quarkus.failures;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.brubeck.it.support.Failures;
import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.cdi.Service;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A service injected without its keys fails the application's start, naming the keys and where the service
 * is injected: configuration is known only when the application runs, so it is checked as it starts. So does
 * one injected into an observer method's parameter only, though the observer has not been notified.
 */
@Timeout(120)
class MissingConfigTest {

    @ApplicationScoped
    public static class AbsentCaller {
        @Inject
        @Service("absent")
        ServiceClient absent;
    }

    /** An event the application would fire, to have service 'unheard' told of it. */
    public record Notice(String text) {
    }

    @ApplicationScoped
    public static class ObservingCaller {
        void onNotice(@Observes Notice notice, @Service("unheard") ServiceClient unheard) {
            unheard.request("/notice").argument("TEXT", notice.text()).sendNoWait();
        }
    }

    @RegisterExtension
    static final QuarkusUnitTest APPLICATION = new QuarkusUnitTest()
            .withApplicationRoot(root -> root.addClasses(AbsentCaller.class, Notice.class, ObservingCaller.class))
            .assertException(failure -> {
                String messages = Failures.messages(failure);
                String where = " (service 'absent' is injected into " + AbsentCaller.class.getName() + ".absent)";
                assertTrue(messages.contains("brubeck.service.absent.endpoint is missing"), messages);
                assertTrue(messages.contains(where), messages);
                assertTrue(messages.contains("brubeck.service.absent.passphrase"), messages);
                assertTrue(messages.contains("brubeck.service.unheard.endpoint is missing"), messages);
                assertTrue(messages.contains(" (service 'unheard' is injected into " + ObservingCaller.class.getName()
                        + ".onNotice, parameter 2)"), messages);
            });

    @Test
    void theStartFails() {
        fail("the application started although service 'absent' has no configuration");
    }
}
