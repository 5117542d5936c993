package io.brubeck.it.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * Only the beans a deployment enables need their services: an alternative it does not enable is not part
 * of it, so the service that alternative injects needs no keys and gets no endpoint, while an enabled
 * alternative's service is configured and bound like any other.
 */
@Timeout(30)
@ExtendWith(ArquillianExtension.class)
class AlternativeCallerTest {

    @Deployment
    static JavaArchive application() {
        return ShrinkWrap.create(JavaArchive.class, "alternatives.jar")
                .addClasses(ReportsStub.class, FastCaller.class, Config.class)
                .addAsManifestResource(EmptyAsset.INSTANCE, "beans.xml")
                .addAsManifestResource(Config.properties(
                        "brubeck.service.fast.endpoint=tcp://127.0.0.1:*",
                        "brubeck.service.fast.passphrase=my_shared_secret"), "microprofile-config.properties");
    }

    @Inject
    ServiceRuntime runtime;

    @Test
    void theServiceOfAnAlternativeThatIsNotEnabledNeedsNoKeysAndIsNotBound() {
        assertEquals(Set.of("fast"), runtime.services());
    }
}
