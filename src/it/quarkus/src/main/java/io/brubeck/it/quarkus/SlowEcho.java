package io.brubeck.it.quarkus;

import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.cdi.Argument;
import io.brubeck.service.cdi.ServiceRoute;
import java.util.Optional;

/** A request route: found and checked at build time; served only where the worker role is on (not here). */
@ServiceRoute("^/service/slow$")
public class SlowEcho {

    public ServiceReply request(@Argument("RETURN_DATA") Optional<String> data) {
        return ServiceReply.ok("Took a while, but I am back.").with("RETURN_DATA", data.orElse("NO DATA"));
    }
}
