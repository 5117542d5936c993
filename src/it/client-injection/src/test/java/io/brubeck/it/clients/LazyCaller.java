package io.brubeck.it.clients;

import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.cdi.Service;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Provider;

/** An application bean that looks its clients up when it first calls them, through a Provider and an Instance. */
@ApplicationScoped
public class LazyCaller {

    @Inject
    @Service("lazy")
    Provider<ServiceClient> lazy;

    @Inject
    @Service("later")
    Instance<ServiceClient> later;

    public ServiceClient lazy() {
        return lazy.get();
    }

    public ServiceClient later() {
        return later.get();
    }
}
