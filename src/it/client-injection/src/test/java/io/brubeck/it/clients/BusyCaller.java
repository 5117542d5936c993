package io.brubeck.it.clients;

import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.cdi.Service;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Calls a service whose endpoint a test has already taken. */
@ApplicationScoped
public class BusyCaller {

    @Inject
    @Service("busy")
    ServiceClient busy;
}
