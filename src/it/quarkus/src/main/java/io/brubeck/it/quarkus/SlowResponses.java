package io.brubeck.it.quarkus;

import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.cdi.ServiceRoute;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/**
 * A response route: runs in this application, on a bean the container creates for each answer and destroys
 * after it, when an answer for a matching path comes back. No injection point names it.
 */
@ServiceRoute("^/service/slow")
public class SlowResponses {

    @Inject
    Answers answers;

    @PreDestroy
    void destroyed() {
        answers.add("destroyed");
    }

    public void response(ServiceResponse response) {
        answers.add(response.statusCode() + " " + response.payload().getString("RETURN_DATA", "?"));
    }
}
