package io.brubeck.it.routes;

import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.cdi.ServiceRoute;

/** The calling side's response route for the slow service. */
@ServiceRoute("^/service/slow")
public class SlowResponses {

    public String response(ServiceResponse response) {
        return response.statusCode() + " " + response.statusMessage();
    }
}
