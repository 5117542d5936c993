package io.brubeck.it.routes.invalid;

import io.brubeck.service.cdi.ServiceRoute;

@ServiceRoute("^/idle$")
public class NoHandler {

    public String process() {
        return "not a METHOD";
    }
}
