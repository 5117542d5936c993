package io.brubeck.it.clients;

import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.cdi.Service;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** An application bean that calls the slow service, as a JAX-RS resource would. */
@ApplicationScoped
public class SlowCaller {

    @Inject
    @Service("slow")
    ServiceClient slow;

    public ServiceClient client() {
        return slow;
    }
}
