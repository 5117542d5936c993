package io.brubeck.service.cdi;

import io.brubeck.service.api.ServiceClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.inject.Inject;

/**
 * Produces the {@link ServiceClient} of each {@code @Service("name")} injection point: the client the
 * {@link ServiceRuntime} holds for that service, shared by every injection point of the same name.
 */
@ApplicationScoped
public class ServiceClientProducer {

    @Inject
    ServiceRuntime runtime;

    @Produces
    @Service("")
    ServiceClient client(InjectionPoint injectionPoint) {
        Service service = injectionPoint.getQualifiers().stream().filter(Service.class::isInstance)
                .map(Service.class::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("A ServiceClient needs @Service(\"name\") at " + injectionPoint));
        return runtime.client(service.value());
    }
}
