package io.brubeck.it.routes;

import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.cdi.ServiceRoute;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;

/** A route that is an alternative enabled for the whole application. */
@Alternative
@Priority(1)
@ServiceRoute("^/switched-on$")
public class SwitchedOn {

    public ServiceReply request() {
        return ServiceReply.ok("switched on");
    }
}
