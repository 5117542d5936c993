package io.brubeck.it.routes.invalid;

import io.brubeck.service.cdi.ServiceRoute;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
@ServiceRoute("^/final$")
public class FinalMethodRoute {

    public String request() {
        return label();
    }

    /** A final method keeps the container from proxying the class. */
    public final String label() {
        return "never served";
    }
}
