package io.brubeck.it.routes.invalid;

import io.brubeck.service.cdi.ServiceRoute;

@ServiceRoute("^/service/(slow$")
public class BadPattern {

    public String request() {
        return "never";
    }
}
