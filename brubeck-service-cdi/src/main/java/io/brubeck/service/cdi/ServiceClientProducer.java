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

    /**
     * The client of the service the injection point names. A look-up without an injection point
     * ({@code BeanManager.getReference}, which Weld answers with none) or without {@code @Service} on it
     * names no service, and none can be found another way: the same bean serves every name.
     */
    @Produces
    @Service("")
    ServiceClient client(InjectionPoint injectionPoint) {
        Service service = injectionPoint == null ? null : injectionPoint.getQualifiers().stream()
                .filter(Service.class::isInstance).map(Service.class::cast).findFirst().orElse(null);
        if (service == null) {
            throw new IllegalStateException("A ServiceClient needs the name of its service, and "
                    + (injectionPoint == null ? "this look-up has no injection point to name it (as with "
                    + "BeanManager.getReference)" : "none is named at " + injectionPoint) + "; inject it with "
                    + "@Inject @Service(\"name\"), look it up with @Inject @Any Instance<ServiceClient> and "
                    + "select(Service.Literal.of(\"name\")), or call ServiceRuntime.client(\"name\")");
        }
        // Asked at every injection, so that one after the application stopped fails as a look-up does.
        ServiceClient client = runtime.client(service.value());
        return injected.computeIfAbsent(service.value(), name -> new InjectedServiceClient(runtime, name, client));
    }
}
