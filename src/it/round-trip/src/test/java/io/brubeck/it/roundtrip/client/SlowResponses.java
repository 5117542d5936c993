package io.brubeck.it.roundtrip.client;

import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.cdi.ServiceRoute;
import jakarta.inject.Inject;

/**
 * The client's response route for the slow service, like the seed's ServiceResponseHandler: it sees
 * every answer that asked to be handled, and what it returns goes to a caller that waits.
 */
@ServiceRoute("^/service/slow")
public class SlowResponses {

    @Inject
    ResponseLog log;

    @Inject
    CallState state;

    public String response(ServiceResponse response) {
        String data = response.payload().getString("RETURN_DATA", "NO DATA");
        log.add(data);
        return "handled " + response.statusCode() + " " + data + " in request " + state.id();
    }
}
