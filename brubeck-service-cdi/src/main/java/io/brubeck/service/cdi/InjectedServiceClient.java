package io.brubeck.service.cdi;

import io.brubeck.service.api.ServiceCall;
import io.brubeck.service.api.ServiceClient;
import java.io.Serial;
import java.io.Serializable;

/**
 * What a {@code @Service("name") ServiceClient} injection point receives: the application's client of that
 * service, which it calls through. It is serializable, so that a bean of a passivating scope
 * ({@code @SessionScoped}, {@code @ConversationScoped}) may hold one: a container refuses to inject a
 * product that is not. Only the service's name and the container's client proxy of {@link ServiceRuntime}
 * are written, and the application's client is found again through them on the first call after the
 * bean is read back.
 */
final class InjectedServiceClient implements ServiceClient, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The container's client proxy, which a container that passivates beans can serialize; never the instance. */
    private final ServiceRuntime runtime;
    private final String service;
    /** Not written: the endpoint stays with the application that bound it. */
    private transient volatile ServiceClient client;

    /**
     * @param runtime the container's client proxy of the runtime, as injected
     * @param client  the runtime's client of the service
     */
    InjectedServiceClient(ServiceRuntime runtime, String service, ServiceClient client) {
        this.runtime = runtime;
        this.service = service;
        this.client = client;
    }

    @Override
    public String serviceName() {
        return service;
    }

    @Override
    public ServiceCall request(String path) {
        return client().request(path);
    }

    private ServiceClient client() {
        ServiceClient current = client;
        if (current == null) {
            current = runtime.client(service); // read back: the runtime gives every caller the same client
            client = current;
        }
        return current;
    }

    @Override
    public String toString() {
        return "ServiceClient[" + service + "]";
    }
}
