package io.brubeck.it.routes.invalid;

import io.brubeck.service.cdi.ServiceRoute;

@ServiceRoute("^/service/slow$")
public class FirstSlow {

    public String request() {
        return "first";
    }
}
