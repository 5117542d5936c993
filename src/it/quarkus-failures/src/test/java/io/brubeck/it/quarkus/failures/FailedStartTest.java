package io.brubeck.it.quarkus.failures;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.brubeck.it.support.Await;
import io.brubeck.it.support.Failures;
import io.brubeck.it.support.LibraryThreads;
import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.cdi.Service;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An application whose start fails after the library bound its client. Unlike the portable extension, the
 * build-compatible one cannot guard observers of the start; Quarkus shuts the failed application down,
 * which stops the library all the same, so none of its threads for that service stays behind.
 */
@Timeout(120)
class FailedStartTest {

    @ApplicationScoped
    public static class FailingStart {
        @Inject
        @Service("doomed")
        ServiceClient doomed;

        void onStart(@Observes StartupEvent event) {
            throw new IllegalStateException("this application refuses to start; " + doomed.serviceName()
                    + " has the threads " + doomedThreads());
        }
    }

    private static List<String> doomedThreads() {
        return LibraryThreads.alive().stream().filter(name -> name.contains("doomed")).toList();
    }

    @RegisterExtension
    static final QuarkusUnitTest APPLICATION = new QuarkusUnitTest()
            .withApplicationRoot(root -> root.addClasses(FailingStart.class))
            .overrideConfigKey("brubeck.service.doomed.endpoint", "tcp://127.0.0.1:*")
            .overrideConfigKey("brubeck.service.doomed.passphrase", "never used")
            .assertException(failure -> {
                String messages = Failures.messages(failure);
                assertTrue(messages.contains("this application refuses to start; doomed has the threads [")
                        && messages.contains("brubeck-client-doomed"), messages);
                Await.until(Duration.ofSeconds(15), "the threads of service 'doomed' to end",
                        () -> doomedThreads().isEmpty(), () -> ": " + doomedThreads());
            });

    @Test
    void theStartFails() {
        fail("the application started although an observer of its start throws");
    }
}
