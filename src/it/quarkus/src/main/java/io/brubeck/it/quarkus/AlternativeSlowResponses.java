package io.brubeck.it.quarkus;

import io.brubeck.service.api.ServiceResponse;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Alternative;

/**
 * An enabled alternative of the response route {@link SlowResponses}, without {@code @ServiceRoute} of its own: it
 * replaces the route's bean, so the route's handler runs on it and its override runs. No injection point names it.
 * It declares its scope because {@code @ServiceRoute}, which makes a route class a bean, is not inherited.
 */
@Alternative
@Priority(1)
@Dependent
public class AlternativeSlowResponses extends SlowResponses {

    @Override
    public void response(ServiceResponse response) {
        answers.add("by the alternative");
        super.response(response);
    }
}
