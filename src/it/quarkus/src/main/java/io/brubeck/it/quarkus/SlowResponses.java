package io.brubeck.it.quarkus;

import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.cdi.ServiceRoute;
import jakarta.inject.Inject;

/**
 * A response route: runs in this application, on a bean the container creates for each answer, when an
 * answer for a matching path comes back to a call that did not wait for it. No injection point names it.
 */
@ServiceRoute("^/service/slow")
public class SlowResponses {

    @Inject
    Answers answers;

    public void response(ServiceResponse response) {
        answers.add(response.statusCode() + " " + response.payload().getString("RETURN_DATA", "?"));
    }
}
