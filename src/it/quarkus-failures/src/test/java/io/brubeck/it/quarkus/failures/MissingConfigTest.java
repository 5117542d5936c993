package io.brubeck.it.quarkus.failures;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.brubeck.it.support.Failures;
import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.cdi.Service;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A service injected without its keys fails the application's start, naming the keys and where the service
 * is injected: configuration is known only when the application runs, so it is checked as it starts.
 */
@Timeout(120)
class MissingConfigTest {

    @ApplicationScoped
    public static class AbsentCaller {
        @Inject
        @Service("absent")
        ServiceClient absent;
    }

    @RegisterExtension
    static final QuarkusUnitTest APPLICATION = new QuarkusUnitTest()
            .withApplicationRoot(root -> root.addClasses(AbsentCaller.class))
            .assertException(failure -> {
                String messages = Failures.messages(failure);
                String where = " (service 'absent' is injected into " + AbsentCaller.class.getName() + ".absent)";
                assertTrue(messages.contains("brubeck.service.absent.endpoint is missing"), messages);
                assertTrue(messages.contains(where), messages);
                assertTrue(messages.contains("brubeck.service.absent.passphrase"), messages);
            });

    @Test
    void theStartFails() {
        fail("the application started although service 'absent' has no configuration");
    }
}
