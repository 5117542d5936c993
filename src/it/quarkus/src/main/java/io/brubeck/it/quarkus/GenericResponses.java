package io.brubeck.it.quarkus;

import io.brubeck.service.api.ServiceResponse;
import io.brubeck.service.cdi.ServiceRoute;
import jakarta.inject.Inject;

/** A response route whose class is generic, so that its bean type is {@code GenericResponses<T>}. */
@ServiceRoute("^/service/generic$")
public class GenericResponses<T> {

    @Inject
    Answers answers;

    public void response(ServiceResponse response) {
        answers.add("generic " + response.statusCode());
    }
}
