package io.brubeck.it.clients;

import io.brubeck.service.api.ServiceClient;
import io.brubeck.service.cdi.Service;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

/** An alternative the deployment enables with its priority, so its service is the deployment's. */
@Alternative
@Priority(Interceptor.Priority.APPLICATION)
@ApplicationScoped
public class FastCaller {

    @Inject
    @Service("fast")
    ServiceClient fast;
}
