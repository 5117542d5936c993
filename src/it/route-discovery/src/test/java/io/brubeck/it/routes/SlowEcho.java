package io.brubeck.it.routes;

import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceRequest;
import io.brubeck.service.cdi.Argument;
import io.brubeck.service.cdi.ServiceRoute;

/** The seed's slow echo service, as a CDI bean. */
@ServiceRoute("^/service/slow$")
public class SlowEcho {

    public ServiceReply request(ServiceRequest request) {
        return ServiceReply.ok("Took a while, but I am back.")
                .with("RETURN_DATA", request.argument("RETURN_DATA", "NO DATA"));
    }

    public String get(@Argument("NAME") String name) {
        return "hello " + name;
    }
}
