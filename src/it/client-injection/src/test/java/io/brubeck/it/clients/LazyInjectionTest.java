package io.brubeck.it.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.brubeck.service.cdi.ServiceRuntime;
import jakarta.inject.Inject;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A service injected through {@code @Service("name") Provider<ServiceClient>} or {@code Instance<ServiceClient>}
 * is configured and bound when the application starts, like one injected directly, and what the
 * provider gives is the same shared client.
 */
@Timeout(30)
@ExtendWith(ArquillianExtension.class)
class LazyInjectionTest {

    @Deployment
    static JavaArchive application() {
        return ShrinkWrap.create(JavaArchive.class, "lazy.jar")
                .addClasses(LazyCaller.class, Config.class)
                .addAsManifestResource(EmptyAsset.INSTANCE, "beans.xml")
                .addAsManifestResource(Config.properties(
                        "brubeck.service.lazy.endpoint=tcp://127.0.0.1:*",
                        "brubeck.service.lazy.passphrase=my_shared_secret",
                        "brubeck.service.later.endpoint=tcp://127.0.0.1:*",
                        "brubeck.service.later.passphrase=another_secret"), "microprofile-config.properties");
    }

    @Inject
    ServiceRuntime runtime;

    @Inject
    LazyCaller caller;

    @Test
    void servicesInjectedThroughAProviderOrAnInstanceAreBoundAtStart() {
        assertEquals(Set.of("lazy", "later"), runtime.services(), "bound before any lookup");

        assertEquals("lazy", caller.lazy().serviceName());
        assertSame(caller.lazy(), caller.lazy(), "one client per service");
        assertEquals("later", caller.later().serviceName());
        assertEquals(Set.of("lazy", "later"), runtime.services());
    }
}
