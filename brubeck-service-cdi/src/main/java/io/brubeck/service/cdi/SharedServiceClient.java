package io.brubeck.service.cdi;

import io.brubeck.service.api.ServiceCall;
import io.brubeck.service.api.ServiceClient;

/**
 * What an injection point receives: the application's client of a service, without the means to close
 * it. The endpoint behind it belongs to {@link ServiceRuntime}, which closes it at shutdown; calls
 * made after that fail with {@link io.brubeck.service.api.ServiceUnavailableException}.
 */
final class SharedServiceClient implements ServiceClient {
    private final ServiceClient endpoint;

    SharedServiceClient(ServiceClient endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public String serviceName() {
        return endpoint.serviceName();
    }

    @Override
    public ServiceCall request(String path) {
        return endpoint.request(path);
    }

    @Override
    public String toString() {
        return "ServiceClient[" + endpoint.serviceName() + "]";
    }
}
