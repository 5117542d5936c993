package io.brubeck.it.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.api.ServiceTimeoutException;
import io.brubeck.service.cdi.Service;
import io.brubeck.service.cdi.ServiceRuntime;
import io.brubeck.service.cdi.config.InvalidSettingsException;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A client injected with @Service is configured from the deployment's MicroProfile Config and bound at start. */
@Timeout(30)
@ExtendWith(ArquillianExtension.class)
class ClientInjectionTest {

    @Deployment
    static JavaArchive application() {
        return ShrinkWrap.create(JavaArchive.class, "caller.jar")
                .addClasses(SlowCaller.class, Config.class)
                .addAsManifestResource(EmptyAsset.INSTANCE, "beans.xml")
                .addAsManifestResource(Config.properties(
                        "brubeck.service.slow.endpoint=tcp://127.0.0.1:*",
                        "brubeck.service.slow.passphrase=my_shared_secret",
                        "brubeck.service.slow.timeout=300",
                        "brubeck.service.fast.endpoint=tcp://127.0.0.1:*",
                        "brubeck.service.fast.passphrase=another_secret"), "microprofile-config.properties");
    }

    @Inject
    @Service("slow")
    ServiceClient slow;

    @Inject
    SlowCaller caller;

    @Inject
    ServiceRuntime runtime;

    @Inject
    @Any
    Instance<ServiceClient> clients;

    @Test
    void theInjectedClientIsBoundWhenTheApplicationStarts() {
        assertEquals("slow", slow.serviceName());
        String bound = runtime.boundEndpoint("slow").orElseThrow();
        assertTrue(bound.matches("tcp://127\\.0\\.0\\.1:[0-9]+"), bound);
    }

    @Test
    void everyInjectionPointOfAServiceSharesOneClient() {
        assertSame(slow, caller.client());
        assertTrue(runtime.services().contains("slow"));
        assertTrue(!runtime.services().contains("absent"), "a service is configured only when something needs it");
    }

    @Test
    void theConfiguredTimeoutIsTheDefaultDeadline() {
        long start = System.nanoTime();
        ServiceTimeoutException timeout = assertThrows(ServiceTimeoutException.class,
                () -> slow.request("/service/slow").send(), "no worker has joined");
        long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();

        assertTrue(elapsed >= 250 && elapsed < 5000, "the call gave up near its 300 ms deadline, after " + elapsed + " ms");
        assertTrue(timeout.getMessage().contains("slow"), timeout.getMessage());
    }

    @Test
    void aServiceLookedUpLaterIsConfiguredThen() {
        ServiceClient fast = clients.select(Service.Literal.of("fast")).get();

        assertEquals("fast", fast.serviceName());
        assertTrue(runtime.boundEndpoint("fast").isPresent());
    }

    @Test
    void aServiceLookedUpLaterWithoutKeysFailsNamingThem() {
        RuntimeException error = assertThrows(RuntimeException.class,
                () -> clients.select(Service.Literal.of("absent")).get().serviceName());

        InvalidSettingsException settings = cause(error, InvalidSettingsException.class);
        assertTrue(settings.getMessage().contains("brubeck.service.absent.endpoint is missing"), settings.getMessage());
        assertTrue(settings.getMessage().contains("brubeck.service.absent.passphrase is missing"), settings.getMessage());
    }

    private static <T extends Throwable> T cause(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("No " + type.getName() + " in the failure", error);
    }
}
