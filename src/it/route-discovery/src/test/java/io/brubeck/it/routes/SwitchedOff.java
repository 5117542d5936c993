package io.brubeck.it.routes;

import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.cdi.ServiceRoute;
import jakarta.enterprise.inject.Alternative;

/** A route a deployment switches on in its beans.xml; this one leaves it off. */
@Alternative
@ServiceRoute("^/switched-off$")
public class SwitchedOff {

    public ServiceReply request() {
        return ServiceReply.ok("switched off, yet served");
    }
}
