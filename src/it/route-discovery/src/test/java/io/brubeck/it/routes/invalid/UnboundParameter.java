package io.brubeck.it.routes.invalid;

import io.brubeck.service.cdi.ServiceRoute;

@ServiceRoute("^/greet$")
public class UnboundParameter {

    public String get(String name) {
        return "hello " + name;
    }
}
