package io.brubeck.it.clients;

import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.cdi.Service;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;

/** An alternative that calls a service of its own; a deployment that does not enable it does not use it. */
@Alternative
@ApplicationScoped
public class ReportsStub {

    @Inject
    @Service("reports")
    ServiceClient reports;
}
