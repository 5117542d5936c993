package io.brubeck.service.cdi;

import io.brubeck.service.api.ServiceClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Produces the {@link ServiceClient} of each {@code @Service("name")} injection point: one object per service,
 * shared by every injection point of the same name, that calls through the client the {@link ServiceRuntime}
 * holds for that service, and that a bean of a passivating scope may hold (see {@link InjectedServiceClient}).
 */
@ApplicationScoped
public class ServiceClientProducer {

    /** The container's client proxy, which {@link InjectedServiceClient} keeps to find its client once read back. */
    @Inject
    ServiceRuntime runtime;
    /** One per service, so that every injection point of a service gets the same object. */
    private final Map<String, InjectedServiceClient> injected = new ConcurrentHashMap<>();

    @Produces
    @Service("")
    ServiceClient client(InjectionPoint injectionPoint) {
        Service service = injectionPoint.getQualifiers().stream().filter(Service.class::isInstance)
                .map(Service.class::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("A ServiceClient needs @Service(\"name\") at " + injectionPoint));
        // Asked at every injection, so that one after the application stopped fails as a look-up does.
        ServiceClient client = runtime.client(service.value());
        return injected.computeIfAbsent(service.value(), name -> new InjectedServiceClient(runtime, name, client));
    }
}
