package io.brubeck.it.roundtrip.client;

import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.cdi.Service;
import io.brubeck.service.cdi.ServiceRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Lets a test that runs outside the client container reach it: when the application starts, this
 * bean publishes its client and the endpoint it is bound to.
 */
@ApplicationScoped
public class ClientProbe {
    private static final AtomicReference<ClientProbe> CURRENT = new AtomicReference<>();

    @Inject
    @Service("slow")
    ServiceClient slow;

    @Inject
    ServiceRuntime runtime;

    private String endpoint;

    void started(@Observes @Initialized(ApplicationScoped.class) Object event) {
        endpoint = runtime.boundEndpoint("slow").orElseThrow();
        CURRENT.set(this);
    }

    /** The probe of the client application that started last. */
    public static ClientProbe current() {
        ClientProbe probe = CURRENT.get();
        if (probe == null) {
            throw new IllegalStateException("No client application has started");
        }
        return probe;
    }

    public ServiceClient client() {
        return slow;
    }

    public String endpoint() {
        return endpoint;
    }

    public int workers() {
        return runtime.status("slow").toCompletableFuture().join().workers().size();
    }
}
