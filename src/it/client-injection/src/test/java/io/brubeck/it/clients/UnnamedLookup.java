package io.brubeck.it.clients;

import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.cdi.Service;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Provider;

/** Looks up clients without naming their service. */
@ApplicationScoped
public class UnnamedLookup {

    @Inject
    @Service("")
    Provider<ServiceClient> provider;

    @Inject
    @Service("")
    Instance<ServiceClient> instance;
}
