package io.brubeck.it.roundtrip.worker;

import io.brubeck.it.roundtrip.Gate;
import io.brubeck.service.api.Method;
import io.brubeck.service.api.ServiceReply;
import io.brubeck.service.api.ServiceRequest;
import io.brubeck.service.cdi.Argument;
import io.brubeck.service.cdi.Handles;
import io.brubeck.service.cdi.ServiceRoute;

/**
 * The seed's slow echo service. A call may name a gate to wait at (argument HOLD), so that a test
 * knows the call is in flight.
 */
@ServiceRoute("^/service/slow$")
public class SlowEcho {

    public ServiceReply request(ServiceRequest request, @Argument("HOLD") String gate) throws InterruptedException {
        if (gate != null) {
            Gate.named(gate).pass();
        }
        return ServiceReply.ok("Took a while, but I am back.")
                .with("RETURN_DATA", request.argument("RETURN_DATA", "NO DATA"));
    }

    @Handles(Method.DELETE)
    public void fail() {
        throw new IllegalStateException("Nothing to delete here");
    }
}
